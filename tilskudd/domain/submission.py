"""Whether an application may be submitted now: R2, R4, R5 and R6 at submission, and bounds.

Plain data in, a list of problems out; the Django layer turns each problem into a
message next to the right field. An empty list means the application may be
submitted.
"""

from dataclasses import dataclass, field
from datetime import datetime

from tilskudd.domain.deadlines import is_on_time
from tilskudd.domain.lines import (
    APPLICATION_REQUIRED_FIELDS,
    LineKind,
    line_amount,
    line_out_of_bounds,
    missing_fields,
)
from tilskudd.domain.money import MAX_AMOUNT


@dataclass(frozen=True)
class LineFacts:
    ref: int  # the line's id, for pointing at it
    kind: LineKind
    values: dict[str, object]


@dataclass(frozen=True)
class UnreportedAward:
    ref: int  # the report obligation's id
    round_title: str
    href: str = ""  # where the report is written: a path the reporting stage gives (no URLs here)


@dataclass(frozen=True)
class SubmissionFacts:
    applicant_kind: str
    allowed_line_kinds: dict[str, list[str]]  # the round's applicant-kind × line-kind matrix
    line_limits: dict[str, int]  # e.g. {"innovation": 5}; absent kind = no limit
    deadline: datetime
    now: datetime
    extension_until: datetime | None
    unreported: tuple[UnreportedAward, ...]
    application_values: dict[str, object]
    lines: tuple[LineFacts, ...]
    # An organisation applies to exactly one office: the one over its fylke (SPEC "Reference data").
    applicant_office: int | None = None
    round_office: int | None = None
    line_ceiling: int = MAX_AMOUNT  # the most one line may ask for (lines.line_ceiling of the round's funds)


@dataclass(frozen=True)
class Problem:
    code: str
    rule: str
    line_ref: int | None = None
    fields: tuple[str, ...] = ()
    params: dict[str, object] = field(default_factory=dict)


def deadline_in_force(deadline: datetime, extension_until: datetime | None) -> datetime:
    """The round's deadline, or the organisation's extension where one was granted (R5)."""
    if extension_until and extension_until > deadline:
        return extension_until
    return deadline


def check_submission(facts: SubmissionFacts) -> list[Problem]:
    problems: list[Problem] = []

    if facts.applicant_office != facts.round_office:
        problems.append(Problem("wrong_office", "R6"))
        return problems  # nothing else matters: this round is not the organisation's to apply to

    deadline = deadline_in_force(facts.deadline, facts.extension_until)
    if not is_on_time(facts.now, deadline):
        problems.append(Problem("deadline_passed", "R5", params={"deadline": deadline}))

    for award in facts.unreported:
        problems.append(
            Problem(
                "report_missing",
                "R4",
                params={"ref": award.ref, "round": award.round_title, "href": award.href},
            )
        )

    allowed = set(facts.allowed_line_kinds.get(facts.applicant_kind, []))
    counts: dict[str, int] = {}
    for line in facts.lines:
        counts[line.kind] = counts.get(line.kind, 0) + 1
        if line.kind not in allowed:
            problems.append(
                Problem("line_kind_not_allowed", "R2", line_ref=line.ref, params={"kind": line.kind})
            )
    for kind, limit in sorted(facts.line_limits.items()):
        if counts.get(kind, 0) > limit:
            problems.append(
                Problem(
                    "line_limit_exceeded", "R1", params={"kind": kind, "limit": limit, "count": counts[kind]}
                )
            )

    if not facts.lines:
        problems.append(Problem("no_lines", "R6"))
    missing = [
        n for n in APPLICATION_REQUIRED_FIELDS if not str(facts.application_values.get(n) or "").strip()
    ]
    if missing:
        problems.append(Problem("application_incomplete", "R6", fields=tuple(missing)))
    for line in facts.lines:
        line_missing = missing_fields(line.kind, line.values)
        if line_missing:
            problems.append(Problem("line_incomplete", "R6", line_ref=line.ref, fields=tuple(line_missing)))

    # Bounds: a submitted application is frozen, so nothing absurd may get in (issue 9). A line out of
    # bounds is named on its own and left out of the application's total.
    total = 0
    for line in facts.lines:
        out = line_out_of_bounds(line.kind, line.values, facts.line_ceiling)
        if out:
            problems.append(
                Problem(
                    "line_out_of_bounds",
                    "bounds",
                    line_ref=line.ref,
                    fields=tuple(o.field for o in out),
                    params={"ceiling": facts.line_ceiling},
                )
            )
        else:
            total += line_amount(line.kind, line.values)
    if total > MAX_AMOUNT:
        problems.append(
            Problem("application_total_too_large", "bounds", params={"total": total, "max": MAX_AMOUNT})
        )
    return problems
