"""Permission-checked fetches of applications, lines and attachments (STYLE §4)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.applications.models import Application, Attachment, Line


def applications_visible_to(user):
    """The organisation's own applications; for office staff, those of its rounds they may read (no drafts)."""
    applications = scoped(
        user,
        Application.objects.select_related("round__office", "organisation__fylke__office"),
        office="round__office_id",
        organisation="organisation_id",
    )
    if user.is_authenticated and user.is_office_side:
        applications = applications.readable_by_office()
    return applications


def get_application_for(user, pk: int) -> Application:
    """One application the person may read, with its round, office, organisation and who submitted it."""
    return get_object_or_404(applications_visible_to(user).select_related("submitted_by"), pk=pk)


def require_own(user, application: Application) -> Application:
    """Only applicants and signers of the application's own organisation write to it (404 for others)."""
    if not (user.is_applicant_side and user.organisation_id == application.organisation_id):
        raise Http404
    return application


def get_own_application(user, pk: int) -> Application:
    """An application of the person's own organisation: only applicants and signers write to it."""
    return require_own(user, get_application_for(user, pk))


def get_line_for(user, application_pk: int, line_pk: int) -> Line:
    """A line of the person's own application; ``line.application`` is that application, round and all."""
    application = get_own_application(user, application_pk)
    line = get_object_or_404(application.lines, pk=line_pk)
    line.application = application
    return line


def get_attachment_for(user, application_pk: int, attachment_pk: int) -> Attachment:
    application = get_application_for(user, application_pk)
    return get_object_or_404(application.attachments, pk=attachment_pk)
