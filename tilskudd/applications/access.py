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
    return get_object_or_404(applications_visible_to(user), pk=pk)


def get_own_application(user, pk: int) -> Application:
    """An application of the person's own organisation: only applicants and signers write to it."""
    application = get_application_for(user, pk)
    if not (user.is_applicant_side and user.organisation_id == application.organisation_id):
        raise Http404
    return application


def get_line_for(user, application_pk: int, line_pk: int) -> Line:
    application = get_own_application(user, application_pk)
    return get_object_or_404(Line.objects.select_related("application"), pk=line_pk, application=application)


def get_attachment_for(user, application_pk: int, attachment_pk: int) -> Attachment:
    application = get_application_for(user, application_pk)
    return get_object_or_404(application.attachments, pk=attachment_pk)
