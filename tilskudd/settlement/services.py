"""Every write after the award (R12, R14): the report's money, carry-overs, claims and repayments.

Each service locks the decision (the award) first, so two people acting on the same award
at once see each other's entries; it derives the balances from the entries under that lock
(``ledger_of``), lets ``domain.ledger`` refuse what would overdraw an account, writes the
entries and records who, when, what and why in the case log.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.caselog.log import record
from tilskudd.decisions.models import Decision, DecisionLine
from tilskudd.decisions.reminders import mail, recipients
from tilskudd.domain import ledger
from tilskudd.domain.identifiers import is_valid_kontonummer, kid_with_check_digit, normalise
from tilskudd.domain.ledger import Account, Movement
from tilskudd.domain.money import MAX_AMOUNT, format_kroner
from tilskudd.domain.reporting import UnusedChoice
from tilskudd.reporting.models import ReportObligation
from tilskudd.settlement import events
from tilskudd.settlement.models import CarryOver, CarryOverState, Entry, RepaymentClaim, RoundTerms

MAX_TEXT = 2000
CLAIM_DAYS = 30  # days to pay a claim, the usual term for a state claim
NOT_PAID_OUT = gettext_lazy("Never paid out, so not to be paid back")


class WrongState(Exception):
    """The award or carry-over is not in a state that allows this."""


# --- Reading the ledger ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """One award's lines and their accounts, derived from the decision's lines and its entries."""

    decision: Decision
    lines: list[DecisionLine]
    balances: ledger.Balances
    changed: dict[int, int]  # line id -> net kroner moved to (+) or from (−) it by approved change requests
    settled: dict[int, int]  # claim id -> kroner repaid or written off against it

    def outstanding(self, claim: RepaymentClaim) -> int:
        """What is still to be paid on ``claim``: its amount less what was repaid or written off against it."""
        return max(claim.amount - self.settled.get(claim.pk, 0), 0)

    def line_accounts(self, line_id: int) -> dict[Account, int]:
        accounts = self.balances.get(line_id, {})
        return {account: accounts.get(account, 0) for account in Account}

    @property
    def totals(self) -> dict[Account, int]:
        return ledger.totals(self.balances)

    @property
    def granted(self) -> int:
        return sum(line.granted for line in self.lines)


def movement_of(entry: Entry) -> Movement:
    return Movement(
        entry.line_id, Account(entry.source), Account(entry.target), entry.amount, entry.to_line_id
    )


def ledger_of(decision: Decision) -> Ledger:
    """The award's ledger; two queries."""
    lines = [line for line in decision.lines.order_by("rank", "pk") if line.granted > 0]
    entries = list(Entry.objects.filter(decision=decision).order_by("at", "pk"))
    movements = [movement_of(e) for e in entries]
    found = ledger.balances({line.pk: line.granted for line in lines}, movements)
    settled: dict[int, int] = {}
    for entry in entries:
        if entry.claim_id and entry.source == Account.OWED:
            settled[entry.claim_id] = settled.get(entry.claim_id, 0) + entry.amount
    changed: dict[int, int] = {}
    for movement in movements:
        if movement.to_line is not None:
            changed[movement.line] = changed.get(movement.line, 0) - movement.amount
            changed[movement.to_line] = changed.get(movement.to_line, 0) + movement.amount
    return Ledger(decision, lines, found, changed, settled)


# --- Helpers ---------------------------------------------------------------------------------------


def _lock(decision: Decision) -> Decision:
    # of=("self",): only the award's row, so settlement writes in one round do not queue on the round's row
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application__round")
        .get(pk=decision.pk)
    )
    if not decision.is_approved or decision.granted <= 0:
        raise WrongState("the decision is not an approved award")
    return decision


def _office_lock(decision: Decision, by: User) -> Decision:
    decision = _lock(decision)
    require_office_staff(by, decision.application.round.office_id)
    return decision


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Write the reason.")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Write at most %(count)d characters.") % {"count": MAX_TEXT}})
    return value


def _amount(value, field: str = "amount") -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValidationError({field: _("Write an amount in whole kroner above 0.")})
    if value > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    return value


def _log(decision: Decision, *, by, kind, detail: str = "", reason: str = "") -> None:
    application = decision.application
    record(
        decision,
        by=by,
        kind=kind,
        detail=detail,
        reason=reason,
        round_id=application.round_id,
        organisation_id=application.organisation_id,
    )


def _move(current: Ledger, movement: Movement, *, by, reason: str = "", **refs) -> Entry:
    """Check the movement against the balances held under the lock, then write it."""
    try:
        ledger.apply(current.balances, movement)
    except ledger.Refused as refused:
        raise ValidationError({"amount": _("The amount is more than is left on the line.")}) from refused
    return Entry.objects.create(
        decision=current.decision,
        line_id=movement.line,
        to_line_id=movement.to_line,
        source=movement.source.value,
        target=movement.target.value,
        amount=movement.amount,
        by=by if by is not None and getattr(by, "pk", None) else None,
        reason=reason,
        **refs,
    )


def _spread(
    current: Ledger, source: Account, target: Account, amount: int, *, by, reason: str, **refs
) -> None:
    """Move ``amount`` from ``source`` to ``target`` across the lines, first line first."""
    left = amount
    for line in current.lines:
        held = current.line_accounts(line.pk)[source]
        take = min(held, left)
        if take:
            _move(current, Movement(line.pk, source, target, take), by=by, reason=reason, **refs)
            left -= take
        if not left:
            return
    if left:
        raise ValidationError({"amount": _("The amount is more than is owed.")})


# --- From the approved report ------------------------------------------------------------------------


@transaction.atomic
def settle_from_report(*, obligation, by) -> Ledger:
    """The office approved the report: each line's used money is used, its unused money carried over or owed.

    The first carry-over of an amount is approved by rule (R12); the office may refuse it
    afterwards with a reason (``refuse_carry_over``). Idempotent: a report settled once is not
    settled again.
    """
    if obligation.approved_at is None:
        raise WrongState("the report is not approved")
    decision = _lock(obligation.decision)
    current = ledger_of(decision)
    if Entry.objects.filter(decision=decision, source=Account.UNSETTLED, to_line__isnull=True).exists():
        return current
    year = decision.application.round.year
    carried = owed = used = 0
    for report_line in obligation.lines.order_by("rank", "pk"):
        line_id = report_line.decision_line_id
        if line_id not in current.balances or (report_line.used is None and report_line.unused is None):
            continue  # a report registered from paper carries no figures: the money waits, unsettled
        unsettled = current.line_accounts(line_id)[Account.UNSETTLED]
        use = min(report_line.used or 0, unsettled)
        if use:
            _move(
                current,
                Movement(line_id, Account.UNSETTLED, Account.USED, use),
                by=by,
                reason=_("Report approved"),
            )
            used += use
        rest = current.line_accounts(line_id)[Account.UNSETTLED]
        if not rest:
            continue
        if report_line.unused_choice == UnusedChoice.CARRY_OVER and report_line.unused:
            carry = CarryOver.objects.create(
                decision=decision,
                line_id=line_id,
                amount=rest,
                from_year=year,
                to_year=year + 1,
                state=CarryOverState.APPROVED,
                by_rule=True,
                request_reason=report_line.carry_over_reason,
                requested_by=obligation.submitted_by,
                decided_by=by if getattr(by, "pk", None) else None,
                decided_at=timezone.now(),
            )
            _move(
                current,
                Movement(line_id, Account.UNSETTLED, Account.CARRIED, rest),
                by=by,
                reason=_("First carry-over, approved by rule (R12)"),
                carry_over=carry,
            )
            carried += rest
        else:
            _move(
                current, Movement(line_id, Account.UNSETTLED, Account.OWED, rest), by=by, reason=_("Not used")
            )
            owed += rest
    _log(
        decision,
        by=by,
        kind=events.MONEY_SETTLED,
        detail=_("used %(used)s, carried over %(carried)s, owed back %(owed)s")
        % {"used": format_kroner(used), "carried": format_kroner(carried), "owed": format_kroner(owed)},
    )
    # Money owed that was never paid out (a share held back, or payments not yet made) is not to be paid
    # back: only what the recipient holds beyond what it may keep is claimed.
    unpaid = decision.granted - (decision.payments.aggregate(total=Sum("amount"))["total"] or 0)
    never_paid = min(max(unpaid, 0), current.totals[Account.OWED])
    if never_paid:
        _spread(current, Account.OWED, Account.WRITTEN_OFF, never_paid, by=by, reason=str(NOT_PAID_OUT))
    _release_withheld(obligation=obligation, by=by)
    return current


# --- Carry-over (R12) ----------------------------------------------------------------------------------


def _lock_carry_over(carry_over: CarryOver) -> tuple[Decision, CarryOver]:
    decision = _lock(carry_over.decision)
    return decision, CarryOver.objects.select_for_update().get(pk=carry_over.pk)


@transaction.atomic
def refuse_carry_over(*, carry_over: CarryOver, by: User, reason: str) -> CarryOver:
    """The office refuses a carry-over (a first one approved by rule, or a further one asked for):
    the money is owed back."""
    decision, carry_over = _lock_carry_over(carry_over)
    require_office_staff(by, decision.application.round.office_id)
    reason = _text(reason, "reason")
    if not carry_over.is_refusable:
        raise WrongState("only an open first carry-over can be refused; a further one is assessed")
    carry_over.decided_by, carry_over.decided_at, carry_over.decision_reason = by, timezone.now(), reason
    return _refused(decision, carry_over, by=by, reason=reason)


def _refused(decision: Decision, carry_over: CarryOver, *, by: User, reason: str) -> CarryOver:
    """A refused carry-over: its money is owed back, and the carry-over is settled (under the caller's locks)."""
    _move(
        ledger_of(decision),
        Movement(carry_over.line_id, Account.CARRIED, Account.OWED, carry_over.amount),
        by=by,
        reason=reason,
        carry_over=carry_over,
    )
    carry_over.state = CarryOverState.REFUSED
    carry_over.settled_at, carry_over.settled_by = carry_over.decided_at, by
    carry_over.save()
    _log(
        decision,
        by=by,
        kind=events.CARRY_OVER_REFUSED,
        detail=format_kroner(carry_over.amount),
        reason=reason,
    )
    return carry_over


@transaction.atomic
def report_carried_money(
    *, carry_over: CarryOver, by: User, used: int, carry_again: bool, reason: str = ""
) -> CarryOver | None:
    """The signer accounts for carried money once its year has begun: what was used, and for the rest
    either a request to carry it over once more (with the reason for the delay) or repayment.

    Returns the further carry-over asked for, if any.
    """
    decision, carry_over = _lock_carry_over(carry_over)
    if not by.signs_for(decision.application.organisation_id):
        raise PermissionDenied
    if not carry_over.can_be_accounted_for(timezone.localdate()):
        raise WrongState("the carried money is not waiting to be accounted for, or its year has not begun")
    if not isinstance(used, int) or isinstance(used, bool) or used < 0:
        raise ValidationError({"used": _("Write an amount in whole kroner, 0 or more.")})
    if used > carry_over.amount:
        raise ValidationError({"used": _("You cannot report more than was carried over.")})
    rest = carry_over.amount - used
    reason = _text(reason, "reason", required=carry_again and rest > 0)
    current = ledger_of(decision)
    if used:
        _move(
            current,
            Movement(carry_over.line_id, Account.CARRIED, Account.USED, used),
            by=by,
            reason=_("Carried-over money used"),
            carry_over=carry_over,
        )
    further = None
    if rest and carry_again:
        further = CarryOver.objects.create(
            decision=decision,
            line_id=carry_over.line_id,
            parent=carry_over,
            generation=carry_over.generation + 1,
            amount=rest,
            from_year=carry_over.to_year,
            to_year=carry_over.to_year + 1,
            state=CarryOverState.REQUESTED,
            request_reason=reason,
            requested_by=by,
        )
    elif rest:
        _move(
            current,
            Movement(carry_over.line_id, Account.CARRIED, Account.OWED, rest),
            by=by,
            reason=_("Carried-over money not used"),
            carry_over=carry_over,
        )
    carry_over.settled_at, carry_over.settled_by = timezone.now(), by
    carry_over.save(update_fields=["settled_at", "settled_by"])
    _log(
        decision,
        by=by,
        kind=events.CARRY_OVER_REQUESTED if further else events.CARRIED_MONEY_REPORTED,
        detail=_("used %(used)s of %(amount)s")
        % {"used": format_kroner(used), "amount": format_kroner(carry_over.amount)},
        reason=reason,
    )
    return further


@transaction.atomic
def assess_further_carry_over(
    *, carry_over: CarryOver, by: User, approve: bool, delay: str, likelihood: str, reason: str = ""
) -> CarryOver:
    """The individual assessment a further carry-over needs (seed 004): the reason for the delay and
    the likelihood that the activity is completed next year, both recorded; then approve or refuse."""
    decision, carry_over = _lock_carry_over(carry_over)
    require_office_staff(by, decision.application.round.office_id)
    if carry_over.state != CarryOverState.REQUESTED:
        raise WrongState("the carry-over is not waiting for an assessment")
    errors, texts = {}, {}
    for field, value, required in (
        ("delay", delay, True),
        ("likelihood", likelihood, True),
        ("reason", reason, not approve),
    ):
        try:
            texts[field] = _text(value, field, required=required)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    delay, likelihood, reason = texts["delay"], texts["likelihood"], texts["reason"]
    carry_over.delay_assessment, carry_over.likelihood_assessment = delay, likelihood
    carry_over.decided_by, carry_over.decided_at, carry_over.decision_reason = by, timezone.now(), reason
    if approve:
        carry_over.state = CarryOverState.APPROVED  # the money stays in the carried account
        carry_over.save()
        _log(
            decision,
            by=by,
            kind=events.CARRY_OVER_APPROVED,
            detail=_("%(amount)s to %(year)s after an individual assessment")
            % {"amount": format_kroner(carry_over.amount), "year": carry_over.to_year},
            reason=f"{delay}\n{likelihood}\n{reason}".strip(),
        )
        return carry_over
    return _refused(decision, carry_over, by=by, reason=reason)


# --- Repayment (R14) -----------------------------------------------------------------------------------


def claim_outstanding(claim: RepaymentClaim) -> int:
    """What is still to be paid on the claim (read from its award's ledger)."""
    return ledger_of(claim.decision).outstanding(claim)


def unclaimed(current: Ledger) -> int:
    """Owed money that no open claim covers yet."""
    claimed = sum(current.outstanding(c) for c in current.decision.claims.all())
    return max(current.totals[Account.OWED] - claimed, 0)


@transaction.atomic
def send_claim(
    *, decision: Decision, by: User, account_number: str, due_on: date | None = None
) -> RepaymentClaim:
    """A repayment claim for what is owed and not yet claimed: a PDF letter with amount, account, KID and
    due date, stored and e-mailed to the organisation."""
    from tilskudd.settlement.letters import render_claim_pdf

    decision = _office_lock(decision, by)
    account = normalise(account_number or "")
    if not is_valid_kontonummer(account):
        raise ValidationError(
            {"account_number": _("Write an 11-digit account number with a valid check digit.")}
        )
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=CLAIM_DAYS)
    if not today <= due_on <= today + timedelta(days=365):
        raise ValidationError({"due_on": _("The due date must be within the next year.")})
    current = ledger_of(decision)
    amount = unclaimed(current)
    if amount <= 0:
        raise WrongState("nothing is owed that is not already claimed")
    number = decision.claims.count() + 1
    claim = RepaymentClaim(
        decision=decision,
        amount=amount,
        account_number=account,
        reference=kid_with_check_digit(f"{decision.pk:07d}{number:02d}"),
        due_on=due_on,
        sent_by=by,
    )
    pdf = render_claim_pdf(claim)
    claim.sha256 = hashlib.sha256(pdf).hexdigest()
    claim.letter.save(f"krav-{decision.pk}-{number}.pdf", ContentFile(pdf), save=False)
    claim.save()
    organisation = decision.application.organisation
    transaction.on_commit(
        lambda: mail(
            organisation,
            "settlement/email/claim.txt",
            {"claim": claim, "amount": format_kroner(claim.amount), "round": decision.application.round},
            recipients(organisation),
        )
    )
    _log(
        decision,
        by=by,
        kind=events.CLAIM_SENT,
        detail=_("%(amount)s, KID %(kid)s, due %(due)s")
        % {"amount": format_kroner(amount), "kid": claim.reference, "due": due_on.strftime("%d.%m.%Y")},
    )
    return claim


def _refuse_more_than_outstanding(current: Ledger, claim: RepaymentClaim, amount: int) -> None:
    outstanding = current.outstanding(claim)
    if amount > outstanding:
        raise ValidationError(
            {"amount": _("At most %(amount)s is outstanding.") % {"amount": format_kroner(outstanding)}}
        )


def _lock_claim(claim: RepaymentClaim, by: User) -> tuple[Decision, RepaymentClaim]:
    decision = _office_lock(claim.decision, by)
    return decision, RepaymentClaim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def record_repayment(*, claim: RepaymentClaim, by: User, amount: int, paid_on: date) -> RepaymentClaim:
    """A payment received on a claim; partial payments allowed, never more than is outstanding."""
    decision, claim = _lock_claim(claim, by)
    amount = _amount(amount)
    today = timezone.localdate()
    if not timezone.localdate(claim.sent_at) <= paid_on <= today:
        raise ValidationError({"paid_on": _("The date must be between the claim and today.")})
    current = ledger_of(decision)
    _refuse_more_than_outstanding(current, claim, amount)
    _spread(
        current,
        Account.OWED,
        Account.REPAID,
        amount,
        by=by,
        reason=_("Repayment"),
        claim=claim,
        paid_on=paid_on,
    )
    _log(
        decision,
        by=by,
        kind=events.REPAYMENT_RECORDED,
        detail=_("%(amount)s paid %(day)s, KID %(kid)s")
        % {"amount": format_kroner(amount), "day": paid_on.strftime("%d.%m.%Y"), "kid": claim.reference},
    )
    return claim


@transaction.atomic
def write_off_debt(*, claim: RepaymentClaim, by: User, amount: int, reason: str) -> RepaymentClaim:
    """Give up (part of) what is outstanding on a claim, with the reason."""
    decision, claim = _lock_claim(claim, by)
    amount = _amount(amount)
    reason = _text(reason, "reason")
    current = ledger_of(decision)
    _refuse_more_than_outstanding(current, claim, amount)
    _spread(current, Account.OWED, Account.WRITTEN_OFF, amount, by=by, reason=reason, claim=claim)
    _log(decision, by=by, kind=events.DEBT_WRITTEN_OFF, detail=format_kroner(amount), reason=reason)
    return claim


@transaction.atomic
def remind_claim(*, claim: RepaymentClaim, by: User) -> RepaymentClaim:
    """A reminder e-mail for an overdue claim that is not fully paid."""
    decision, claim = _lock_claim(claim, by)
    outstanding = ledger_of(decision).outstanding(claim)
    if outstanding <= 0 or claim.due_on >= timezone.localdate():
        raise WrongState("the claim is not overdue")
    claim.reminders += 1
    claim.reminded_at = timezone.now()
    claim.save(update_fields=["reminders", "reminded_at"])
    organisation = decision.application.organisation
    transaction.on_commit(
        lambda: mail(
            organisation,
            "settlement/email/reminder.txt",
            {"claim": claim, "amount": format_kroner(outstanding), "round": decision.application.round},
            recipients(organisation),
        )
    )
    _log(decision, by=by, kind=events.CLAIM_REMINDED, detail=format_kroner(outstanding))
    return claim


# --- A share held back until the final report (issue 12, item 5) ---------------------------------------

MAX_WITHHELD_PERCENT = 50


def withheld_share(round_id: int) -> int:
    return (
        RoundTerms.objects.filter(round_id=round_id).values_list("withheld_percent", flat=True).first() or 0
    )


def held_back(decisions) -> dict[int, int]:
    """Decision id -> the share of the award still held back: its round's percentage of the granted
    amount, until the award's report is approved (then nothing). Two queries for any number."""
    decisions = [d for d in decisions if d.granted > 0]
    if not decisions:
        return {}
    rounds = {d.application.round_id for d in decisions}
    percents = dict(
        RoundTerms.objects.filter(round_id__in=rounds, withheld_percent__gt=0).values_list(
            "round_id", "withheld_percent"
        )
    )
    if not percents:
        return {}
    released = set(
        ReportObligation.objects.filter(decision__in=decisions, approved_at__isnull=False).values_list(
            "decision_id", flat=True
        )
    )
    return {
        d.pk: d.granted * percents[d.application.round_id] // 100
        for d in decisions
        if d.application.round_id in percents and d.pk not in released
    }


def not_to_be_paid(decisions) -> dict[int, int]:
    """Decision id -> money the approved report (or the office) has put in the owed account: not used and not
    carried over, so it is not to be paid out (what was paid of it is claimed back). One query."""
    ids = [d.pk for d in decisions if d.granted > 0]
    if not ids:
        return {}
    return dict(
        Entry.objects.filter(decision_id__in=ids, target=Account.OWED)
        .values("decision_id")
        .annotate(total=Sum("amount"))
        .values_list("decision_id", "total")
    )


@transaction.atomic
def set_withheld_share(*, round, by: User, percent: int) -> RoundTerms:
    """Hold back ``percent`` % of each award of the round until its final report is approved (0 = off).

    Only before the round's first decision is approved: the award letters state it.
    """
    round = type(round).objects.select_for_update().get(pk=round.pk)
    require_office_staff(by, round.office_id)
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= MAX_WITHHELD_PERCENT:
        raise ValidationError(
            {"withheld_percent": _("Write a whole number from 0 to %(max)d.") % {"max": MAX_WITHHELD_PERCENT}}
        )
    if Decision.objects.filter(application__round=round, approved_at__isnull=False).exists():
        raise WrongState("decisions are approved; their letters state the terms")
    terms, _created = RoundTerms.objects.get_or_create(round=round, defaults={"updated_by": by})
    before = terms.withheld_percent
    terms.withheld_percent, terms.updated_by = percent, by
    terms.save()
    record(
        round,
        by=by,
        kind=events.WITHHELD_SHARE_SET,
        detail=f"{percent} %",
        changes=[
            {
                "field": "withheld_percent",
                "label": str(_("share held back")),
                "before": before,
                "after": percent,
            }
        ],
    )
    return terms


def _release_withheld(*, obligation, by) -> int:
    """The final report is approved: the share held back is due for payment (recorded in the case log)."""
    decision = obligation.decision
    percent = withheld_share(decision.application.round_id)
    amount = decision.granted * percent // 100
    if amount:
        _log(
            decision,
            by=by,
            kind=events.WITHHELD_RELEASED,
            detail=format_kroner(amount),
            reason=_("The final report is approved; the share held back may be paid."),
        )
    return amount
