"""Reads of reports shared by pages and exports."""

from dataclasses import dataclass

from django.utils import timezone

from tilskudd.decisions.models import Reminder
from tilskudd.domain.reporting import needs_auditor
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.reporting.models import ReportAttachment, ReportObligation


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


@dataclass(frozen=True)
class AuditRow:
    obligation: ReportObligation
    needs_statement: bool  # at or above the round's threshold (R11)
    state: str
    state_label: str
    files: int  # files attached to the report (any file counts for R11)
    confirmed: ReportAttachment | None  # the latest file the auditor has confirmed

    @property
    def waits_for_auditor(self) -> bool:
        """A draft that needs the auditor's statement and has none confirmed yet."""
        return self.needs_statement and self.obligation.is_editable and self.confirmed is None


def reports_for_auditor(organisation_id: int, *, now=None) -> list[AuditRow]:
    """Every report of the organisation, for its auditor: those that need an auditor's statement first,
    then the newest. Two queries, however many reports and files."""
    now = now or timezone.now()
    obligations = list(
        ReportObligation.objects.filter(organisation_id=organisation_id).select_related("round__office")
    )
    files: dict[int, int] = {}
    confirmed: dict[int, ReportAttachment] = {}
    for attachment in (
        ReportAttachment.objects.filter(obligation__in=obligations)
        .select_related("confirmed_by")
        .order_by("confirmed_at", "pk")
    ):
        files[attachment.obligation_id] = files.get(attachment.obligation_id, 0) + 1
        if attachment.confirmed_at is not None:
            confirmed[attachment.obligation_id] = attachment  # the latest wins
    rows = [
        AuditRow(
            obligation=o,
            needs_statement=needs_auditor(o.awarded, o.round.report_audit_threshold),
            state=o.state(now).value,
            state_label=o.state_label(now),
            files=files.get(o.pk, 0),
            confirmed=confirmed.get(o.pk),
        )
        for o in obligations
    ]
    return sorted(
        rows, key=lambda row: (not row.needs_statement, -row.obligation.round.year, row.obligation.pk)
    )
