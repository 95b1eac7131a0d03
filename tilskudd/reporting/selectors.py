"""Reads of reports shared by pages and exports."""

from dataclasses import dataclass

from django.utils import timezone

from tilskudd.decisions.models import Reminder
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.reporting.models import ReportObligation


@dataclass(frozen=True)
class ReportRow:
    obligation: ReportObligation
    state: str
    state_label: str
    reminders: int


def round_reports(round, *, state: str = "", q: str = "", now=None) -> list[ReportRow]:
    """Every report obligation of ``round`` with its state and reminders sent: two queries, however many."""
    now = now or timezone.now()
    obligations = list(
        ReportObligation.objects.filter(round=round).select_related(
            "organisation", "round__office", "submitted_by"
        )
    )
    keys = {f"obligation:{o.pk}": o.pk for o in obligations}
    reminders: dict[int, int] = {}
    for key in Reminder.objects.filter(kind="report_deadline", key__in=list(keys)).values_list(
        "key", flat=True
    ):
        reminders[keys[key]] = reminders.get(keys[key], 0) + 1
    rows = [
        ReportRow(o, o.state(now).value, o.state_label(now), reminders.get(o.pk, 0))
        for o in obligations
        if not q or q.casefold() in o.organisation.name.casefold()
    ]
    if state:
        rows = [row for row in rows if row.state == state]
    return sorted(rows, key=lambda row: norwegian_sort_key(row.obligation.organisation.name))
