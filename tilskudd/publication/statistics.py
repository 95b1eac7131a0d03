"""Statistics for an office or the whole country, and for one year or all: rows first, then charts
drawn from the same rows.

Only public figures: what rounds had available, what submitted applications asked for
(as totals), and what approved decisions awarded. Each table is a list of rows
(label, then one value per column), so the page, the chart and the CSV read the same numbers.

Computing them reads every award in the country, so they are kept in the cache under a key
that changes with what they are made of: the public record's version (new with every
approval), and the count, funds and latest change of published rounds and approved reports.
What submitted applications ask for is not in the key (counting them means reading the whole
applications table, ~8 ms at national scale): a submission, or an administrator's repair of an
amount applied for, shows in the "applied for" column within ``CACHE_SECONDS``.

They are kept in ``CACHES["shared"]`` (the database in production), which every server process
reads: after an approval the background worker computes the country's and each office's figures
in every language (``warm``), so the first visitor of each process is served them instead of
waiting while every award in the country is read.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Sum
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.applications.models import EducationTypeChoices, Line, Status
from tilskudd.domain.ledger import Account
from tilskudd.organisations.models import OrganisationKind
from tilskudd.publication.models import SummaryVersion
from tilskudd.publication.selectors import awards, offices_with_awards
from tilskudd.reporting.models import ReportLine, ReportObligation
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices
from tilskudd.settlement.models import AccountChoices
from tilskudd.settlement.models import Entry as LedgerEntry
from tilskudd.ui.charts import Column, Table

CACHE_SECONDS = 300


def _label(choices, value) -> str:
    return str(capfirst(dict(choices).get(value, value or _("not given"))))


def statistics_key(office_id: int | None, year: int | None = None) -> str:
    """What the figures are made of, read in one query of indexed or small tables: any change makes a new key."""
    rounds, reports, versions, entries = (
        m._meta.db_table for m in (Round, ReportObligation, SummaryVersion, LedgerEntry)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT token FROM {versions} WHERE id = 1),"  # noqa: S608 (table names, no input)
            f" (SELECT COUNT(*) FROM {rounds} WHERE published_at IS NOT NULL),"
            f" (SELECT SUM(fresh_funds) FROM {rounds} WHERE published_at IS NOT NULL),"
            f" (SELECT SUM(carried_over_funds) FROM {rounds} WHERE published_at IS NOT NULL),"
            f" (SELECT MAX(published_at) FROM {rounds}),"
            f" (SELECT COUNT(*) FROM {reports} WHERE approved_at IS NOT NULL),"
            f" (SELECT MAX(approved_at) FROM {reports}),"
            f" (SELECT MAX(id) FROM {entries})"  # the ledger is append-only: a new entry, a new key
        )
        parts = (*cursor.fetchone(), office_id, year, get_language())
    return "publication:statistics:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def statistics(
    *, office_id: int | None = None, year: int | None = None, key: str | None = None
) -> list[Table]:
    """The tables for one office (``office_id``) or, without it, for every office together; for one
    award year (``year``) or, without it, for all years.

    ``key``: the ``statistics_key`` the caller has just read, so it is not read twice."""
    return caches["shared"].get_or_set(
        key or statistics_key(office_id, year), lambda: _statistics(office_id, year), CACHE_SECONDS
    )


def warm() -> int:
    """Compute the country's and each office's figures (all years) in every language into the shared
    cache, as the pages will ask for them; returns how many were computed. The background worker's
    job after an approval (``tasks.refresh_open_data``)."""
    from django.utils import translation

    office_ids = sorted(set(awards().order_by().values_list("office_id", flat=True).distinct()))
    computed = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for office_id in [None, *office_ids]:
                key = statistics_key(office_id)
                if caches["shared"].get(key) is None:
                    caches["shared"].set(key, _statistics(office_id), CACHE_SECONDS)
                    computed += 1
    return computed


def _add(sums: dict, key, *values) -> None:
    bucket = sums.setdefault(key, [0] * len(values))
    for position, value in enumerate(values):
        bucket[position] += value or 0


def _statistics(office_id: int | None, year: int | None = None) -> list[Table]:
    rounds = Round.objects.published()
    granted = awards()
    lines = Line.objects.filter(application__status=Status.SUBMITTED)
    if office_id is not None:
        rounds = rounds.filter(office_id=office_id)
        granted = granted.filter(office_id=office_id)
        lines = lines.filter(application__round__office_id=office_id)
    if year is not None:
        rounds = rounds.filter(year=year)
        granted = granted.filter(year=year)
        lines = lines.filter(application__round__year=year)
    granted = granted.order_by()

    # available and applied for per year and office in one query each: the year's table and the
    # offices' table add up the rows they need
    available: dict = {}  # year or office name: [fresh, carried]
    for row in rounds.values("year", "office__name").annotate(
        fresh=Sum("fresh_funds"), carried=Sum("carried_over_funds")
    ):
        _add(available, row["year"], row["fresh"], row["carried"])
        _add(available, row["office__name"], row["fresh"], row["carried"])
    applied: dict = {}  # year or office name: [amount]
    for row in lines.values("application__round__year", "application__round__office__name").annotate(
        total=Sum("amount_applied")
    ):
        _add(applied, row["application__round__year"], row["total"])
        _add(applied, row["application__round__office__name"], row["total"])
    awarded = {row["year"]: row["total"] for row in granted.values("year").annotate(total=Sum("granted"))}
    years = sorted({key for key in (*available, *applied) if isinstance(key, int)} | set(awarded))
    by_year = Table(
        _("Available, applied for and awarded per year"),
        [
            Column(_("Available"), money=True, charted=True),
            Column(_("Of which carried over"), money=True),
            Column(_("Applied for"), money=True, charted=True),
            Column(_("Awarded"), money=True, charted=True),
        ],
        [
            (
                str(y),
                sum(available.get(y, [0, 0])),
                available.get(y, [0, 0])[1],
                applied.get(y, [0])[0],
                awarded.get(y, 0) or 0,
            )
            for y in years
        ],
    )

    # One pass over the awards, grouped by every dimension at once (a few hundred groups): each table
    # below adds up the groups it needs, rather than each reading every award again.
    dimensions = ("kind", "education_type", "organisation_kind", "fylke_name", "office_name")
    groups = list(granted.values(*dimensions).annotate(total=Sum("granted"), count=Count("*")).order_by())

    def grouped(title, lookup, choices, *, where=None):
        sums: dict[str, list[int]] = {}
        for group in groups:
            if where and any(group[name] != value for name, value in where.items()):
                continue
            bucket = sums.setdefault(group[lookup], [0, 0])
            bucket[0] += group["count"]
            bucket[1] += group["total"]
        rows = sorted(sums.items(), key=lambda item: (-item[1][1], item[0] or ""))
        return Table(
            title,
            [Column(_("Awards"), money=False), Column(_("Awarded"), money=True, charted=True)],
            [
                (_label(choices, key) if choices else (key or _("not given")), count, total)
                for key, (count, total) in rows
            ],
        )

    tables = [
        by_year,
        grouped(_("Awarded by kind of measure"), "kind", LineKindChoices.choices),
        grouped(
            _("Competence measures by education type"),
            "education_type",
            EducationTypeChoices.choices,
            where={"kind": "competence"},
        ),
        grouped(
            _("Awarded by kind of applicant"),
            "organisation_kind",
            OrganisationKind.choices,
        ),
        grouped(_("Awarded by county"), "fylke_name", None),
        _themes(granted),
    ]
    tables.append(_competence_results(office_id, year))
    tables.append(_settlement(office_id, year))
    if office_id is None:
        tables.append(_offices(groups, available, applied))
    return tables


def _offices(groups, available: dict, applied: dict) -> Table:
    """Available, applied for and awarded per office (for the year, if one is chosen): the offices
    with a published award, whose figures are public."""
    awarded: dict[str, list[int]] = {}
    for group in groups:
        _add(awarded, group["office_name"], group["count"], group["total"])
    names = set(offices_with_awards().values_list("name", flat=True))
    shown = [name for name in names if name in awarded or name in available or name in applied]
    rows = [
        (
            name,
            sum(available.get(name, [0, 0])),
            applied.get(name, [0])[0],
            awarded.get(name, [0, 0])[1],
            awarded.get(name, [0, 0])[0],
        )
        for name in shown
    ]
    rows.sort(key=lambda row: (-row[3], row[0]))
    return Table(
        _("Available, applied for and awarded per office"),
        [
            Column(_("Available"), money=True, charted=True),
            Column(_("Applied for"), money=True, charted=True),
            Column(_("Awarded"), money=True, charted=True),
            Column(_("Awards"), money=False),
        ],
        rows,
    )


def _themes(granted) -> Table:
    """Innovation projects by theme: a project with two themes counts under each (the totals overlap)."""
    totals: dict[str, list[int]] = {}
    # grouped by the list of themes in the database (a few dozen lists), rather than every project read
    combinations = (
        granted.filter(kind="innovation").values("themes").annotate(n=Count("*"), total=Sum("granted"))
    )
    for combination in combinations.order_by():
        for theme in combination["themes"] or []:
            bucket = totals.setdefault(theme, [0, 0])
            bucket[0] += combination["n"]
            bucket[1] += combination["total"]
    rows = sorted(totals.items(), key=lambda item: -item[1][1])
    return Table(
        _("Innovation projects by theme (a project with several themes counts under each)"),
        [Column(_("Projects"), money=False), Column(_("Awarded"), money=True, charted=True)],
        [(_label(ThemeChoices.choices, theme), count, total) for theme, (count, total) in rows],
    )


def with_charts(tables: list[Table]) -> list[Table]:
    """The tables to show with their charts: those with rows (each table draws its own charted columns)."""
    return [table for table in tables if not table.is_empty]


def _competence_results(office_id: int | None, year: int | None = None) -> Table:
    """Competence measures' results from reports the office has approved, per education type."""
    lines = ReportLine.objects.filter(kind="competence", obligation__approved_at__isnull=False)
    if office_id is not None:
        lines = lines.filter(obligation__round__office_id=office_id)
    if year is not None:
        lines = lines.filter(obligation__round__year=year)
    rows = (
        lines.values("education_type")
        .annotate(completed=Sum("completed"), in_education=Sum("in_education"), dropped=Sum("dropped_out"))
        .order_by("education_type")
    )
    return Table(
        _("Competence measures: results from approved reports"),
        [
            Column(_("Completed"), money=False, charted=True),
            Column(_("Still in education"), money=False, charted=True),
            Column(_("Dropped out"), money=False, charted=True),
        ],
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


def _settlement(office_id: int | None, year: int | None = None) -> Table:
    """What became of the awarded money, per award year (R12, R14): each account's balance, added up
    from the ledger's movements (money moves from one account to another; what is not yet reported on
    is the rest of the award)."""
    entries = LedgerEntry.objects.all()
    if office_id is not None:
        entries = entries.filter(decision__application__round__office_id=office_id)
    by_year = "decision__application__round__year"
    if year is not None:
        entries = entries.filter(**{by_year: year})
    balances: dict[int, dict[str, int]] = {}
    for column in ("target", "source"):
        sign = 1 if column == "target" else -1
        for row in entries.values(by_year, column).annotate(total=Sum("amount")).order_by():
            accounts = balances.setdefault(row[by_year], {})
            accounts[row[column]] = accounts.get(row[column], 0) + sign * row["total"]
    shown = (Account.USED, Account.CARRIED, Account.OWED, Account.REPAID, Account.WRITTEN_OFF)
    return Table(
        _("The money after the award: used, carried over and paid back, per award year"),
        [
            Column(capfirst(str(dict(AccountChoices.choices)[a.value])), money=True, charted=True)
            for a in shown
        ],
        [(str(y), *(balances[y].get(a.value, 0) for a in shown)) for y in sorted(balances)],
    )
