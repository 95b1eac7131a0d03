"""Who got what, for what: the public records of approved decisions, and nothing else.

Every public page, the open data and the statistics read through ``published_lines()``:
the public record (``PublishedLine``), which holds only lines of approved decisions and only
the fields meant to be public (no contact persons, no drafts, no assessments or scores).
``awards()`` is its granted lines; refused lines are there only where the office publishes
refusals (``RoundPublication``), and are never awards (nor in the 360Giving data).
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Concat, Left, Length
from django.urls import get_script_prefix, reverse

from tilskudd.applications.models import EducationTypeChoices
from tilskudd.organisations.models import Office
from tilskudd.publication.models import PublishedGrant, PublishedLine, RoundPublication
from tilskudd.reporting.models import InnovationStatusChoices, ReportLine
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices
from tilskudd.ui.params import small_number

SORTS = {
    "amount": ("-granted", "pk"),
    "organisation": ("organisation_name", "pk"),
    "year": ("-year", "organisation_name", "pk"),
}
PAGE_SIZE = 50


def published_lines():
    """Every public record: granted lines, and refused ones where the office publishes refusals."""
    return PublishedLine.objects.all()


def awards():
    """Every granted line of every approved decision, with the public fields only."""
    return published_lines().filter(refused=False)


def offices_with_awards():
    """The offices with at least one published award: only they have public statistics."""
    return Office.objects.filter(Exists(awards().filter(office=OuterRef("pk"))))


def rounds_with_awards():
    """The published rounds with at least one published award: only they have open data files."""
    return Round.objects.published().filter(Exists(awards().filter(round=OuterRef("pk"))))


def years_published() -> list[int]:
    """The years with a public record, newest first."""
    rounds = Round.objects.filter(Exists(published_lines().filter(round=OuterRef("pk"))))
    return sorted(set(rounds.values_list("year", flat=True)), reverse=True)


def publishes_refusals(round_id: int) -> bool:
    return RoundPublication.objects.filter(round_id=round_id, publish_refusals=True).exists()


def _small_number(value: str) -> bool:
    """Digits that fit the database's integers: a longer number matches nothing, and must not reach SQLite."""
    return small_number(value) is not None


# Every query parameter the award list reads (``filtered`` and ``page_of``): its cache key is made of these only.
LIST_PARAMETERS = frozenset(
    {
        "year",
        "office",
        "organisation",
        "round",
        "fylke",
        "kind",
        "theme",
        "education",
        "q",
        "sort",
        "after",
        "before",
    }
)


def filtered(params, qs=None):
    """The public record narrowed by the list's search and filters (all optional, all validated)."""
    qs = published_lines() if qs is None else qs
    year = params.get("year", "")
    if _small_number(year):
        qs = qs.filter(year=int(year))
    for name, lookup in (("office", "office_id"), ("organisation", "organisation_id"), ("round", "round_id")):
        value = params.get(name, "")
        if _small_number(value):
            qs = qs.filter(**{lookup: int(value)})
    if _small_number(params.get("fylke", "")):
        qs = qs.filter(fylke_number=params["fylke"])
    if params.get("kind") in LineKindChoices.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("theme") in ThemeChoices.values:
        qs = qs.filter(themes__icontains=f'"{params["theme"]}"')
    if params.get("education") in EducationTypeChoices.values:
        qs = qs.filter(education_type=params["education"])
    q = (params.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(organisation_name__icontains=q) | Q(purpose__icontains=q))
    return qs


@dataclass(frozen=True)
class Page:
    rows: list
    after: int | None  # the cursor for the next page, if there is one
    before: int | None  # the cursor for the previous page, if there is one


def _beyond(order, values, *, backwards: bool) -> Q:
    """Rows strictly after (or before) the row whose sort values are ``values``, in ``order``."""
    condition = Q()
    equal = {}
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        condition |= Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value})
        equal[name] = value
    first = order[0].lstrip("-")
    descending = order[0].startswith("-") != backwards
    # the bound on the first column alone lets the database seek in the index
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}) & condition


def page_of(params) -> Page:
    """A page of the filtered public record in the chosen order, read from a cursor (keyset, no OFFSET).

    ``after=<id>`` reads the page after that record, ``before=<id>`` the page before it.
    """
    order = SORTS.get(params.get("sort", ""), SORTS["year"])
    qs = filtered(params)
    names = [field.lstrip("-") for field in order]
    cursor, backwards = None, False
    for name, is_backwards in (("after", False), ("before", True)):
        value = params.get(name, "")
        if _small_number(value):
            cursor = published_lines().filter(pk=int(value)).values_list(*names).first()
            backwards = is_backwards
            break
    if cursor is not None:
        qs = qs.filter(_beyond(order, cursor, backwards=backwards))
    if backwards:
        order = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in order)
    rows = list(qs.order_by(*order)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        rows.reverse()
        return Page(rows, rows[-1].pk if rows else None, rows[0].pk if more else None)
    return Page(rows, rows[-1].pk if more else None, rows[0].pk if cursor is not None and rows else None)


KIND_LABELS = dict(LineKindChoices.choices)
THEME_LABELS = dict(ThemeChoices.choices)
EDUCATION_LABELS = dict(EducationTypeChoices.choices)


@dataclass(frozen=True)
class Award:
    """One published record: what a journalist may read, and no more."""

    id: int
    kind_label: str
    title: str
    granted: int
    awarded_on: datetime
    year: int
    office: str
    office_orgnr: str
    organisation_id: int
    organisation: str
    organisasjonsnummer: str
    kommunenummer: str
    fylke: str
    education_label: str
    theme_labels: tuple[str, ...]
    purpose: str
    collaborators: str
    refused: bool = False

    @property
    def url(self) -> str:
        return url_of("publication:award_detail", self.id)

    @property
    def organisation_url(self) -> str:
        return url_of("publication:organisation_awards", self.organisation_id)


PLACEHOLDER_ID = 987654321


def url_of(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])``, reversed once per name and script prefix: a list links every row twice."""
    key = (name, get_script_prefix())
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(name, args=[PLACEHOLDER_ID])
    return pattern.replace(str(PLACEHOLDER_ID), str(pk))


_PATTERNS: dict[tuple[str, str], str] = {}


def as_award(line: PublishedLine) -> Award:
    return Award(
        id=line.pk,
        kind_label=str(KIND_LABELS.get(line.kind, line.kind)),
        title=line.title,
        granted=line.granted,
        awarded_on=line.awarded_at,
        year=line.year,
        office=line.office_name,
        office_orgnr=line.office_orgnr,
        organisation_id=line.organisation_id,
        organisation=line.organisation_name,
        organisasjonsnummer=line.organisasjonsnummer,
        kommunenummer=line.kommunenummer,
        fylke=line.fylke_name,
        education_label=str(EDUCATION_LABELS.get(line.education_type or "", "")),
        theme_labels=tuple(str(THEME_LABELS[t]) for t in (line.themes or ()) if t in THEME_LABELS),
        purpose=line.purpose,
        collaborators=line.collaborators,
        refused=line.refused,
    )


def records(qs, *, data_source: str):
    """The 360Giving grants of ``qs``'s awards (granted lines only), in id order, as JSON text.

    The database adds ``dataSource`` (where the data is published) to each stored record
    (``{...}`` becomes ``{...,"dataSource":"..."}``), so Python only passes the text on.
    """
    suffix = f',"dataSource":{json.dumps(data_source)}}}'
    grant = Concat(Left("record", Length("record") - 1), Value(suffix), output_field=TextField())
    return (
        PublishedGrant.objects.filter(line__in=qs.filter(refused=False).values("pk"))
        .order_by("pk")
        .annotate(grant=grant)
        .values_list("grant", flat=True)
        .iterator(chunk_size=2000)
    )


def csv_rows(qs, *, row_end: str):
    """The 360Giving CSV rows of ``qs``'s awards (granted lines only), in id order: the stored row and,
    appended by the database, ``row_end`` (the Data Source column, ``threesixty.csv_row_end``)."""
    row = Concat("csv_row", Value(row_end), output_field=TextField())
    return (
        PublishedGrant.objects.filter(line__in=qs.filter(refused=False).values("pk"))
        .order_by("pk")
        .annotate(row=row)
        .values_list("row", flat=True)
        .iterator(chunk_size=2000)
    )


@dataclass(frozen=True)
class Result:
    """What an approved report says came of an award: public once the office has approved the report."""

    status: str
    results: str
    sharing: str


def reported_result(award_id: int) -> Result | None:
    line = (
        ReportLine.objects.filter(decision_line_id=award_id, obligation__approved_at__isnull=False)
        .only("innovation_status", "results", "sharing")
        .first()
    )
    if line is None:
        return None
    status = str(dict(InnovationStatusChoices.choices).get(line.innovation_status, ""))
    return Result(status, line.results, line.sharing)
