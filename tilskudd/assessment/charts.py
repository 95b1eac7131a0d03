"""Rows for the allocation charts: applied against proposed, by kind, theme and applicant.

Rows first (STYLE §7): the template draws each chart as SVG bars and shows the same
numbers in a table beside it, so the chart is never the only way to read them.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tilskudd.rounds.models import LineKindChoices, ThemeChoices


@dataclass(frozen=True)
class Bar:
    label: str
    applied: int
    proposed: int
    applied_pct: float = 0.0
    proposed_pct: float = 0.0
    y: int = 0  # row position in the SVG's coordinates: two units per row

    @property
    def y_proposed(self) -> float:
        return self.y + 0.85


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: list[Bar]

    @property
    def height(self) -> int:
        return 2 * len(self.bars)


def _scaled(key: str, title: str, rows: list[tuple[str, int, int]]) -> Chart:
    top = max([max(a, p) for _, a, p in rows] + [1])
    bars = [
        Bar(label, a, p, round(100 * a / top, 2), round(100 * p / top, 2), 2 * index)
        for index, (label, a, p) in enumerate(rows)
    ]
    return Chart(key, title, bars)


def round_charts(proposal) -> list[Chart]:
    allocation = proposal.allocation
    by_kind: dict[str, list[int]] = {}
    by_theme: dict[str, list[int]] = {}
    by_applicant: dict[str, list[int]] = {}
    for item in proposal.lines:
        line, amount = item.line, item.result.amount
        for bucket, key in (
            (by_kind, line.kind),
            (by_applicant, line.application.organisation.name),
            *((by_theme, theme) for theme in (line.themes or [])),
        ):
            totals = bucket.setdefault(key, [0, 0])
            totals[0] += line.amount
            totals[1] += amount
    funds = proposal.scenario.round.total_funds
    return [
        _scaled(
            "overall",
            _("Applied for, available and proposed"),
            [
                (_("Applied for"), proposal.applied, 0),
                (_("Available"), funds, 0),
                (_("Proposed"), 0, allocation.total),
            ],
        ),
        _scaled(
            "kind",
            _("By kind of measure"),
            [(capfirst(str(LineKindChoices(k).label)), a, p) for k, (a, p) in sorted(by_kind.items())],
        ),
        _scaled(
            "theme",
            _("Innovation projects by theme"),
            [
                (capfirst(str(ThemeChoices(k).label)) if k in ThemeChoices.values else k, a, p)
                for k, (a, p) in sorted(by_theme.items(), key=lambda kv: -kv[1][0])
            ],
        ),
        _scaled(
            "applicant",
            _("By applicant"),
            [(k, a, p) for k, (a, p) in sorted(by_applicant.items(), key=lambda kv: -kv[1][0])],
        ),
    ]
