"""Tables for the allocation charts: applied against proposed, by kind, theme and applicant.

Rows first (STYLE §7): ui/_chart.html draws each table's columns as SVG bars and shows the
same numbers in the table beside them, so the chart is never the only way to read them.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tilskudd.rounds.models import LineKindChoices, ThemeChoices
from tilskudd.ui.charts import Column, Table


def _table(title: str, rows: list[tuple[str, int, int]]) -> Table:
    columns = [
        Column(_("Applied for"), money=True, charted=True),
        Column(_("Proposed"), money=True, charted=True),
    ]
    # Nothing applied for or proposed shows as a dash and draws no bar.
    return Table(title, columns, [(label, a or None, p or None) for label, a, p in rows])


def round_charts(summary) -> list[Table]:
    """The charts of a proposal's summary (assessment.summary)."""
    by_kind: dict[str, list[int]] = {}
    by_theme: dict[str, list[int]] = {}
    by_applicant: dict[str, list[int]] = {}
    for row in summary.rows:
        for bucket, key in (
            (by_kind, row.kind),
            (by_applicant, row.applicant),
            *((by_theme, theme) for theme in row.themes),
        ):
            totals = bucket.setdefault(key, [0, 0])
            totals[0] += row.applied
            totals[1] += row.amount
    return [
        _table(
            _("Applied for, available and proposed"),
            [
                (_("Applied for"), summary.applied, 0),
                (_("Available"), summary.funds, 0),
                (_("Proposed"), 0, summary.total),
            ],
        ),
        _table(
            _("By kind of measure"),
            [(capfirst(str(LineKindChoices(k).label)), a, p) for k, (a, p) in sorted(by_kind.items())],
        ),
        _table(
            _("Innovation projects by theme"),
            [
                (capfirst(str(ThemeChoices(k).label)) if k in ThemeChoices.values else k, a, p)
                for k, (a, p) in sorted(by_theme.items(), key=lambda kv: -kv[1][0])
            ],
        ),
        _table(
            _("By applicant"),
            [(k, a, p) for k, (a, p) in sorted(by_applicant.items(), key=lambda kv: -kv[1][0])],
        ),
    ]
