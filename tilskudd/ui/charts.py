"""Tables of figures, each with a horizontal bar chart drawn from the same rows (STYLE §7).

A ``Table`` is rows first: a label, then one value per ``Column``. Every column says whether
it is kroner (else a count) and whether the chart draws it; ``table.chart`` draws the charted
columns as one series each, every bar scaled to the largest value of them all so bars compare
across series. ``ui/_chart.html`` shows the chart with the table beside it, so the chart is
never the only way to read the numbers. A value of ``None`` means "does not apply": no bar,
a dash in the table.

Each row of the chart is its label (the year, the kind, …) and a small drawing of its bars, so
the bars can be read where the table is not beside them (a phone shows it below the chart).
"""

from dataclasses import dataclass, field
from functools import cached_property

BAR_HEIGHT = 0.8  # in the SVG's units; a bar and its gap to the next series take 0.9
PIXELS = 14  # a unit's height on a narrow screen, where the rows are as tall as their bars


@dataclass(frozen=True)
class Column:
    title: str
    money: bool  # kroner, else a count: every column says which, so no table can leave it out
    charted: bool = False  # drawn as a series of bars in the table's chart


@dataclass(frozen=True)
class Bar:
    series: int  # the charted column's number, which picks the bar's and the legend's colour
    value: int
    money: bool
    width: float  # percent of the chart's width
    y: float


@dataclass(frozen=True)
class Row:
    label: str
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    series: int
    rows: list[Row]

    @property
    def row_height(self) -> float:
        """One row's drawing, in the SVG's units: its bars and the gaps between them (CSS spaces the rows)."""
        return round(0.9 * self.series - 0.1, 2)

    @property
    def pixels(self) -> int:
        """One row's drawing on a narrow screen, where the chart stacks above its table."""
        return round(PIXELS * self.row_height)


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    rows: list[tuple] = field(default_factory=list)  # (label, value, value, …): one value per column

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def charted(self) -> tuple[int, ...]:
        """The row positions the chart draws (1 is the first value), in series order."""
        return tuple(position for position, column in enumerate(self.columns, 1) if column.charted)

    @property
    def headers(self) -> list[tuple[Column, int | None]]:
        """Each column with its series number in the chart (the legend's colour), or None if not drawn."""
        series = {position: number for number, position in enumerate(self.charted)}
        return [(column, series.get(position)) for position, column in enumerate(self.columns, 1)]

    @property
    def lines(self) -> list[tuple[str, list[tuple[int | None, Column]]]]:
        """Each row as its label and its values, each value with its column (to format it)."""
        return [(row[0], list(zip(row[1:], self.columns, strict=True))) for row in self.rows]

    @cached_property
    def chart(self) -> Chart:
        return bar_chart(self.rows, [(position, self.columns[position - 1]) for position in self.charted])


def bar_chart(rows: list[tuple], series: list[tuple[int, Column]]) -> Chart:
    top = max([row[p] or 0 for row in rows for p, _column in series] + [1])
    chart = Chart(len(series), [])
    for row in rows:
        bars = [
            Bar(
                number,
                row[position],
                column.money,
                round(100 * row[position] / top, 2),
                round(number * 0.9, 2),  # within the row's own drawing
            )
            for number, (position, column) in enumerate(series)
            if row[position] is not None
        ]
        chart.rows.append(Row(str(row[0]), bars))
    return chart
