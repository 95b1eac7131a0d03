"""Decisions (R10, R10b): prepared from a scenario by a case officer, approved by another person.

Once approved a decision is final: these functions refuse to change it, and later
changes go through change requests.
"""

from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tilskudd.accounts.access import require_role, require_strong_login
from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import Application, Status
from tilskudd.assessment.services import Proposal, check_office_staff
from tilskudd.caselog.log import record
from tilskudd.decisions import events, hooks
from tilskudd.decisions.appeal import appeal_sentence
from tilskudd.decisions.models import Decision, DecisionLine, Outcome
from tilskudd.domain.deadlines import acceptance_deadline_from, is_on_time
from tilskudd.domain.explanations import explain_for_recipient
from tilskudd.domain.money import format_kroner
from tilskudd.domain.submission import deadline_in_force
from tilskudd.rounds.models import Round


class AlreadyDecided(Exception):
    """The decision is approved and can no longer change."""


class Replaced(Exception):
    """The decision is gone: prepared again, or removed by a correction, since it was shown."""


class FourEyes(Exception):
    """The person who prepared a decision cannot approve it."""


class CallStillOpen(Exception):
    """Decisions are prepared only after the application deadline and every extension has passed (R10)."""

    def __init__(self, closes, drafts: int):
        super().__init__(f"the call closes {closes.isoformat()}; {drafts} drafts")
        self.closes = closes
        self.drafts = drafts


def call_closes(round: Round) -> datetime:
    """When the round's call is really closed: the deadline, or the latest extension granted (R5)."""
    return deadline_in_force(
        round.application_deadline, round.extensions.aggregate(latest=Max("until"))["latest"]
    )


def call_is_open(round: Round, now: datetime | None = None, *, closes: datetime | None = None) -> bool:
    """Whether the call still takes applications: a deadline covers its whole minute (R5).

    ``closes``: call_closes(round) when the caller has it already (it costs a query).
    """
    return is_on_time(now or timezone.now(), closes or call_closes(round))


def first_open_deadline(now: datetime) -> datetime:
    """The earliest deadline still open at ``now``, for filters (``deadline__gte``): it covers its whole minute."""
    return now.replace(second=0, microsecond=0)  # Oslo's offsets are whole hours: its minutes are UTC's


def check_call_closed(round: Round, now=None) -> None:
    closes = call_closes(round)
    if call_is_open(round, now, closes=closes):
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


def _appeal_texts(kind: str, allowed: bool) -> dict[str, str]:
    """The appeal sentence (R10b) in each language: the letter's in the recipient's, the pages' in the reader's."""
    texts = {}
    for language in ("nb", "nn", "en"):
        with override(language):
            texts[language] = appeal_sentence(kind, allowed)
    return texts


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
    # Locked, so an approval committing meanwhile is either seen here (and kept) or waits for this
    # transaction; read unlocked, an approval could land between this read and the delete below.
    existing_by_application = {
        d.application_id: d for d in Decision.objects.select_for_update().filter(application__round=round)
    }
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
        texts = _appeal_texts(kind, allowed)
        text = texts["nn" if application.organisation.written_language == "nn" else "nb"]
        decision = Decision.objects.create(
            application=application,
            outcome=outcome_for(applied, granted),
            granted=granted,
            applied=applied,
            scenario_name=proposal.scenario.name,
            appeal_allowed=allowed,
            appeal_text=text,
            appeal_texts=texts,
            prepared_by=by,
        )
        language = application.organisation.written_language
        explanations = [(i, _explanations(i)) for i in items]  # each line's text in three languages, once
        DecisionLine.objects.bulk_create(
            DecisionLine(
                decision=decision,
                line=i.line,
                rank=i.line.rank,
                kind=i.line.kind,
                title=i.line.title,
                applied=i.line.amount,
                granted=i.result.amount,
                explanation=texts[language],
                explanations=texts,
            )
            for i, texts in explanations
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
    decision = (
        Decision.objects.select_for_update()
        .select_related("application__round")
        .filter(pk=decision.pk)
        .first()
    )
    if decision is None:
        raise Replaced
    round = decision.application.round
    check_office_staff(by, round)
    if decision.is_approved:
        raise AlreadyDecided
    if decision.prepared_by_id == by.pk:
        raise FourEyes
    require_role(by, Role.APPROVER)
    require_strong_login(by)  # two-step login, or ID-porten/Ansattporten substantial or high
    decision.approved_by = by
    decision.approved_at = timezone.now()
    decision.acceptance_due = acceptance_deadline_from(decision.approved_at, round.acceptance_weeks)
    decision.save(update_fields=["approved_by", "approved_at", "acceptance_due"])
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


class RoundApproval(NamedTuple):
    approved: int
    own: int  # prepared by the approver, left for another person (four eyes)
    already: int  # approved by a colleague meanwhile


@transaction.atomic
def approve_round(*, round: Round, by: User, only: set[int] | None = None) -> RoundApproval:
    """Approve every decision of the round that someone else prepared, together or not at all.

    ``only``: the decisions the approver was shown and confirmed; a decision prepared again
    since (it has a new id) is left for the approver to look at. The round is locked first, as
    preparing locks it, so decisions are not prepared again halfway through; a decision a
    colleague approved one by one meanwhile is counted, not an error.
    """
    round = Round.objects.select_for_update().get(pk=round.pk)
    check_office_staff(by, round)
    require_role(by, Role.APPROVER)
    require_strong_login(by)
    approved = own = already = 0
    pending = Decision.objects.select_for_update().filter(application__round=round, approved_at__isnull=True)
    if only is not None:
        pending = pending.filter(pk__in=only)
    for decision in pending.order_by("pk"):
        try:
            approve(decision=decision, by=by)
            approved += 1
        except FourEyes:
            own += 1
        except AlreadyDecided:
            already += 1
    return RoundApproval(approved, own, already)
