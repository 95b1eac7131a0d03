"""The report on an award (R11, R11b): what each report line holds, its bounds, and when it may be submitted.

Plain data in, problems out: the web form and the Excel workbook both put their
values through ``line_problems`` so the two doors store the same report with the
same rules, and ``submission_problems`` decides whether the signer may submit it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from tilskudd.domain.lines import MAX_PERSONS, LineKind
from tilskudd.domain.money import MAX_AMOUNT

DEFAULT_AUDIT_THRESHOLD = 200_000  # kr: at or above, an auditor's confirmation (revisoruttalelse), R11
MAX_TEXT = 4000  # characters in a free-text answer (results, sharing, reasons)


class InnovationStatus(StrEnum):
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    STOPPED = "stopped"


class UnusedChoice(StrEnum):
    CARRY_OVER = "carry_over"  # apply to carry the unused money over to next year (R12)
    REPAY = "repay"  # pay it back (R14)


class ReportState(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WRITTEN_OFF = "written_off"


# The counts per kind, and what kind of value each field takes.
COUNT_FIELDS: dict[LineKind, tuple[str, ...]] = {
    LineKind.COMPETENCE: ("completed", "in_education", "dropped_out"),
    LineKind.BPA: ("work_leaders_trained", "case_workers_trained", "assistants_trained"),
    LineKind.INNOVATION: (),
}
TEXT_FIELDS: dict[LineKind, tuple[str, ...]] = {
    LineKind.COMPETENCE: (),
    LineKind.BPA: (),
    LineKind.INNOVATION: ("results", "sharing"),
}
MONEY_FIELDS = ("used", "unused")
# What the signer must have filled in before submitting, per kind (money is checked on its own).
REQUIRED: dict[LineKind, tuple[str, ...]] = {
    LineKind.COMPETENCE: COUNT_FIELDS[LineKind.COMPETENCE],
    LineKind.BPA: ("bpa_training_type", *COUNT_FIELDS[LineKind.BPA]),
    LineKind.INNOVATION: ("innovation_status", "results", "sharing"),
}


@dataclass(frozen=True)
class LineProblem:
    field: str
    code: str  # negative | too_many | too_large | too_long | over_granted | sum_mismatch | choice_missing
    # | reason_missing | missing | invalid_choice
    params: dict[str, object] = field(default_factory=dict)


def line_problems(kind: LineKind, granted: int, values: dict[str, object]) -> list[LineProblem]:
    """Bounds and consistency of one report line's values (empty values are allowed in a draft)."""
    problems: list[LineProblem] = []
    for name in COUNT_FIELDS[kind]:
        value = values.get(name)
        if value is None:
            continue
        if value < 0:
            problems.append(LineProblem(name, "negative"))
        elif value > MAX_PERSONS:
            problems.append(LineProblem(name, "too_many", {"limit": MAX_PERSONS}))
    for name in (*TEXT_FIELDS[kind], "carry_over_reason"):
        if len(str(values.get(name) or "")) > MAX_TEXT:
            problems.append(LineProblem(name, "too_long", {"limit": MAX_TEXT}))
    if kind == LineKind.INNOVATION:
        status = values.get("innovation_status") or ""
        if status and status not in set(InnovationStatus):
            problems.append(LineProblem("innovation_status", "invalid_choice"))
    used, unused = values.get("used"), values.get("unused")
    for name, value in (("used", used), ("unused", unused)):
        if value is None:
            continue
        if value < 0:
            problems.append(LineProblem(name, "negative"))
        elif value > MAX_AMOUNT:
            problems.append(LineProblem(name, "too_large", {"limit": MAX_AMOUNT}))
        elif value > granted:
            problems.append(LineProblem(name, "over_granted", {"granted": granted}))
    if (
        used is not None
        and unused is not None
        and 0 <= used <= granted
        and 0 <= unused <= granted
        and used + unused != granted
    ):
        problems.append(LineProblem("unused", "sum_mismatch", {"granted": granted}))
    choice = values.get("unused_choice") or ""
    if choice and choice not in set(UnusedChoice):
        problems.append(LineProblem("unused_choice", "invalid_choice"))
    return problems


def missing_on_submit(kind: LineKind, values: dict[str, object]) -> list[LineProblem]:
    """What a line still lacks before the report can be submitted."""
    missing = [
        LineProblem(name, "missing")
        for name in (*REQUIRED[kind], *MONEY_FIELDS)
        if values.get(name) is None or values.get(name) == ""
    ]
    unused = values.get("unused") or 0
    if unused > 0:
        choice = values.get("unused_choice") or ""
        if not choice:
            missing.append(LineProblem("unused_choice", "choice_missing"))
        elif choice == UnusedChoice.CARRY_OVER and not str(values.get("carry_over_reason") or "").strip():
            missing.append(LineProblem("carry_over_reason", "reason_missing"))
    return missing


def needs_auditor(awarded: int, threshold: int) -> bool:
    """R11: an auditor's confirmation at or above the round's threshold; below it, a project account."""
    return awarded >= threshold


def report_state(
    *,
    now: datetime,
    period_starts: datetime,
    due: datetime,
    submitted: bool,
    approved: bool,
    returned: bool,
    written_off: bool,
) -> ReportState:
    """Where a report obligation stands, for the office's list and the organisation's page."""
    if written_off:
        return ReportState.WRITTEN_OFF
    if approved:
        return ReportState.APPROVED
    if submitted:
        return ReportState.SUBMITTED
    if returned:
        return ReportState.RETURNED
    if now > due:
        return ReportState.OVERDUE
    if now >= period_starts:
        return ReportState.DUE
    return ReportState.NOT_YET_DUE


def default_due(year: int) -> date:
    """Without a next round's reporting deadline, an award of ``year`` is reported by 1 February next year."""
    return date(year + 1, 2, 1)
