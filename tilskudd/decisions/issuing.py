"""From an approved decision to money paid: letters, acceptance, payment (R10c).

Letters are made once and stored; a whole round's letters are made by a background
task on the Tasks API so no request waits for them, with progress kept on a
LetterBatch row that the page polls.
"""

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Sum
from django.template.loader import render_to_string
from django.utils import formats, timezone
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


def issue_letter(decision: Decision) -> Letter:
    """The decision's letter: made and stored the first time, returned as stored after that."""
    existing = Letter.objects.filter(decision=decision).first()
    if existing:
        return existing
    if not decision.is_approved:
        raise ValueError("only approved decisions get letters")
    pdf = render_letter_pdf(decision)
    with transaction.atomic():
        letter = Letter(
            decision=decision,
            language=letter_language(decision),
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
        )
        letter.file.save(letter_filename(decision), ContentFile(pdf), save=False)
        letter.save()
        Event.objects.create(
            application=decision.application,
            kind=EventKind.LETTER_ISSUED,
            actor=decision.approved_by,
            detail=letter_filename(decision),
        )
    notify_decision(letter)
    return letter


def notify_decision(letter: Letter) -> None:
    """E-mail the applicant that the decision is available, with the letter attached. Once."""
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
    if not recipients or letter.notified_at:
        return
    with override(letter.language):
        context = {"decision": decision, "application": application, "office": application.round.office}
        subject = " ".join(render_to_string("decisions/email/decision_subject.txt", context).split())
        body = render_to_string("decisions/email/decision_body.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    with letter.file.open("rb") as handle:
        message.attach(letter_filename(decision), handle.read(), "application/pdf")
    message.send()
    Letter.objects.filter(pk=letter.pk).update(notified_at=timezone.now())


def letters_pending(round: Round):
    return Decision.objects.filter(application__round=round, approved_at__isnull=False, letter__isnull=True)


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
