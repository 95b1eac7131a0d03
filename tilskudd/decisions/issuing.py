"""From an approved decision to money paid: letters, acceptance, payment (R10c).

Letters are made once and stored; a whole round's letters are made by a background
task on the Tasks API so no request waits for them, with progress kept on a
LetterBatch row that the page polls. A worker can be killed at any moment: each
letter and its e-mail are claimed in the database before they are made, so a batch
started again (or a second one running beside it) does what is missing and nothing
twice.
"""

import hashlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, Sum
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django_tasks import task

from tilskudd.accounts.memberships import people_with
from tilskudd.accounts.models import Role, User
from tilskudd.assessment.services import check_office_staff
from tilskudd.caselog.log import record
from tilskudd.decisions import events, hooks
from tilskudd.decisions.letters import format_day, letter_language, render_letter_pdf
from tilskudd.decisions.models import (
    Acceptance,
    AcceptanceExtension,
    Decision,
    Letter,
    LetterBatch,
    Outcome,
    Payment,
)
from tilskudd.decisions.selectors import LETTER_PENDING
from tilskudd.domain import deadlines
from tilskudd.domain.deadlines import OSLO, is_on_or_before
from tilskudd.domain.identifiers import format_kontonummer, is_valid_kontonummer, normalise
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import Round

logger = logging.getLogger(__name__)


def letter_filename(decision: Decision) -> str:
    kind = "avslagsbrev" if decision.outcome == Outcome.REFUSED else "tildelingsbrev"
    return f"{kind}-{decision.application.case_number.replace('/', '-')}.pdf"


def issue_letter(decision: Decision, *, wait: bool = True) -> Letter | None:
    """The decision's letter, made, stored and e-mailed exactly once; returned as stored after that.

    Several workers may reach the same decision at once (two batches, or a restarted
    batch beside a worker that was thought dead). The first locks the decision row and
    makes the letter while it holds it; the others wait and then find the letter, or,
    with ``wait=False``, skip the decision and get None (PostgreSQL's SKIP LOCKED).
    SQLite has no row locks: its IMMEDIATE transactions let one writer in at a time,
    so there the others always wait, and the re-check inside the transaction is what
    keeps it to one letter.
    """
    letter = Letter.objects.filter(decision=decision).first() or _make_letter(decision, wait=wait)
    if letter is not None:
        notify_decision(letter)
    return letter


def _make_letter(decision: Decision, *, wait: bool) -> Letter | None:
    if not decision.is_approved:
        raise ValueError("only approved decisions get letters")
    stored = ""
    try:
        with transaction.atomic():
            claimed = (
                Decision.objects.select_for_update(skip_locked=not wait)
                .filter(pk=decision.pk)
                .values_list("pk", flat=True)
                .first()
            )
            if claimed is None:
                return None  # another worker is making it now
            letter = Letter.objects.filter(decision=decision).first()
            if letter is not None:
                return letter  # made while this worker waited for the decision
            pdf = render_letter_pdf(decision)
            letter = Letter(
                decision=decision,
                language=letter_language(decision),
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
            )
            # A file already at the letter's place was left by a worker that stopped
            # between storing it and committing its row: no letter refers to it and this
            # worker holds the decision, so it is replaced rather than kept beside the new one.
            storage = letter.file.storage
            storage.delete(letter.file.field.generate_filename(letter, letter_filename(decision)))
            letter.file.save(letter_filename(decision), ContentFile(pdf), save=False)
            stored = letter.file.name
            letter.save()
            record(decision.application, by=None, kind=events.LETTER_ISSUED, detail=letter_filename(decision))
    except BaseException:
        if stored:  # the row was not committed: the file must not outlive it
            storage.delete(stored)
        raise
    return letter


SENDING_LEASE = timedelta(minutes=2)  # longer than EMAIL_TIMEOUT, so only a stopped worker's claim expires


def notify_decision(letter: Letter) -> bool:
    """E-mail the applicant that the decision is available, with the letter attached. Once.

    The sending is claimed with a conditional UPDATE before the message goes, so two
    workers never both send it. A claim whose worker stopped before recording the
    send is taken over after SENDING_LEASE; only a worker killed between the mail
    server accepting the message and the record of it can cause a second e-mail.
    """
    if letter.notified_at:
        return False
    decision = letter.decision
    application = decision.application
    recipients = sorted(
        {
            address
            for address in [application.contact_email]
            + list(
                people_with(Role.SIGNER, organisation_id=application.organisation_id)
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if address
        }
    )
    if not recipients:  # submission requires a contact e-mail, so this is a fault to report
        raise ValueError(_("There is no e-mail address to send the decision to."))
    claimed_at = timezone.now()
    claimed = (
        Letter.objects.filter(pk=letter.pk, notified_at__isnull=True)
        .filter(Q(sending_since__isnull=True) | Q(sending_since__lt=claimed_at - SENDING_LEASE))
        .update(sending_since=claimed_at)
    )
    if not claimed:
        return False  # sent already, or being sent by another worker
    try:
        with override(letter.language):
            context = {"decision": decision, "application": application, "office": application.round.office}
            subject = " ".join(render_to_string("decisions/email/decision_subject.txt", context).split())
            body = render_to_string("decisions/email/decision_body.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        with letter.file.open("rb") as handle:
            message.attach(letter_filename(decision), handle.read(), "application/pdf")
        message.send()
    except BaseException:
        Letter.objects.filter(pk=letter.pk, sending_since=claimed_at).update(sending_since=None)
        raise
    letter.notified_at = timezone.now()
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(notified_at=letter.notified_at)
        record(application, by=None, kind=events.NOTIFIED, detail=", ".join(recipients))
    return True


def letters_pending(round: Round):
    """The round's approved decisions whose letter is not made yet, or not e-mailed yet."""
    return Decision.objects.filter(application__round=round, approved_at__isnull=False).filter(LETTER_PENDING)


def start_letter_batch(*, round: Round, by: User) -> LetterBatch:
    """Make the round's missing letters in the background, or start again after a batch stopped.

    A batch that is still alive is returned as it is, so the page never starts a second
    one beside it. A stale one (its worker was killed) is abandoned, and the new batch
    takes over the letters still missing, and only those.
    """
    check_office_staff(by, round)
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()  # one start at a time per round
        unfinished = list(round.letter_batches.filter(finished_at__isnull=True, abandoned_at__isnull=True))
        alive = [batch for batch in unfinished if not batch.is_stale]
        if alive:
            return alive[0]
        if unfinished:
            logger.warning("Letter batches %s stopped; starting again", [batch.pk for batch in unfinished])
            LetterBatch.objects.filter(pk__in=[batch.pk for batch in unfinished]).update(
                abandoned_at=timezone.now()
            )
        batch = LetterBatch.objects.create(round=round, requested_by=by, total=letters_pending(round).count())
        batch.task_id = str(make_round_letters.enqueue(batch.pk).id)
        batch.save(update_fields=["task_id"])
        record(
            round,
            by=by,
            kind=events.LETTERS_STARTED,
            detail=str(batch.total),
            reason=_("The earlier run stopped.") if unfinished else "",
        )
    return batch


class _Abandoned(Exception):
    """The batch was given up as stopped and replaced while this worker still ran it."""


def _beat(batch_id: int, **changes) -> None:
    """Record progress and a heartbeat; stop if the batch has been replaced meanwhile."""
    if not LetterBatch.objects.filter(pk=batch_id, abandoned_at__isnull=True).update(
        heartbeat_at=timezone.now(), **changes
    ):
        raise _Abandoned


def _letter_for_batch(batch_id: int, decision: Decision, *, wait: bool) -> bool:
    """One decision's letter and e-mail, counted on the batch. False if another worker holds it."""
    try:
        if issue_letter(decision, wait=wait) is None:
            return False
    except Exception as error:  # one bad letter must not stop the round; it is reported
        logger.exception("Letter for decision %s failed", decision.pk)
        errors = LetterBatch.objects.values_list("errors", flat=True).get(pk=batch_id)
        entry = {"organisation": decision.application.organisation.display_name, "error": str(error)}
        _beat(batch_id, failed=F("failed") + 1, errors=[*errors, entry])
    else:
        _beat(batch_id, done=F("done") + 1)
    return True


def _decisions(pks: list[int], chunk: int = 50):
    """The decisions with what a letter needs, read a chunk at a time (no cursor is held open while writing)."""
    for start in range(0, len(pks), chunk):
        yield from (
            Decision.objects.filter(pk__in=pks[start : start + chunk])
            .order_by("pk")
            .select_related(
                "application__organisation", "application__round__office", "prepared_by", "approved_by"
            )
        )


@task()
def make_round_letters(batch_id: int) -> int:
    """Make and send every missing letter of the round, one at a time (no PDF is kept in memory after it is stored).

    What is missing is read when the worker starts, so a batch started again after a
    crash does the rest and nothing twice. Decisions another worker is busy with are
    skipped at first and waited for at the end, so every one is counted.
    """
    batch = LetterBatch.objects.select_related("round").get(pk=batch_id)
    if batch.abandoned_at:
        return 0
    pending = list(letters_pending(batch.round).order_by("pk").values_list("pk", flat=True))
    busy_elsewhere = []
    try:
        _beat(batch_id, started_at=timezone.now())
        for decision in _decisions(pending):
            if not _letter_for_batch(batch_id, decision, wait=False):
                busy_elsewhere.append(decision.pk)
        for decision in _decisions(busy_elsewhere):
            _letter_for_batch(batch_id, decision, wait=True)
        _beat(batch_id, finished_at=timezone.now())
    except _Abandoned:
        logger.warning("Letter batch %s was started again elsewhere; this worker stops", batch_id)
        return 0
    return LetterBatch.objects.values_list("done", flat=True).get(pk=batch_id)


class AcceptanceClosed(Exception):
    """The acceptance deadline in force has passed: the office gives a new one, the signer cannot accept (R10c)."""

    def __init__(self, deadline: date):
        super().__init__(f"the acceptance deadline {deadline.isoformat()} has passed")
        self.deadline = deadline


# A new acceptance deadline lies at most this far ahead: further is a typing error.
EXTENSION_DAYS_AHEAD = 365


def acceptance_deadline_in_force(decision: Decision) -> date:
    """The last day the award can be accepted: the office's new deadline, or else the letter's (R10c).

    Reads ``decision.acceptance_extension`` (select_related it on lists to spare the query).
    """
    try:
        extension = decision.acceptance_extension
    except Decision.acceptance_extension.RelatedObjectDoesNotExist:
        extension = None
    return deadlines.acceptance_deadline_in_force(
        extension.until if extension is not None else None,
        decision.acceptance_due,
        decision.approved_at,
        decision.application.round.acceptance_weeks,
    )


def acceptance_is_open(decision: Decision, now: datetime | None = None) -> bool:
    """Whether the award can still be accepted: until the end of the deadline's day in Oslo."""
    return is_on_or_before(now or timezone.now(), acceptance_deadline_in_force(decision))


def accept(*, decision: Decision, by: User, account_number: str, now: datetime | None = None) -> Acceptance:
    """The recipient's signer accepts the conditions and confirms the account (R10c).

    Only until the acceptance deadline in force (the letter's, or a new one from the office),
    its whole last day included: after it, AcceptanceClosed.
    """
    now = now or timezone.now()
    application = decision.application
    if not by.signs_for(application.organisation_id):
        raise PermissionDenied
    number = normalise(account_number)  # a wrong number is said first, whatever else holds
    if not is_valid_kontonummer(number):
        raise ValidationError(
            {"account_number": _("The account number must be 11 digits with a valid check digit (MOD11).")}
        )
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update()
            .select_related("application__round", "application__organisation")
            .get(pk=decision.pk)
        )
        if not decision.is_approved or decision.granted == 0:
            raise PermissionDenied
        accepted = Acceptance.objects.filter(decision=decision).first()
        if accepted is not None:
            return accepted  # accepted already (a second click, or a second signer): nothing changes
        if not acceptance_is_open(decision, now):
            raise AcceptanceClosed(acceptance_deadline_in_force(decision))
        acceptance = Acceptance.objects.create(decision=decision, account_number=number, accepted_by=by)
        record(application, by=by, kind=events.ACCEPTED, detail=format_kontonummer(number))
    return acceptance


def grant_acceptance_extension(
    *, decision: Decision, by: User, until: date, reason: str, now: datetime | None = None
) -> AcceptanceExtension:
    """A new acceptance deadline for one award, with the reason, logged on its case (R10c).

    For an approved award that is not accepted yet; the new last day is after the deadline in
    force and not before today. Granting again replaces the earlier new deadline.
    """
    now = now or timezone.now()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update()
            .select_related("application__round")  # not the extension: no FOR UPDATE on an outer join
            .get(pk=decision.pk)
        )
        check_office_staff(by, decision.application.round)
        if not decision.is_approved or decision.granted == 0:
            raise ValidationError({"until": _("Only an approved award has an acceptance deadline.")})
        if Acceptance.objects.filter(decision=decision).exists():
            raise ValidationError({"until": _("The award is accepted already.")})
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why the recipient gets a new deadline.")})
        before = acceptance_deadline_in_force(decision)
        today = now.astimezone(OSLO).date()
        language = (get_language() or "nb")[:2]
        if until < today:
            raise ValidationError({"until": _("The new deadline cannot be before today.")})
        if until <= before:
            raise ValidationError(
                {
                    "until": _("The new deadline must be later than the deadline in force, %(deadline)s.")
                    % {"deadline": format_day(before, language)}
                }
            )
        if until > today + timedelta(days=EXTENSION_DAYS_AHEAD):
            raise ValidationError({"until": _("The new deadline can be at most a year from today.")})
        extension, _created = AcceptanceExtension.objects.update_or_create(
            decision=decision, defaults={"until": until, "reason": reason, "granted_by": by}
        )
        record(
            decision.application,
            by=by,
            kind=events.ACCEPTANCE_EXTENDED,
            detail=format_day(until),
            reason=reason,
            changes=[
                {
                    "field": "acceptance_deadline",
                    "label": str(_("acceptance deadline")),
                    "before": before.isoformat(),
                    "after": until.isoformat(),
                }
            ],
        )
    return extension


def paid_total(decision: Decision) -> int:
    return decision.payments.aggregate(total=Sum("amount"))["total"] or 0


# A payment is dated from a week before the decision was approved (a payment booked in the
# accounts just before the approval was registered here) to a year ahead (a payment scheduled
# in the bank). Anything else is a typing error: 0001-01-01 or 9999-12-31 were once accepted.
PAYMENT_DAYS_BEFORE_APPROVAL = 7
PAYMENT_DAYS_AHEAD = 365


def payment_window(decision: Decision) -> tuple[date, date]:
    """The first and last date a payment on this approved decision may carry."""
    earliest = timezone.localdate(decision.approved_at) - timedelta(days=PAYMENT_DAYS_BEFORE_APPROVAL)
    return earliest, timezone.localdate() + timedelta(days=PAYMENT_DAYS_AHEAD)


def record_payment(*, decision: Decision, by: User, paid_on: date, amount: int) -> Payment:
    round = decision.application.round
    check_office_staff(by, round)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if not decision.is_approved or not Acceptance.objects.filter(decision=decision).exists():
            raise ValidationError({"amount": _("The recipient has not accepted the award yet.")})
        earliest, latest = payment_window(decision)
        if not earliest <= paid_on <= latest:
            raise ValidationError(
                {
                    "paid_on": _(
                        "The payment date must be between %(earliest)s and %(latest)s: at most a week before "
                        "the decision was approved and at most a year from today."
                    )
                    % {
                        "earliest": formats.date_format(earliest, "DATE_FORMAT"),
                        "latest": formats.date_format(latest, "DATE_FORMAT"),
                    }
                }
            )
        paid = paid_total(decision)
        if amount <= 0 or paid + amount > decision.granted:
            raise ValidationError(
                {"amount": _("The payments cannot add up to more than the amount granted.")}
            )
        held = hooks.withheld([decision]).get(decision.pk, 0)
        if paid + amount > decision.granted - held:
            raise ValidationError(
                {
                    "amount": _(
                        "%(held)s of the grant is not to be paid now (held back until the final report is "
                        "approved, or reported as not used): at most %(payable)s can be paid now."
                    )
                    % {
                        "held": format_kroner(held),
                        "payable": format_kroner(max(decision.granted - held - paid, 0)),
                    }
                }
            )
        payment = Payment.objects.create(decision=decision, paid_on=paid_on, amount=amount, recorded_by=by)
        record(
            decision.application,
            by=by,
            kind=events.PAID,
            detail=f"{format_kroner(amount)} {paid_on:%d.%m.%Y}",
            changes=[
                {"field": "paid", "label": str(_("paid in all")), "before": paid, "after": paid + amount},
            ],
        )
    return payment
