"""Decisions (R10, R10b): prepared from a scenario by a case officer, approved by another person.

Once approved a decision is final: these functions refuse to change it, and later
changes go through change requests.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tilskudd.accounts.access import require_role
from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import Application, Status
from tilskudd.assessment.services import Proposal, check_office_staff
from tilskudd.caselog.log import record
from tilskudd.decisions import events, hooks
from tilskudd.decisions.appeal import appeal_sentence
from tilskudd.decisions.models import Decision, DecisionLine, Outcome
from tilskudd.domain.explanations import explain_for_recipient
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import Round


class AlreadyDecided(Exception):
    """The decision is approved and can no longer change."""


class FourEyes(Exception):
    """The person who prepared a decision cannot approve it."""


class CallStillOpen(Exception):
    """Decisions are prepared only after the application deadline and every extension has passed (R10)."""

    def __init__(self, closes, drafts: int):
        super().__init__(f"the call closes {closes.isoformat()}; {drafts} drafts")
        self.closes = closes
        self.drafts = drafts


def call_closes(round: Round):
    """When the round's call is really closed: the deadline, or the latest extension granted (R5)."""
    latest = round.extensions.aggregate(latest=Max("until"))["latest"]
    return max(round.application_deadline, latest) if latest else round.application_deadline


def check_call_closed(round: Round, now=None) -> None:
    closes = call_closes(round)
    if (now or timezone.now()) <= closes:
        drafts = Application.objects.filter(round=round, status=Status.DRAFT).count()
        raise CallStillOpen(closes, drafts)


def outcome_for(applied: int, granted: int) -> Outcome:
    if granted == 0:
        return Outcome.REFUSED
    return Outcome.GRANTED if granted >= applied else Outcome.PARTLY


def _scenario_reason(name: str, overridden) -> str:
    """Why the amounts are what they are: the scenario, and each amount a case officer set by hand."""
    parts = [str(_("From the scenario “%(scenario)s”.") % {"scenario": name})]
    parts += [
        f"{item.line}: {format_kroner(item.override.amount)} ({item.override.reason})" for item in overridden
    ]
    return " ".join(parts)


def _explanations(item) -> dict[str, str]:
    """The line's explanation for the recipient in each language, with the reasons people gave."""
    reasons = {
        "override_reason": item.override.reason if item.override else "",
        "ineligible_reason": getattr(item.assessment, "ineligible_reason", "") or "",
    }
    return {
        language: explain_for_recipient(item.result, language, **reasons) for language in ("nb", "nn", "en")
    }


@transaction.atomic
def prepare_decisions(*, proposal: Proposal, by: User) -> list[Decision]:
    """Draft a decision for every submitted application of the round from the chosen scenario.

    Decisions already approved are left alone; unapproved drafts are replaced.
    """
    round = Round.objects.select_for_update().get(pk=proposal.scenario.round_id)
    check_office_staff(by, round)
    require_role(
        by, Role.CASE_OFFICER
    )  # a case officer prepares; an approver approves (SPEC "Parties and roles")
    check_call_closed(round)
    by_application: dict[int, list] = {}
    for item in proposal.lines:
        by_application.setdefault(item.line.application_id, []).append(item)
    prepared = []
    existing_by_application = {d.application_id: d for d in Decision.objects.filter(application__round=round)}
    applications = Application.objects.filter(round=round, status=Status.SUBMITTED).select_related(
        "organisation"
    )
    for application in applications:
        existing = existing_by_application.get(application.pk)
        if existing and existing.is_approved:
            continue
        replaced = existing.granted if existing else None
        if existing:
            existing.delete()
        items = sorted(by_application.get(application.pk, []), key=lambda i: i.line.rank)
        applied = sum(i.line.amount for i in items)
        granted = sum(i.result.amount for i in items)
        kind = application.organisation.kind
        allowed = kind in (round.appeal_allowed_kinds or [])
        with override(application.organisation.written_language):
            text = appeal_sentence(kind, allowed)
        decision = Decision.objects.create(
            application=application,
            outcome=outcome_for(applied, granted),
            granted=granted,
            applied=applied,
            scenario_name=proposal.scenario.name,
            appeal_allowed=allowed,
            appeal_text=text,
            prepared_by=by,
        )
        language = application.organisation.written_language
        DecisionLine.objects.bulk_create(
            DecisionLine(
                decision=decision,
                line=i.line,
                rank=i.line.rank,
                kind=i.line.kind,
                title=i.line.title,
                applied=i.line.amount,
                granted=i.result.amount,
                explanation=_explanations(i)[language],
                explanations=_explanations(i),
            )
            for i in items
        )
        overridden = [i for i in items if i.override]
        record(
            application,
            by=by,
            kind=events.DECISION_PREPARED,
            detail=str(decision.get_outcome_display()),
            reason=_scenario_reason(proposal.scenario.name, overridden),
            changes=[
                {"field": "granted", "label": str(_("granted (kr)")), "before": replaced, "after": granted},
            ],
        )
        prepared.append(decision)
    return prepared


@transaction.atomic
def approve(*, decision: Decision, by: User) -> Decision:
    decision = Decision.objects.select_for_update().select_related("application__round").get(pk=decision.pk)
    round = decision.application.round
    check_office_staff(by, round)
    if decision.is_approved:
        raise AlreadyDecided
    if decision.prepared_by_id == by.pk:
        raise FourEyes
    require_role(by, Role.APPROVER)
    decision.approved_by = by
    decision.approved_at = timezone.now()
    decision.save(update_fields=["approved_by", "approved_at"])
    record(
        decision.application,
        by=by,
        kind=events.DECISION_APPROVED,
        detail=f"{decision.get_outcome_display()}: {format_kroner(decision.granted)}",
        reason=_("Prepared by %(name)s from the scenario “%(scenario)s”.")
        % {"name": decision.prepared_by, "scenario": decision.scenario_name},
    )
    hooks.decision_approved(decision)  # the report obligation, in this transaction
    return decision


def approve_round(*, round: Round, by: User, only: set[int] | None = None) -> tuple[int, int]:
    """Approve every decision of the round that someone else prepared. Returns (approved, skipped as own).

    ``only``: the decisions the approver was shown and confirmed; a decision prepared again
    since (it has a new id) is left for the approver to look at.
    """
    check_office_staff(by, round)
    require_role(by, Role.APPROVER)
    approved = skipped = 0
    pending = Decision.objects.filter(application__round=round, approved_at__isnull=True)
    if only is not None:
        pending = pending.filter(pk__in=only)
    for decision in pending:
        try:
            approve(decision=decision, by=by)
            approved += 1
        except FourEyes:
            skipped += 1
    return approved, skipped
