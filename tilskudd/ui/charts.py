"""Horizontal bar charts as SVG, drawn from rows that a table beside them shows too (STYLE §7).

``bar_chart(title, labels, series)``: ``series`` is a list of (name, values) with one value
per label; every series is scaled to the largest value of all, so bars compare across series.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    series: int
    value: int
    width: float  # percent of the chart's width
    y: float


@dataclass(frozen=True)
class Row:
    label: str
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[str]
    rows: list[Row]
    money: bool = True  # values are kroner (else counts)

    @property
    def height(self) -> float:
        return max(1, len(self.rows)) * self.row_height

    @property
    def row_height(self) -> float:
        return 0.9 * len(self.series) + 0.6


def bar_chart(
    title: str, labels: list[str], series: list[tuple[str, list[int]]], *, money: bool = True
) -> Chart:
    top = max([value for _, values in series for value in values] + [1])
    step = 0.9 * len(series) + 0.6
    rows = [
        Row(
            label,
            [
                Bar(s, values[i], round(100 * values[i] / top, 2), round(i * step + s * 0.9, 2))
                for s, (_name, values) in enumerate(series)
            ],
        )
        for i, label in enumerate(labels)
    ]
    return Chart(title, [name for name, _ in series], rows, money)
