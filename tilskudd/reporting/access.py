"""Permission-checked fetches of report obligations, their lines and attachments."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.reporting.models import ReportAttachment, ReportObligation


def obligations_visible_to(user):
    return scoped(
        user,
        ReportObligation.objects.select_related("organisation", "round__office", "decision__application"),
        office="round__office_id",
        organisation="organisation_id",
    )


def get_obligation_for(user, pk: int) -> ReportObligation:
    return get_object_or_404(obligations_visible_to(user), pk=pk)


def check_own(user, obligation: ReportObligation) -> ReportObligation:
    """A report fetched with ``get_obligation_for``, for writing: the office gets 403."""
    if not (user.is_applicant_side and user.organisation_id == obligation.organisation_id):
        raise PermissionDenied
    return obligation


def get_own_obligation(user, pk: int) -> ReportObligation:
    """The organisation's own report, for writing: others get 404, the office 403."""
    return check_own(user, get_obligation_for(user, pk))


def get_obligation_to_handle(user, pk: int) -> ReportObligation:
    """A report the office handles: its own office's; others get 404, the organisation 403."""
    obligation = get_obligation_for(user, pk)
    if not user.works_at(obligation.round.office_id):
        raise PermissionDenied
    return obligation


def get_report_attachment_for(user, obligation_id: int, pk: int) -> ReportAttachment:
    obligation = get_obligation_for(user, obligation_id)
    return get_object_or_404(
        ReportAttachment.objects.select_related("obligation"), obligation=obligation, pk=pk
    )
