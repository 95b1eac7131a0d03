"""Permission-checked fetches for rounds and applications (STYLE §4)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd.accounts.models import Role
from tilskudd.applications.models import Application, Attachment, Line
from tilskudd.rounds.models import Round


def rounds_managed_by(user):
    qs = Round.objects.select_related("office")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if user.is_office_side:
        return qs.filter(office_id=user.office_id)
    return qs.none()


def get_round_to_manage(user, pk: int) -> Round:
    return get_object_or_404(rounds_managed_by(user), pk=pk)


def get_published_round(pk: int) -> Round:
    return get_object_or_404(Round.objects.published().select_related("office"), pk=pk)


def applications_visible_to(user):
    qs = Application.objects.select_related("round__office", "organisation__fylke__office")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if user.is_office_side:
        return qs.filter(round__office_id=user.office_id)
    if user.is_applicant_side:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


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
