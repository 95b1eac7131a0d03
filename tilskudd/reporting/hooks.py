"""The reporting stage's answers to the earlier stages' questions."""

from django.urls import reverse

from tilskudd.applications.hooks import provides_unreported_awards
from tilskudd.decisions.hooks import on_decision_approved, provides_pending_reports
from tilskudd.domain.submission import UnreportedAward
from tilskudd.organisations.models import Organisation
from tilskudd.reporting.models import ReportObligation
from tilskudd.reporting.services import create_obligation

MAX_MERGER_DEPTH = 10  # successors of successors: real chains are one or two long


def predecessors_of(organisation_id: int) -> dict[int, str]:
    """Every organisation whose successor chain ends in ``organisation_id``: id -> name (itself excluded)."""
    found: dict[int, str] = {}
    frontier = {organisation_id}
    for _depth in range(MAX_MERGER_DEPTH):
        rows = (
            Organisation.objects.filter(successor_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", "name")
        )
        frontier = set()
        for pk, name in rows:
            if pk != organisation_id and pk not in found:
                found[pk] = name
                frontier.add(pk)
        if not frontier:
            break
    return found


@provides_unreported_awards
def missing_reports(organisation, round):
    """R4: awards from earlier rounds whose report is not submitted, the predecessors' included (SPEC R11)."""
    predecessors = predecessors_of(organisation.pk)
    obligations = (
        ReportObligation.objects.unreported()
        .filter(organisation_id__in=[organisation.pk, *predecessors], round__year__lt=round.year)
        .select_related("round__office", "organisation")
        .order_by("round__year", "organisation__name")
    )
    return [
        UnreportedAward(
            o.pk,
            o.round.title
            if o.organisation_id == organisation.pk
            else f"{o.round.title} ({o.organisation.name})",
            reverse("reporting:report_obligation", args=[o.pk]),
        )
        for o in obligations
    ]


@on_decision_approved
def obligation_for_award(decision):
    create_obligation(decision=decision)


@provides_pending_reports
def reports_not_yet_approved(round):
    """R4's second step: the applicants of ``round`` whose earlier report is submitted but not approved."""
    pending: dict[int, list[str]] = {}
    successors = dict(Organisation.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    # As values: every one is of an earlier round of the same office, titled as Round.title does.
    obligations = (
        ReportObligation.objects.awaiting_approval()
        .filter(round__office_id=round.office_id, round__year__lt=round.year)
        .order_by("round__year")
        .values_list("organisation_id", "round__year")
    )
    office = round.office.short_name
    for organisation_id, year in obligations:
        seen = set()
        while organisation_id is not None and organisation_id not in seen:
            seen.add(organisation_id)
            pending.setdefault(organisation_id, []).append(f"{office} {year}")
            organisation_id = successors.get(organisation_id)
    return pending
