"""Assessment and allocation: one function per state change, and the bridge to the engine.

`proposal(scenario)` gathers the round's submitted lines, their assessments, the
office's records per kommune and the scenario's overrides, and hands plain data to
the domain engine (tilskudd.domain.allocation), which returns amounts with reasons.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.applications.models import Application, Line, Status
from tilskudd.assessment import events
from tilskudd.assessment.models import Assessment, KommuneRecord, Override, Scenario
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.domain import allocation as engine
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.domain.priorities import KommuneStatus, TierResult, priority_tier
from tilskudd.domain.scoring import weighted_score
from tilskudd.organisations.models import Organisation
from tilskudd.rounds import versions
from tilskudd.rounds.models import CriterionChoices, Round
from tilskudd.ui.forms import amount_limit_message

ASSESSMENT_FIELDS = ("eligible", "ineligible_reason", "scores", "recommended", "comment")


class StaleAssessment(Exception):
    """A colleague saved this assessment after the form was opened."""


def _check_amounts(amounts: dict[str, int | None]) -> None:
    """Each amount given is from 0 to MAX_AMOUNT, whatever the form said; ValidationError per field otherwise."""
    errors = {
        field: amount_limit_message()
        for field, amount in amounts.items()
        if amount is not None and not 0 <= amount <= MAX_AMOUNT
    }
    if errors:
        raise ValidationError(errors)


def check_office_staff(by: User, round: Round) -> None:
    require_office_staff(by, round.office_id)


@transaction.atomic
def save_kommune_record(
    *,
    round: Round,
    organisation: Organisation,
    by: User,
    leve_hele_livet: str,
    needs_qualification: bool,
    note: str,
) -> KommuneRecord:
    check_office_staff(by, round)
    if organisation.fylke.office_id != round.office_id:
        raise PermissionDenied
    fields = ("leve_hele_livet", "needs_qualification", "note")
    existing = (
        KommuneRecord.objects.select_for_update().filter(organisation=organisation, year=round.year).first()
    )
    before = values_of(existing, fields) if existing else {}
    kommune_record = existing or KommuneRecord(organisation=organisation, year=round.year)
    kommune_record.leve_hele_livet = leve_hele_livet
    kommune_record.needs_qualification = needs_qualification
    kommune_record.note = note
    kommune_record.updated_by = by
    kommune_record.save()  # the locked row in place, or the new one
    # the record is the kommune's for the year: every round of its office that year reads it
    versions.inputs_changed(Round.objects.filter(office_id=round.office_id, year=round.year))
    changed = diff(before, values_of(kommune_record, fields), labels_of(KommuneRecord, fields))
    if changed:
        record(
            organisation,
            by=by,
            kind=events.KOMMUNE_RECORD,
            detail=str(round.year),
            changes=changed,
            round_id=round.pk,
        )
    return kommune_record


@transaction.atomic
def assess_line(*, line: Line, by: User, data: dict, version: int | None) -> Assessment:
    """Save one line's assessment; a second officer saving from a stale form is refused (optimistic locking).

    ``version`` is the version the form was opened with (0 for a new assessment). A missing
    version is a stale one: only the very first assessment of a line may be saved without it.
    """
    round = line.application.round
    check_office_staff(by, round)
    if line.application.status != Status.SUBMITTED:
        raise PermissionDenied
    assessment = Assessment.objects.select_for_update().filter(line=line).first()
    if assessment is None:
        if version not in (None, 0):
            raise StaleAssessment
        assessment = Assessment(line=line, assessed_by=by, version=0)
        before = {}
    elif version is None or version != assessment.version:
        raise StaleAssessment
    else:
        before = values_of(assessment, ASSESSMENT_FIELDS)
    if data.get("recommended") is not None and data["recommended"] > line.amount:
        raise ValidationError(
            {"recommended": _("The recommended amount cannot be more than the amount applied for.")}
        )
    _check_amounts({"recommended": data.get("recommended")})
    for name in ASSESSMENT_FIELDS:
        if name in data:
            setattr(assessment, name, data[name])
    if assessment.eligible:
        assessment.ineligible_reason = ""
    assessment.version += 1
    assessment.assessed_by = by
    assessment.save()
    versions.inputs_changed(Round.objects.filter(pk=round.pk))
    after = values_of(assessment, ASSESSMENT_FIELDS)
    record(
        line.application,
        by=by,
        kind=events.ASSESSED,
        detail=str(line),
        reason=assessment.ineligible_reason,
        changes=diff(
            _readable_scores(before), _readable_scores(after), labels_of(Assessment, ASSESSMENT_FIELDS)
        ),
    )
    return assessment


def _readable_scores(values: dict) -> dict:
    """Scores per criterion under the criteria's names, for the case log."""
    scores = values.get("scores")
    if not scores:
        return values
    names = dict(CriterionChoices.choices)
    return values | {"scores": {str(names.get(code, code)): score for code, score in scores.items()}}


SCENARIO_LABELS = {
    "tier_policy": _("policy per priority group"),
    "min_amount": _("minimum per measure (kr)"),
    "max_amount": _("maximum per measure (kr)"),
    "applicant_cap": _("maximum per applicant (kr)"),
    "kind_share_caps": _("cap per kind of measure (share of the funds in %)"),
    "prioritised_themes": _("prioritised themes"),
}


@transaction.atomic
def create_scenario(*, round: Round, by: User, name: str, **policy) -> Scenario:
    """A new scenario of the round. Before anyone saved one, the default proposal is saved with it,
    as the baseline to compare the new one with (unless the new one takes the default's name)."""
    check_office_staff(by, round)
    _check_amounts({field: policy.get(field) for field in ("min_amount", "max_amount", "applicant_cap")})
    if name != DEFAULT_SCENARIO_NAME:
        saved_scenario(round=round, scenario_id=None, by=by)
    scenario = Scenario.objects.create(round=round, created_by=by, name=name, **policy)
    versions.inputs_changed(Round.objects.filter(pk=round.pk))
    record(round, by=by, kind=events.SCENARIO_CREATED, detail=name, changes=diff({}, policy, SCENARIO_LABELS))
    return scenario


@transaction.atomic
def set_override(
    *, round: Round, scenario_id: int | None, line: Line, by: User, amount: int, reason: str
) -> Override:
    """Set a line's amount by hand in a scenario of the round; no ``scenario_id`` (or 0) is the
    round's default scenario, saved in this transaction on this first change."""
    check_office_staff(by, round)
    if line.application.round_id != round.pk:
        raise PermissionDenied
    _check_amounts({"amount": amount})
    scenario = saved_scenario(round=round, scenario_id=scenario_id, by=by)
    previous = Override.objects.select_for_update().filter(scenario=scenario, line=line).first()
    override, _created = Override.objects.update_or_create(
        scenario=scenario,
        line=line,
        defaults={"amount": min(amount, line.amount), "reason": reason, "by": by},
    )
    versions.inputs_changed(Round.objects.filter(pk=round.pk))
    record(
        line.application,
        by=by,
        kind=events.OVERRIDE_SET,
        detail=f"{line} ({scenario.name})",
        reason=reason,
        changes=[
            {
                "field": "amount",
                "label": str(_("amount (kr)")),
                "before": previous.amount if previous else None,
                "after": override.amount,
            }
        ],
    )
    return override


@transaction.atomic
def remove_override(*, override: Override, by: User) -> None:
    check_office_staff(by, override.scenario.round)
    line = override.line
    record(
        line.application,
        by=by,
        kind=events.OVERRIDE_REMOVED,
        detail=f"{line} ({override.scenario.name})",
        changes=[
            {"field": "amount", "label": str(_("amount (kr)")), "before": override.amount, "after": None}
        ],
    )
    override.delete()
    versions.inputs_changed(Round.objects.filter(pk=override.scenario.round_id))


def default_scenario(round: Round) -> Scenario:
    """The round's first scenario, or, before anyone has saved one, an unsaved default to show.

    Opening the allocation page never writes: the default becomes a saved scenario the first
    time an officer sets an amount on it or saves it by name.
    """
    return round.scenarios.first() or Scenario(round=round, name=DEFAULT_SCENARIO_NAME)


DEFAULT_SCENARIO_NAME = "Forslag"


@transaction.atomic
def saved_scenario(*, round: Round, scenario_id: int | None, by: User) -> Scenario:
    """The scenario to change: the one named (Http404 if the round has none by that id), or the
    round's default, saved now on first use."""
    check_office_staff(by, round)
    if scenario_id:
        scenario = Scenario.objects.filter(pk=scenario_id, round=round).first()
        if scenario is None:
            raise Http404("The round has no such scenario.")
        return scenario
    Round.objects.select_for_update().filter(pk=round.pk).first()  # the default is saved once
    return round.scenarios.first() or create_scenario(round=round, by=by, name=DEFAULT_SCENARIO_NAME)


@dataclass(frozen=True)
class ProposedLine:
    line: Line
    tier: TierResult
    score: float | None
    result: engine.LineResult
    override: Override | None

    @property
    def assessment(self):
        return getattr(self.line, "assessment", None)


@dataclass(frozen=True)
class Proposal:
    scenario: Scenario
    allocation: engine.Allocation
    lines: list[ProposedLine]
    applied: int
    policy: engine.Policy  # what the engine was given: the round's funds and pools, the scenario's rules


# A line's long texts: neither the proposal nor the allocation page reads them (the assessment page does).
LONG_FIELDS = ("purpose", "description", "collaborators", "dissemination", "criteria_answers")
# What R7's tier reads of a line (domain.priorities): not every field of it, deferred ones included.
TIER_FIELDS = ("education_type", "mental_health", "bpa_training_type", "themes")


def submitted_lines(round: Round):
    """The round's submitted lines with their organisation and assessment.

    Each application (and its organisation) is loaded once and shared by its lines
    (a prefetch, one more query), without its snapshot: through select_related the
    snapshot (the whole submitted content, ~10 kB of JSON) came along and was decoded
    once per line, and an application and organisation were built per line. That was
    three quarters of the proposal's time at national scale (bench/proposal.py).
    """
    applications = Application.objects.select_related("organisation").defer("snapshot")
    return (
        Line.objects.filter(application__round=round, application__status=Status.SUBMITTED)
        .defer(*LONG_FIELDS)
        .select_related("assessment")
        .prefetch_related(Prefetch("application", queryset=applications))
        .order_by("application__organisation__name", "rank")
    )


def _kommune_statuses(round: Round, lines) -> dict[int, KommuneStatus]:
    organisations = {line.application.organisation_id for line in lines}
    return {
        r.organisation_id: KommuneStatus(r.leve_hele_livet, r.needs_qualification)
        for r in KommuneRecord.objects.filter(year=round.year, organisation_id__in=organisations)
    }


def _tier_and_score(line: Line, round: Round, records, priorities) -> tuple[TierResult, float | None]:
    assessment = getattr(line, "assessment", None)
    tier = priority_tier(
        kind=line.kind,
        values={name: getattr(line, name) for name in TIER_FIELDS},
        status=records.get(line.application.organisation_id),
        round_priorities=priorities,
    )
    score = (
        weighted_score(assessment.scores, round.criterion_weights, round.score_scale_max)
        if assessment
        else None
    )
    return tier, score


def line_priority(line: Line) -> tuple[TierResult, float | None]:
    """One line's tier (R7) and weighted score, read-only: the assessment page needs no proposal for it.

    Themes prioritised this round come from the round's first scenario, as the proposal screen opens with it.
    """
    round = line.application.round
    scenario = round.scenarios.first()
    priorities = frozenset(scenario.prioritised_themes or []) if scenario else frozenset()
    return _tier_and_score(line, round, _kommune_statuses(round, [line]), priorities)


def proposal(scenario: Scenario, lines=None) -> Proposal:
    """The engine's proposal for a whole round under one scenario (R8, R9)."""
    round = scenario.round
    lines = list(lines if lines is not None else submitted_lines(round))
    records = _kommune_statuses(round, lines)
    # with who set each: the allocation page names them on every row
    overrides = {o.line_id: o for o in scenario.overrides.select_related("by")} if scenario.pk else {}
    priorities = frozenset(scenario.prioritised_themes or [])
    inputs, tiers, scores = [], {}, {}
    for line in lines:
        assessment = getattr(line, "assessment", None)
        tier, score = _tier_and_score(line, round, records, priorities)
        tiers[line.pk], scores[line.pk] = tier, score
        override = overrides.get(line.pk)
        inputs.append(
            engine.LineInput(
                ref=line.pk,
                applicant=line.application.organisation_id,
                kind=line.kind,
                themes=tuple(line.themes or ()),
                applied=line.amount,
                eligible=assessment.eligible if assessment else True,
                tier=tier.tier,
                score=score,
                rank=line.rank,
                recommended=assessment.recommended if assessment else None,
                override=override.amount if override else None,
            )
        )
    policy = engine.Policy(
        funds=round.total_funds,
        pools=tuple(
            engine.Pool(
                key=str(e.pk),
                name=e.name,
                amount=e.amount,
                line_kinds=frozenset(e.line_kinds),
                themes=frozenset(e.themes),
            )
            for e in round.earmarks.all()
        ),
        tier_policy={int(k): v for k, v in (scenario.tier_policy or {}).items()},
        min_amount=scenario.min_amount,
        max_amount=scenario.max_amount,
        applicant_cap=scenario.applicant_cap,
        kind_caps={k: round.total_funds * int(p) // 100 for k, p in (scenario.kind_share_caps or {}).items()},
    )
    allocation = engine.allocate(inputs, policy)
    proposed = [
        ProposedLine(line, tiers[line.pk], scores[line.pk], allocation.lines[line.pk], overrides.get(line.pk))
        for line in lines
    ]
    return Proposal(scenario, allocation, proposed, sum(line.amount for line in lines), policy)
