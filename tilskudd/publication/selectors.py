"""Who got what, for what: the public records of approved awards, and nothing else.

Every public page, the open data and the statistics read awards through ``awards()``:
approved decisions only, granted lines only, and only the fields meant to be public
(no contact persons, no drafts, no assessments or scores, no refusals).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from tilskudd.applications.models import EducationTypeChoices
from tilskudd.decisions.models import DecisionLine
from tilskudd.organisations.models import Office
from tilskudd.reporting.models import InnovationStatusChoices, ReportLine
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices

PUBLIC_FIELDS = (
    "pk",
    "kind",
    "title",
    "granted",
    "decision__approved_at",
    "decision__application__round_id",
    "decision__application__round__year",
    "decision__application__round__office_id",
    "decision__application__round__office__name",
    "decision__application__round__office__organisasjonsnummer",
    "decision__application__organisation_id",
    "decision__application__organisation__name",
    "decision__application__organisation__kind",
    "decision__application__organisation__kommunenummer",
    "decision__application__organisation__organisasjonsnummer",
    "decision__application__organisation__fylke__name",
    "decision__application__organisation__fylke__number",
    "line__education_type",
    "line__themes",
    "line__purpose",
    "line__collaborators",
)

SORTS = {
    "amount": ("-granted", "pk"),
    "organisation": ("decision__application__organisation__name", "pk"),
    "year": ("-decision__application__round__year", "decision__application__organisation__name", "pk"),
}


def awards():
    """Every granted line of every approved decision, with the public fields only."""
    return (
        DecisionLine.objects.filter(decision__approved_at__isnull=False, granted__gt=0)
        .select_related(
            "decision__application__round__office",
            "decision__application__organisation__fylke",
            "line",
        )
        .only(*[f for f in PUBLIC_FIELDS if f != "pk"])
    )


def offices_with_awards():
    """The offices with at least one published award: only they have public statistics."""
    return Office.objects.filter(pk__in=awards().values("decision__application__round__office_id"))


def rounds_with_awards():
    """The published rounds with at least one published award: only they have open data files."""
    return Round.objects.published().filter(pk__in=awards().values("decision__application__round_id"))


def _small_number(value: str) -> bool:
    """Digits that fit the database's integers: a longer number matches nothing, and must not reach SQLite."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def filtered_awards(params):
    """``awards()`` narrowed by the public list's search and filters (all optional, all validated)."""
    qs = awards()
    year = params.get("year", "")
    if _small_number(year):
        qs = qs.filter(decision__application__round__year=int(year))
    for name, lookup in (
        ("office", "decision__application__round__office_id"),
        ("organisation", "decision__application__organisation_id"),
        ("round", "decision__application__round_id"),
    ):
        value = params.get(name, "")
        if _small_number(value):
            qs = qs.filter(**{lookup: int(value)})
    if params.get("fylke", "").isdigit():
        qs = qs.filter(decision__application__organisation__fylke__number=params["fylke"])
    if params.get("kind") in LineKindChoices.values:
        qs = qs.filter(kind=params["kind"])
    if params.get("theme") in ThemeChoices.values:
        qs = qs.filter(line__themes__icontains=f'"{params["theme"]}"')
    if params.get("education") in EducationTypeChoices.values:
        qs = qs.filter(line__education_type=params["education"])
    q = (params.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(decision__application__organisation__name__icontains=q)
            | Q(line__purpose__icontains=q)
        )
    return qs.order_by(*SORTS.get(params.get("sort", ""), SORTS["year"]))


KIND_LABELS = dict(LineKindChoices.choices)
THEME_LABELS = dict(ThemeChoices.choices)
EDUCATION_LABELS = dict(EducationTypeChoices.choices)


@dataclass(frozen=True)
class Award:
    """One published award: what a journalist may read, and no more."""

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


def as_award(line: DecisionLine) -> Award:
    application = line.decision.application
    organisation = application.organisation
    is_project = line.kind == "innovation"
    return Award(
        id=line.pk,
        kind_label=str(KIND_LABELS.get(line.kind, line.kind)),
        title=line.title,
        granted=line.granted,
        awarded_on=line.decision.approved_at,
        year=application.round.year,
        office=application.round.office.name,
        office_orgnr=application.round.office.organisasjonsnummer,
        organisation_id=organisation.pk,
        organisation=organisation.display_name,
        organisasjonsnummer=organisation.organisasjonsnummer,
        kommunenummer=organisation.kommunenummer,
        fylke=organisation.fylke.name,
        education_label=str(EDUCATION_LABELS.get(line.line.education_type or "", "")),
        theme_labels=tuple(str(THEME_LABELS[t]) for t in (line.line.themes or ()) if t in THEME_LABELS),
        purpose=(line.line.purpose or "") if is_project else "",
        collaborators=(line.line.collaborators or "") if is_project else "",
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
