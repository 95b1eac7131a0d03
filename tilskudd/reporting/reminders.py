"""Reminders before the reporting deadline, and the one entry point cron calls for every reminder."""

from datetime import timedelta

from django.utils import timezone

from tilskudd.decisions.reminders import send_application_reminders, send_once
from tilskudd.reporting.models import ReportObligation


def send_report_reminders(*, days: int = 7, now=None) -> int:
    now = now or timezone.now()
    horizon = now + timedelta(days=days)
    sent = 0
    obligations = ReportObligation.objects.unreported().filter(due__gt=now, due__lte=horizon)
    for obligation in obligations.select_related("organisation", "round__office"):
        sent += send_once(
            "report_deadline",
            f"obligation:{obligation.pk}",
            obligation.organisation,
            "reporting/email/reminder_report.txt",
            {"obligation": obligation},
            round_id=obligation.round_id,
        )
    return sent


def send_reminders(*, days: int = 7, now=None) -> int:
    """Every reminder due within ``days``; safe to run as often as you like (never sends twice)."""
    now = now or timezone.now()
    return send_application_reminders(days=days, now=now) + send_report_reminders(days=days, now=now)
