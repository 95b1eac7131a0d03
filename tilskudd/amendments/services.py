"""Every write of a change request (R13): one keyword-only function each, checked and logged in its transaction.

The signer asks (``request_change``) while the window is open. The office decides: a case
officer approves a content or period change alone (``approve_change``) or refuses any
request (``refuse_change``); a move of money between lines is prepared by a case officer
(``prepare_change``, the whole amount or less) and approved by an approver at the same
office who did not prepare it (``approve_change``), or sent back (``return_change``).

Approval locks the decision (the award) first, as the settlement services do, derives the
ledger under that lock and lets ``domain.ledger`` refuse a move larger than the line's
unsettled money; it writes the ledger entry, the amendment with its letter, and mirrors the
amended lines into the report while the report is not yet submitted.
"""

import hashlib
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff, require_role, require_strong_login
from tilskudd.accounts.models import Role, User
from tilskudd.amendments import events
from tilskudd.amendments.models import Amendment, ChangeKind, ChangeRequest, ChangeState, ChangeWindow
from tilskudd.amendments.selectors import amended_lines, window_is_open
from tilskudd.applications.models import EducationTypeChoices
from tilskudd.caselog.log import record
from tilskudd.decisions.models import Decision, DecisionLine
from tilskudd.domain import ledger
from tilskudd.domain.deadlines import year_in_range
from tilskudd.domain.ledger import Account, Movement
from tilskudd.domain.lines import LineKind
from tilskudd.domain.money import MAX_AMOUNT, format_kroner
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.models import Round
from tilskudd.settlement.models import Entry
from tilskudd.settlement.services import ledger_of

MAX_TEXT = 2000
MAX_WINDOW_DAYS = 366


class WrongState(Exception):
    """The award or the request is not in a state that allows this."""


class WindowClosed(Exception):
    """A change is asked for outside every window open to the organisation."""


class ReportSubmitted(Exception):
    """The report on the award is in: the use of the money can no longer be changed."""


class FourEyes(Exception):
    """The person who prepared a move of money cannot approve it."""


# --- Helpers ---------------------------------------------------------------------------------------


def _text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Write the reason.")})
    if len(value) > limit:
        raise ValidationError({field: _("Write at most %(count)d characters.") % {"count": limit}})
    return value


def _lock_decision(decision: Decision) -> Decision:
    # The award's report first, then the award: the order approving a report takes them in (the report,
    # then the award's ledger through reporting.signals), so the two never wait on each other.
    list(
        ReportObligation.objects.select_for_update()
        .filter(decision_id=decision.pk)
        .values_list("pk", flat=True)
    )
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("application__round__office", "application__organisation")
        .get(pk=decision.pk)
    )
    if not decision.is_approved or decision.granted <= 0:
        raise WrongState("the decision is not an approved award")
    return decision


def _lock_change(change: ChangeRequest) -> tuple[Decision, ChangeRequest]:
    decision = _lock_decision(change.decision)
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("line", "to_line")
        .get(pk=change.pk)
    )
    return decision, change


def _obligation(decision: Decision) -> ReportObligation | None:
    return ReportObligation.objects.select_for_update().filter(decision=decision).first()


def _check_report_open(decision: Decision) -> ReportObligation | None:
    obligation = _obligation(decision)
    if obligation is not None and not obligation.is_editable:
        raise ReportSubmitted
    return obligation


def _awarded_line(decision: Decision, line, field: str) -> DecisionLine:
    line_id = getattr(line, "pk", line)
    found = DecisionLine.objects.filter(decision=decision, pk=line_id, granted__gt=0).first()
    if found is None:
        raise ValidationError({field: _("Choose one of the awarded measures.")})
    return found


def _log(decision: Decision, *, by, kind, detail: str = "", reason: str = "", changes=None) -> None:
    record(decision.application, by=by, kind=kind, detail=detail, reason=reason, changes=changes)


def _describe(change: ChangeRequest, amount: int | None = None) -> str:
    if change.kind == ChangeKind.MOVE:
        return _("%(amount)s from “%(from)s” to “%(to)s”") % {
            "amount": format_kroner(amount if amount is not None else change.amount),
            "from": change.line.title,
            "to": change.to_line.title,
        }
    if change.kind == ChangeKind.PERIOD:
        return _("“%(line)s” extended to %(day)s") % {
            "line": change.line.title,
            "day": change.new_end.strftime("%d.%m.%Y"),
        }
    return _("new content for “%(line)s”") % {"line": change.line.title}


def _office_check(decision: Decision, by: User, *roles: Role) -> None:
    require_office_staff(by, decision.application.round.office_id)
    require_role(by, *roles)


# --- The office opens a window for one organisation ------------------------------------------------


@transaction.atomic
def open_window(
    *, round: Round, organisation, by: User, opens: date, closes: date, reason: str
) -> ChangeWindow:
    """A change window for one organisation outside the round's own (e.g. an urgent change), with the reason."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    require_office_staff(by, round.office_id)
    reason = _text(reason, "reason")
    if not (isinstance(opens, date) and year_in_range(opens)):
        raise ValidationError({"opens": _("Write a date.")})
    if not (isinstance(closes, date) and year_in_range(closes)):
        raise ValidationError({"closes": _("Write a date.")})
    if closes < opens:
        raise ValidationError({"closes": _("The window cannot close before it opens.")})
    if (closes - opens).days > MAX_WINDOW_DAYS:
        raise ValidationError({"closes": _("A window for one organisation can be open for at most a year.")})
    if closes < timezone.localdate():
        raise ValidationError({"closes": _("The window must close today or later.")})
    if not Decision.objects.filter(
        application__round=round,
        application__organisation=organisation,
        approved_at__isnull=False,
        granted__gt=0,
    ).exists():
        raise ValidationError({"organisation": _("The organisation has no award in this round.")})
    window = ChangeWindow.objects.create(
        round=round, organisation=organisation, opens=opens, closes=closes, reason=reason, opened_by=by
    )
    record(
        window,
        by=by,
        kind=events.WINDOW_OPENED,
        detail=f"{organisation.display_name}: {opens:%d.%m.%Y}–{closes:%d.%m.%Y}",
        reason=reason,
    )
    return window


# --- The signer asks ---------------------------------------------------------------------------------


@transaction.atomic
def request_change(
    *,
    decision: Decision,
    by: User,
    kind: str,
    line,
    reason: str,
    to_line=None,
    amount: int | None = None,
    new_title: str = "",
    new_education_type: str = "",
    new_description: str = "",
    new_end: date | None = None,
    now: datetime | None = None,
) -> ChangeRequest:
    """The signer asks to change the use of the award: move money between its awarded lines, change a
    line's content, or extend its period; in the window, before the report is in."""
    decision = _lock_decision(decision)
    application = decision.application
    if not by.signs_for(application.organisation_id):
        raise PermissionDenied
    now = now or timezone.now()
    if not window_is_open(application.round, application.organisation_id, now):
        raise WindowClosed
    _check_report_open(decision)
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("Choose what to change.")})
    reason = _text(reason, "reason")
    source = _awarded_line(decision, line, "line")
    change = ChangeRequest(
        decision=decision, kind=kind, line=source, reason=reason, requested_by=by, requested_at=now
    )
    if kind == ChangeKind.MOVE:
        target = _awarded_line(decision, to_line, "to_line")
        if target.pk == source.pk:
            raise ValidationError({"to_line": _("Choose another measure than the one the money comes from.")})
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise ValidationError({"amount": _("Write an amount in whole kroner above 0.")})
        if amount > MAX_AMOUNT:
            raise ValidationError({"amount": _("The amount is too large.")})
        unsettled = ledger_of(decision).line_accounts(source.pk)[Account.UNSETTLED]
        if amount > unsettled:
            raise ValidationError(
                {
                    "amount": _("At most %(amount)s can be moved from this measure.")
                    % {"amount": format_kroner(unsettled)}
                }
            )
        change.to_line, change.amount = target, amount
    elif kind == ChangeKind.CONTENT:
        change.new_title = _text(new_title, "new_title", required=False, limit=200)
        change.new_description = _text(new_description, "new_description", required=False, limit=4000)
        education = (new_education_type or "").strip()
        if education:
            if source.kind != LineKind.COMPETENCE:
                raise ValidationError(
                    {"new_education_type": _("Only a competence measure has an education type.")}
                )
            if education not in EducationTypeChoices.values:
                raise ValidationError({"new_education_type": _("Choose one of the education types.")})
        change.new_education_type = education
        if not (change.new_title or change.new_description or change.new_education_type):
            raise ValidationError({"new_title": _("Write the new title, education type or activity.")})
    else:
        current = next(item for item in amended_lines(decision) if item.pk == source.pk).ends
        latest = date(application.round.year + 1, 12, 31)
        if not isinstance(new_end, date):
            raise ValidationError({"new_end": _("Write the new end date.")})
        if new_end <= current:
            raise ValidationError(
                {
                    "new_end": _("The new end date must be after %(day)s.")
                    % {"day": current.strftime("%d.%m.%Y")}
                }
            )
        if new_end > latest:
            raise ValidationError(
                {
                    "new_end": _("The period can be extended to %(day)s at the latest.")
                    % {"day": latest.strftime("%d.%m.%Y")}
                }
            )
        change.new_end = new_end
    change.save()
    _log(decision, by=by, kind=events.CHANGE_REQUESTED, detail=_describe(change), reason=reason)
    return change


# --- The office decides -----------------------------------------------------------------------------


def _granted(change: ChangeRequest, amount) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError({"amount": _("Write an amount in whole kroner above 0.")})
    if amount > change.amount:
        raise ValidationError(
            {"amount": _("At most the %(amount)s asked for.") % {"amount": format_kroner(change.amount)}}
        )
    return amount


@transaction.atomic
def prepare_change(*, change: ChangeRequest, by: User, amount: int, reason: str = "") -> ChangeRequest:
    """A case officer proposes to approve a move of money, in full or in part (a smaller amount), for an
    approver to approve. A partial approval needs the reason."""
    decision, change = _lock_change(change)
    _office_check(decision, by, Role.CASE_OFFICER)
    if change.kind != ChangeKind.MOVE:
        raise WrongState("only a move of money is prepared for approval")
    _check_report_open(decision)  # a move prepared after the report is in could never be approved
    if change.state != ChangeState.REQUESTED:
        raise WrongState("the request is not waiting for the office")
    amount = _granted(change, amount)
    reason = _text(reason, "reason", required=amount < change.amount)
    unsettled = ledger_of(decision).line_accounts(change.line_id)[Account.UNSETTLED]
    if amount > unsettled:
        raise ValidationError(
            {
                "amount": _("At most %(amount)s can be moved from this measure.")
                % {"amount": format_kroner(unsettled)}
            }
        )
    change.state = ChangeState.PREPARED
    change.granted_amount, change.office_reason = amount, reason
    change.prepared_by, change.prepared_at = by, timezone.now()
    change.returned_reason = ""
    change.save()
    _log(decision, by=by, kind=events.CHANGE_PREPARED, detail=_describe(change, amount), reason=reason)
    return change


@transaction.atomic
def return_change(*, change: ChangeRequest, by: User, reason: str) -> ChangeRequest:
    """The approver does not approve the prepared move: back to the case officer, with the reason."""
    decision, change = _lock_change(change)
    _office_check(decision, by, Role.APPROVER)
    require_strong_login(by)  # an approver's decision: two-step login, or ID-porten/Ansattporten
    if change.state != ChangeState.PREPARED:
        raise WrongState("the request is not prepared")
    reason = _text(reason, "reason")
    change.state = ChangeState.REQUESTED
    change.returned_reason = reason
    change.granted_amount = None
    change.save()
    _log(decision, by=by, kind=events.CHANGE_RETURNED, detail=_describe(change), reason=reason)
    return change


@transaction.atomic
def refuse_change(*, change: ChangeRequest, by: User, reason: str) -> ChangeRequest:
    """A case officer refuses the request with the reason; nothing changes on the award."""
    decision, change = _lock_change(change)
    _office_check(decision, by, Role.CASE_OFFICER)
    if not change.is_open:
        raise WrongState("the request is already decided")
    reason = _text(reason, "reason")
    change.state = ChangeState.REFUSED
    change.granted_amount = None
    change.office_reason = reason
    change.prepared_by = change.prepared_by or by
    change.prepared_at = change.prepared_at or timezone.now()
    change.decided_by, change.decided_at = by, timezone.now()
    change.save()
    _log(decision, by=by, kind=events.CHANGE_REFUSED, detail=_describe(change), reason=reason)
    return change


@transaction.atomic
def approve_change(*, change: ChangeRequest, by: User, reason: str = "") -> Amendment:
    """Approve the change and record it as an amendment of the decision, with its letter.

    A content or period change: a case officer approves it alone. A move of money: an approver
    at the same office approves what a case officer prepared (never their own preparation); the
    money moves as a ledger entry checked against the line's unsettled money under the lock.
    While the report is not submitted, its lines follow the amended lines.
    """
    decision, change = _lock_change(change)
    if change.kind == ChangeKind.MOVE:
        _office_check(decision, by, Role.APPROVER)
        require_strong_login(by)  # moving money is an approver's act: two-step login, or ID-porten
        if change.state != ChangeState.PREPARED:
            raise WrongState("a move of money is approved after a case officer has prepared it")
        if change.prepared_by_id == by.pk:
            raise FourEyes
    else:
        _office_check(decision, by, Role.CASE_OFFICER)
        if change.state != ChangeState.REQUESTED:
            raise WrongState("the request is not waiting for the office")
        change.office_reason = _text(reason, "reason", required=False)
        change.prepared_by, change.prepared_at = by, timezone.now()
    obligation = _check_report_open(decision)
    report_changes: list[dict] = []
    if change.kind == ChangeKind.MOVE:
        amount = change.granted_amount
        current = ledger_of(decision)
        movement = Movement(change.line_id, Account.UNSETTLED, Account.UNSETTLED, amount, change.to_line_id)
        try:
            ledger.apply(current.balances, movement)
        except ledger.Refused as refused:
            raise ValidationError({"amount": _("The amount is more than is left on the line.")}) from refused
        Entry.objects.create(
            decision=decision,
            line_id=change.line_id,
            to_line_id=change.to_line_id,
            source=Account.UNSETTLED.value,
            target=Account.UNSETTLED.value,
            amount=amount,
            by=by,
            reason=str(_describe(change, amount)),
        )
        change.state = ChangeState.APPROVED if amount == change.amount else ChangeState.PARTLY
    else:
        change.state = ChangeState.APPROVED
    change.decided_by, change.decided_at = by, timezone.now()
    change.save()
    if obligation is not None:
        report_changes = _mirror_in_report(obligation, change, by)
    amendment = _amendment(decision, change)
    _log(
        decision,
        by=by,
        kind=events.CHANGE_APPROVED,
        detail=_describe(change, change.granted_amount),
        reason=change.office_reason
        or (_("Prepared by %(name)s.") % {"name": change.prepared_by} if change.moves_money else ""),
    )
    if report_changes:
        record(obligation, by=by, kind=events.REPORT_AMENDED, changes=report_changes)
    return amendment


def _mirror_in_report(obligation: ReportObligation, change: ChangeRequest, by: User) -> list[dict]:
    """The report not yet submitted shows the amended lines: granted amounts, title and education type."""
    lines = {line.decision_line_id: line for line in obligation.lines.select_for_update()}
    found: list[dict] = []

    def set_value(line, field: str, label: str, value) -> None:
        before = getattr(line, field)
        if value in (None, "") or before == value:
            return
        setattr(line, field, value)
        line.save(update_fields=[field])
        found.append({"field": field, "label": f"{line.title}: {label}", "before": before, "after": value})

    if change.kind == ChangeKind.MOVE:
        amount = change.granted_amount
        source, target = lines.get(change.line_id), lines.get(change.to_line_id)
        if source is not None:
            set_value(source, "granted", str(_("granted (kr)")), source.granted - amount)
        if target is not None:
            set_value(target, "granted", str(_("granted (kr)")), target.granted + amount)
    elif change.kind == ChangeKind.CONTENT and change.line_id in lines:
        line = lines[change.line_id]
        set_value(line, "education_type", str(_("education type")), change.new_education_type)
        set_value(line, "title", str(_("title")), change.new_title)
    if found:
        ReportObligation.objects.filter(pk=obligation.pk).update(
            version=F("version") + 1, updated_at=timezone.now(), last_edited_by=by
        )
    return found


def _amendment(decision: Decision, change: ChangeRequest) -> Amendment:
    from tilskudd.amendments.letters import letter_language, render_amendment_pdf

    number = Amendment.objects.filter(decision=decision).count() + 1
    amendment = Amendment(
        decision=decision,
        change=change,
        number=number,
        language=letter_language(decision),
        made_at=timezone.now(),
    )
    pdf = render_amendment_pdf(amendment)
    amendment.sha256 = hashlib.sha256(pdf).hexdigest()
    amendment.size = len(pdf)
    amendment.letter.save(amendment.filename, ContentFile(pdf), save=False)
    amendment.save()
    return amendment
