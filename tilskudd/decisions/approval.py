"""What an approver sees before approving: the money, the outcomes, every amount set by hand, and
every amount that no longer matches the scenario it was prepared from. A read, never a write."""

from collections import Counter
from dataclasses import dataclass, field

from tilskudd.assessment.models import Override, Scenario
from tilskudd.assessment.services import proposal, submitted_lines
from tilskudd.decisions.models import Decision, DecisionLine, Outcome
from tilskudd.domain.text import norwegian_sort_key


@dataclass(frozen=True)
class Change:
    """A line whose decided amount differs from what its scenario proposes now."""

    organisation: str
    title: str
    decided: int
    proposed_now: int


@dataclass
class ApprovalSummary:
    decisions: list[Decision]
    applied: int = 0
    granted: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # outcome -> number of decisions
    overrides: list[Override] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    scenario_names: list[str] = field(default_factory=list)
    lines: list[DecisionLine] = field(default_factory=list)  # every decision's lines, by decision and rank

    @property
    def ids(self) -> str:
        """The decisions shown, for the confirmation form: only these are approved."""
        return ",".join(str(d.pk) for d in self.decisions)


def approval_summary(decisions: list[Decision]) -> ApprovalSummary:
    """``decisions`` of one round (with ``application__organisation`` and ``application__round`` loaded)."""
    summary = ApprovalSummary(decisions=decisions)
    if not decisions:
        return summary
    round = decisions[0].application.round
    summary.applied = sum(d.applied for d in decisions)
    summary.granted = sum(d.granted for d in decisions)
    counts = Counter(d.outcome for d in decisions)
    summary.counts = {outcome.value: counts.get(outcome.value, 0) for outcome in Outcome}
    summary.scenario_names = sorted({d.scenario_name for d in decisions})
    decided_lines = list(
        DecisionLine.objects.filter(decision__in=decisions)
        .select_related("decision__application__organisation")
        .order_by("decision", "rank")
    )
    summary.lines = decided_lines
    line_ids = {dl.line_id for dl in decided_lines}
    scenarios = list(
        Scenario.objects.filter(round=round, name__in=summary.scenario_names).select_related("round")
    )
    summary.overrides = sorted(
        Override.objects.filter(scenario__in=scenarios, line_id__in=line_ids).select_related(
            "line__application__organisation", "by", "scenario"
        ),
        key=lambda o: (norwegian_sort_key(o.line.application.organisation.name), o.line.rank),
    )
    # The scenario as it stands now: an assessment or an override changed after the decisions were
    # prepared shows up here, so the approver knows the decisions should be prepared again.
    proposed_now = {}
    lines = list(submitted_lines(round)) if scenarios else []  # read once for every scenario
    for scenario in scenarios:
        for item in proposal(scenario, lines).lines:
            proposed_now[(scenario.name, item.line.pk)] = item.result.amount
    for dl in decided_lines:
        now = proposed_now.get((dl.decision.scenario_name, dl.line_id))
        if now is not None and now != dl.granted:
            summary.changes.append(
                Change(dl.decision.application.organisation.name, dl.title, dl.granted, now)
            )
    summary.changes.sort(key=lambda c: norwegian_sort_key(c.organisation))
    return summary
