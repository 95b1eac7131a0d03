"""From an approved decision to money paid: letters, acceptance, payment (R10c).

Letters are made once and stored; a whole round's letters are made by a background
task on the Tasks API so no request waits for them, with progress kept on a
LetterBatch row that the page polls. Each letter and its e-mail are claimed in the
database before they are made, so two workers (or two batches) running at once make
each one once.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import Event, EventKind
from tilskudd.assessment.services import check_office_staff
from tilskudd.decisions.letters import letter_language, render_letter_pdf
from tilskudd.decisions.models import Acceptance, Decision, Letter, LetterBatch, Outcome, Payment
from tilskudd.domain.identifiers import is_valid_kontonummer, normalise
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
            Event.objects.create(
                application=decision.application,
                kind=EventKind.LETTER_ISSUED,
                actor=decision.approved_by,
                detail=letter_filename(decision),
            )
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
                application.organisation.members.filter(role=Role.SIGNER, is_active=True)
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
    Letter.objects.filter(pk=letter.pk).update(notified_at=letter.notified_at)
    return True


def letters_pending(round: Round):
    """The round's approved decisions whose letter is not made yet, or not e-mailed yet."""
    return Decision.objects.filter(application__round=round, approved_at__isnull=False).filter(
        Q(letter__isnull=True) | Q(letter__notified_at__isnull=True)
    )


def start_letter_batch(*, round: Round, by: User) -> LetterBatch:
    check_office_staff(by, round)
    batch = LetterBatch.objects.create(round=round, requested_by=by, total=letters_pending(round).count())
    result = make_round_letters.enqueue(batch.pk)
    LetterBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id))
    batch.refresh_from_db()
    return batch


@task()
def make_round_letters(batch_id: int) -> int:
    """Make every missing letter of the round, one at a time (no PDF is kept in memory after it is stored)."""
    batch = LetterBatch.objects.get(pk=batch_id)
    LetterBatch.objects.filter(pk=batch_id).update(started_at=timezone.now())
    pending = letters_pending(batch.round).select_related(
        "application__organisation", "application__round__office", "prepared_by", "approved_by"
    )
    made = 0
    for decision in pending.iterator(chunk_size=50):
        try:
            issue_letter(decision)
            made += 1
            LetterBatch.objects.filter(pk=batch_id).update(done=F("done") + 1)
        except Exception as error:  # one bad letter must not stop the round; it is reported
            logger.exception("Letter for decision %s failed", decision.pk)
            batch.refresh_from_db(fields=["errors"])
            errors = [
                *batch.errors,
                {"organisation": decision.application.organisation.name, "error": str(error)},
            ]
            LetterBatch.objects.filter(pk=batch_id).update(failed=F("failed") + 1, errors=errors)
    LetterBatch.objects.filter(pk=batch_id).update(finished_at=timezone.now())
    return made


def accept(*, decision: Decision, by: User, account_number: str) -> Acceptance:
    """The recipient's signer accepts the conditions and confirms the account (R10c)."""
    application = decision.application
    if not by.signs_for(application.organisation_id):
        raise PermissionDenied
    if not decision.is_approved or decision.granted == 0:
        raise PermissionDenied
    number = normalise(account_number)
    if not is_valid_kontonummer(number):
        raise ValidationError(
            {"account_number": _("The account number must be 11 digits with a valid check digit (MOD11).")}
        )
    with transaction.atomic():
        acceptance, created = Acceptance.objects.get_or_create(
            decision=decision, defaults={"account_number": number, "accepted_by": by}
        )
        if created:
            Event.objects.create(application=application, kind=EventKind.ACCEPTED, actor=by, detail=number)
    return acceptance


def paid_total(decision: Decision) -> int:
    return decision.payments.aggregate(total=Sum("amount"))["total"] or 0


def record_payment(*, decision: Decision, by: User, paid_on, amount: int) -> Payment:
    round = decision.application.round
    check_office_staff(by, round)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if not Acceptance.objects.filter(decision=decision).exists():
            raise ValidationError({"amount": _("The recipient has not accepted the award yet.")})
        if amount <= 0 or paid_total(decision) + amount > decision.granted:
            raise ValidationError(
                {"amount": _("The payments cannot add up to more than the amount granted.")}
            )
        payment = Payment.objects.create(decision=decision, paid_on=paid_on, amount=amount, recorded_by=by)
        Event.objects.create(
            application=decision.application,
            kind=EventKind.PAID,
            actor=by,
            detail=f"{amount} kr {paid_on:%Y-%m-%d}",
        )
    return payment
