"""Public endpoints: published rounds, approved awards (the open data's records) and statistics."""

import base64
import binascii
import json

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tilskudd.api import schemas
from tilskudd.api.errors import Refused
from tilskudd.api.serialise import as_round
from tilskudd.organisations.models import Office
from tilskudd.publication.models import PublishedGrant
from tilskudd.publication.selectors import awards, filtered, offices_with_awards
from tilskudd.publication.statistics import statistics as statistics_tables
from tilskudd.rounds.models import Round
from tilskudd.ui.params import small_number

router = Router(tags=["public"])
ERRORS = schemas.ERRORS
MAX_PAGE = 500


@router.get(
    "/rounds", response={200: list[schemas.RoundOut], **ERRORS}, auth=None, summary="Published rounds"
)
def rounds(request, year: schemas.Year | None = None, office_id: schemas.Id | None = None):
    """Every published round (open and closed), newest first, with call text, deadlines and budget."""
    qs = Round.objects.published().select_related("office").order_by("-year", "office__name", "pk")
    if year is not None:
        qs = qs.filter(year=year)
    if office_id is not None:
        qs = qs.filter(office_id=office_id)
    now = timezone.now()
    return [as_round(r, now) for r in qs]


@router.get("/rounds/{round_id}", response={200: schemas.RoundOut, **ERRORS}, auth=None, summary="One round")
def round_detail(request, round_id: schemas.Id):
    round = get_object_or_404(Round.objects.published().select_related("office"), pk=round_id)
    return as_round(round, timezone.now())


class AwardFilters(Schema):
    year: schemas.Year | None = None
    office_id: schemas.Id | None = None
    round_id: schemas.Id | None = None
    organisation_id: schemas.Id | None = None
    fylke: str | None = None
    kind: str | None = None
    theme: str | None = None
    education: str | None = None
    q: str | None = None
    cursor: str | None = Field(None, max_length=100, description="`next_cursor` from the previous page.")
    limit: int = Field(100, ge=1, le=MAX_PAGE)


def _cursor(after: int) -> str:
    return base64.urlsafe_b64encode(f"award:{after}".encode()).decode().rstrip("=")


def _after(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = text.partition(":")
        if kind != "award" or small_number(value) is None:
            raise ValueError(cursor)
        return small_number(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Refused(400, "invalid_cursor", _("The cursor is not valid. Start again without it.")) from None


@router.get(
    "/awards",
    response={200: schemas.AwardPage, **ERRORS},
    auth=None,
    exclude_none=True,
    summary="Approved awards",
)
def award_list(request, filters: Query[AwardFilters]):
    """Approved awards in the 360Giving Data Standard, oldest first, a page at a time.

    The same records and fields as the open data files at /apne-data/. Follow ``next_cursor``.
    """
    params = {
        "year": filters.year,
        "office": filters.office_id,
        "round": filters.round_id,
        "organisation": filters.organisation_id,
        "fylke": filters.fylke,
        "kind": filters.kind,
        "theme": filters.theme,
        "education": filters.education,
        "q": filters.q,
    }
    params = {k: str(v) for k, v in params.items() if v is not None}
    # The records stored once at approval for the open data files (PublishedGrant, keyed by the line's id),
    # so the API gives the very same records, in the open data's language whatever the caller's.
    grants = PublishedGrant.objects.filter(line__in=filtered(params, awards()).values("pk")).order_by("pk")
    if filters.cursor:
        grants = grants.filter(pk__gt=_after(filters.cursor))
    page = list(grants.values_list("pk", "record")[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    source = request.build_absolute_uri(reverse("publication:open_data"))
    return {
        "items": [json.loads(record) | {"dataSource": source} for _pk, record in page],
        "next_cursor": _cursor(page[-1][0]) if more else None,
    }


def _tables(office_id: int | None) -> dict:
    tables = statistics_tables(office_id=office_id)
    return {
        "tables": [
            {
                "title": str(table.title),
                "columns": [{"title": str(c.title), "money": c.money} for c in table.columns],
                "rows": [{"label": str(row[0]), "values": list(row[1:])} for row in table.rows],
            }
            for table in tables
        ]
    }


@router.get(
    "/statistics", response={200: schemas.Statistics, **ERRORS}, auth=None, summary="National statistics"
)
def statistics(request):
    """Available, applied for and awarded, by year, kind, education type, applicant kind, county and theme."""
    return _tables(None)


@router.get(
    "/statistics/offices/{office_id}",
    response={200: schemas.Statistics, **ERRORS},
    auth=None,
    summary="One office's statistics",
)
def office_statistics(request, office_id: schemas.Id):
    office: Office = get_object_or_404(offices_with_awards(), pk=office_id)
    return _tables(office.pk)
