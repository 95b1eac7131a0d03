"""Permission-checked fetches of report obligations, their lines and attachments."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.accounts.models import APPLICANT_ROLES, Role
from tilskudd.applications.models import Application
from tilskudd.reporting.models import ReportAttachment, ReportObligation


def acts_as_auditor(user, organisation_id: int) -> bool:
    """The organisation's auditor (R11), and not also one who writes or signs its reports.

    An auditor's statement is worth something because the auditor is independent: a person
    who holds a writer's or signer's role at the organisation as well never confirms as its auditor.
    """
    return (
        user.is_authenticated
        and user.audits_for(organisation_id)
        and not any(user.has_role(role) for role in APPLICANT_ROLES)
    )


def obligations_visible_to(user):
    obligations = ReportObligation.objects.select_related(
        "organisation", "round__office", "decision__application"
    )
    if user.is_authenticated and user.has_role(Role.AUDITOR) and user.organisation_id:
        # The organisation's auditor sees its reports (and, elsewhere, nothing else of it).
        return obligations.filter(organisation_id=user.organisation_id)
    return scoped(user, obligations, office="round__office_id", organisation="organisation_id")


def get_obligation_for(user, pk: int) -> ReportObligation:
    obligation = get_object_or_404(obligations_visible_to(user), pk=pk)
    application = obligation.decision.application if obligation.decision_id else None
    if application is not None and application.round_id == obligation.round_id:
        # The award's application is of the report's round, read with it: its case number needs no more reads.
        Application.round.field.set_cached_value(application, obligation.round)
    return obligation


def check_own(user, obligation: ReportObligation) -> ReportObligation:
    """A report fetched with ``get_obligation_for``, for writing: the office (and the auditor) get 403."""
    if not (user.is_applicant_side and user.organisation_id == obligation.organisation_id):
        raise PermissionDenied
    return obligation


def get_own_obligation(user, pk: int) -> ReportObligation:
    """The organisation's own report, for writing: others get 404, the office 403."""
    return check_own(user, get_obligation_for(user, pk))


def get_obligation_to_audit(user, pk: int) -> ReportObligation:
    """A report whose auditor's statement ``user`` uploads or confirms: others get 404, its writers 403."""
    obligation = get_obligation_for(user, pk)
    if not acts_as_auditor(user, obligation.organisation_id):
        raise PermissionDenied
    return obligation


def get_obligation_to_attach(user, pk: int) -> ReportObligation:
    """A report whose files ``user`` may change: its writers' and its auditor's (the service checks which file)."""
    obligation = get_obligation_for(user, pk)
    if acts_as_auditor(user, obligation.organisation_id):
        return obligation
    return check_own(user, obligation)


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
