"""Reminders before the application deadline (the reporting stage adds its own for reports).

Run by cron (`manage.py send_reminders`); each reminder is recorded before it is
sent, so running the command again sends nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from tilskudd.accounts.memberships import people_with
from tilskudd.accounts.models import Role
from tilskudd.applications.models import Application, Status
from tilskudd.caselog.log import record
from tilskudd.decisions import events
from tilskudd.decisions.models import Reminder
from tilskudd.organisations.models import Organisation
from tilskudd.rounds.models import Round


def recipients(organisation: Organisation) -> list[str]:
    """Who at the organisation is e-mailed about its applications and reports: its active signers and
    applicants with an address."""
    return sorted(
        set(
            people_with(Role.SIGNER, Role.APPLICANT, organisation_id=organisation.pk)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send_once(
    kind: str, key: str, organisation: Organisation, template: str, context: dict, *, round_id: int
) -> bool:
    to = recipients(organisation)
    if not to:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, key=key, organisation=organisation)
            record(organisation, by=None, kind=events.REMINDER_SENT, detail=kind, round_id=round_id)
    except IntegrityError:
        return False  # sent before
    mail(organisation, template, context, to)
    return True


def mail(organisation: Organisation, template: str, context: dict, to: list[str]) -> None:
    """A text template (first line the subject) in the organisation's written language, sent to ``to``."""
    with override(organisation.written_language):
        text = render_to_string(template, {"organisation": organisation, **context})
    subject, _, body = text.strip().partition("\n")
    send_mail(subject.strip(), body.strip(), settings.DEFAULT_FROM_EMAIL, to)


def send_application_reminders(*, days: int = 7, now=None) -> int:
    """Remind organisations that have not submitted, ``days`` before the application deadline."""
    now = now or timezone.now()
    horizon = now + timedelta(days=days)
    sent = 0
    for round in Round.objects.published().filter(
        application_deadline__gt=now, application_deadline__lte=horizon
    ):
        submitted = set(
            Application.objects.filter(round=round, status=Status.SUBMITTED).values_list(
                "organisation_id", flat=True
            )
        )
        for organisation in Organisation.objects.in_office(round.office).exclude(pk__in=submitted):
            sent += send_once(
                "application_deadline",
                f"round:{round.pk}",
                organisation,
                "decisions/email/reminder_application.txt",
                {"round": round},
                round_id=round.pk,
            )
    return sent
