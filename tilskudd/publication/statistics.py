"""Statistics for an office or the whole country: rows first, then charts drawn from the same rows.

Only public figures: what rounds had available, what submitted applications asked for
(as totals), and what approved decisions awarded. Each table is a list of rows
(label, then one value per column), so the page, the chart and the CSV read the same numbers.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tilskudd.applications.models import EducationTypeChoices, Line, Status
from tilskudd.organisations.models import OrganisationKind
from tilskudd.publication.selectors import awards
from tilskudd.reporting.models import ReportLine
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices
from tilskudd.ui.charts import Chart, bar_chart


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)  # (label, value, value, …)
    money: frozenset[int] = frozenset()  # the row positions that are kroner (the others are counts)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _label(choices, value) -> str:
    return str(capfirst(dict(choices).get(value, value or _("not given"))))


def statistics(*, office_id: int | None = None) -> list[Table]:
    """The tables for one office (``office_id``) or, without it, for every office together."""
    rounds = Round.objects.published()
    granted = awards()
    lines = Line.objects.filter(application__status=Status.SUBMITTED)
    if office_id is not None:
        rounds = rounds.filter(office_id=office_id)
        granted = granted.filter(decision__application__round__office_id=office_id)
        lines = lines.filter(application__round__office_id=office_id)
    granted = granted.order_by()

    available = {
        row["year"]: row
        for row in rounds.values("year").annotate(fresh=Sum("fresh_funds"), carried=Sum("carried_over_funds"))
    }
    applied = {
        row["application__round__year"]: row["total"]
        for row in lines.values("application__round__year").annotate(total=Sum("amount_applied"))
    }
    awarded = {
        row["decision__application__round__year"]: row["total"]
        for row in granted.values("decision__application__round__year").annotate(total=Sum("granted"))
    }
    years = sorted(set(available) | set(applied) | set(awarded))
    by_year = Table(
        "years",
        _("Available, applied for and awarded per year"),
        [_("Available"), _("Of which carried over"), _("Applied for"), _("Awarded")],
        [
            (
                str(year),
                (available.get(year, {}).get("fresh") or 0) + (available.get(year, {}).get("carried") or 0),
                available.get(year, {}).get("carried") or 0,
                applied.get(year, 0) or 0,
                awarded.get(year, 0) or 0,
            )
            for year in years
        ],
        frozenset({1, 2, 3, 4}),
    )

    def grouped(key, title, lookup, choices, *, where=None):
        rows = (
            granted.filter(**(where or {})).values(lookup).annotate(total=Sum("granted"), count=Count("pk"))
        )
        rows = sorted(rows, key=lambda r: -r["total"])
        return Table(
            key,
            title,
            [_("Awards"), _("Awarded")],
            [
                (
                    _label(choices, r[lookup]) if choices else (r[lookup] or _("not given")),
                    r["count"],
                    r["total"],
                )
                for r in rows
            ],
        )

    tables = [
        by_year,
        grouped("kinds", _("Awarded by kind of measure"), "kind", LineKindChoices.choices),
        grouped(
            "education",
            _("Competence measures by education type"),
            "line__education_type",
            EducationTypeChoices.choices,
            where={"kind": "competence"},
        ),
        grouped(
            "applicant_kinds",
            _("Awarded by kind of applicant"),
            "decision__application__organisation__kind",
            OrganisationKind.choices,
        ),
        grouped("fylker", _("Awarded by county"), "decision__application__organisation__fylke__name", None),
        _themes(granted),
    ]
    tables.append(_competence_results(office_id))
    if office_id is None:
        tables.append(
            grouped("offices", _("Awarded by office"), "decision__application__round__office__name", None)
        )
    return tables


def _themes(granted) -> Table:
    """Innovation projects by theme: a project with two themes counts under each (the totals overlap)."""
    totals: dict[str, list[int]] = {}
    for themes, amount in granted.filter(kind="innovation").values_list("line__themes", "granted"):
        for theme in themes or []:
            bucket = totals.setdefault(theme, [0, 0])
            bucket[0] += 1
            bucket[1] += amount
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    return Table(
        "themes",
        _("Innovation projects by theme (a project with several themes counts under each)"),
        [_("Projects"), _("Awarded")],
        [(_label(ThemeChoices.choices, theme), count, total) for theme, (count, total) in rows],
        frozenset({2}),
    )


def with_charts(tables: list[Table]) -> list[tuple[Table, Chart]]:
    """Each table that has rows, with its chart: money columns as bars (per year: available, applied, awarded)."""
    drawn = []
    for table in tables:
        if table.is_empty:
            continue
        labels = [row[0] for row in table.rows]
        if table.key == "years":
            series = [(table.columns[i], [row[i + 1] for row in table.rows]) for i in (0, 2, 3)]
        elif table.key == "competence_results":
            series = [(table.columns[i], [row[i + 1] for row in table.rows]) for i in (0, 1, 2)]
        else:
            series = [(table.columns[-1], [row[-1] for row in table.rows])]
        drawn.append((table, bar_chart(table.title, labels, series, money=bool(table.money))))
    return drawn


def _competence_results(office_id: int | None) -> Table:
    """Competence measures' results from reports the office has approved, per education type."""
    lines = ReportLine.objects.filter(kind="competence", obligation__approved_at__isnull=False)
    if office_id is not None:
        lines = lines.filter(obligation__round__office_id=office_id)
    rows = (
        lines.values("education_type")
        .annotate(completed=Sum("completed"), in_education=Sum("in_education"), dropped=Sum("dropped_out"))
        .order_by("education_type")
    )
    return Table(
        "competence_results",
        _("Competence measures: results from approved reports"),
        [_("Completed"), _("Still in education"), _("Dropped out")],
        [
            (
                _label(EducationTypeChoices.choices, r["education_type"]),
                r["completed"] or 0,
                r["in_education"] or 0,
                r["dropped"] or 0,
            )
            for r in rows
        ],
    )
