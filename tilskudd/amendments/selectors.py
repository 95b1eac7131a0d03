"""Reads for change requests: the window, and each awarded line as amended so far."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from tilskudd.amendments.models import APPROVED, ChangeKind, ChangeRequest, ChangeWindow
from tilskudd.applications.models import Line
from tilskudd.decisions.models import Decision, DecisionLine
from tilskudd.domain.changes import is_open, round_window
from tilskudd.domain.ledger import Account
from tilskudd.settlement.services import Ledger, ledger_of


def windows_for(round, organisation_id: int) -> list[tuple[date, date]]:
    """The round's window (October of the award's year unless the round says otherwise) and any the office
    opened for this organisation."""
    own = ChangeWindow.objects.filter(round=round, organisation_id=organisation_id).values_list(
        "opens", "closes"
    )
    return [round_window(round.year, round.change_window_opens, round.change_window_closes), *own]


def window_is_open(round, organisation_id: int, now: datetime | None = None) -> bool:
    return is_open(now or timezone.now(), windows_for(round, organisation_id))


def period_end(round) -> date:
    """A measure's period is the award's year unless an approved change extended it."""
    return date(round.year, 12, 31)


@dataclass
class AmendedLine:
    line: DecisionLine
    title: str
    education_type: str
    description: str
    ends: date
    granted: int  # as decided
    now: int  # after approved moves
    unsettled: int

    @property
    def pk(self) -> int:
        return self.line.pk

    @property
    def changed_by(self) -> int:
        return self.now - self.granted


def amended_lines(decision: Decision, current: Ledger | None = None) -> list[AmendedLine]:
    """Each awarded line with the approved changes applied (the decision itself stays as it was)."""
    current = current or ledger_of(decision)
    round = decision.application.round
    approved = ChangeRequest.objects.filter(decision=decision, state__in=APPROVED).order_by(
        "decided_at", "pk"
    )
    moved: dict[int, int] = {}
    content: dict[int, dict] = {}
    for change in approved:
        if change.kind == ChangeKind.MOVE:
            amount = change.granted_amount or 0
            moved[change.line_id] = moved.get(change.line_id, 0) - amount
            moved[change.to_line_id] = moved.get(change.to_line_id, 0) + amount
        elif change.kind == ChangeKind.CONTENT:
            found = content.setdefault(change.line_id, {})
            for field, value in (
                ("title", change.new_title),
                ("education_type", change.new_education_type),
                ("description", change.new_description),
            ):
                if value:
                    found[field] = value
        elif change.kind == ChangeKind.PERIOD and change.new_end:
            content.setdefault(change.line_id, {})["ends"] = change.new_end
    education = dict(
        Line.objects.filter(pk__in=[line.line_id for line in current.lines]).values_list(
            "pk", "education_type"
        )
    )
    found = []
    for line in current.lines:
        changed = content.get(line.pk, {})
        found.append(
            AmendedLine(
                line=line,
                title=changed.get("title", line.title),
                education_type=changed.get("education_type", education.get(line.line_id, "")),
                description=changed.get("description", ""),
                ends=changed.get("ends", period_end(round)),
                granted=line.granted,
                now=line.granted + moved.get(line.pk, 0),
                unsettled=current.line_accounts(line.pk)[Account.UNSETTLED],
            )
        )
    return found
