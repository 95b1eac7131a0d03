"""Reads of applications shared by pages, exports and the API."""

import hashlib
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Sum

from tilskudd.applications.models import Application, Line, Status
from tilskudd.domain import submission
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.organisations.models import OrganisationKind
from tilskudd.rounds.models import Extension, LineKindChoices, ThemeChoices


def deadline_in_force(round, organisation) -> datetime:
    """The deadline that holds for ``organisation`` in ``round``: the round's, or its later one (R5)."""
    until = Extension.objects.filter(round=round, organisation=organisation).values_list("until", flat=True)
    return submission.deadline_in_force(round.application_deadline, until.first())


def filtered_applications(round, params):
    """The round's applications the office may read, filtered by ``params``, as rows of values: ``pk``,
    ``status``, ``organisation__kind``, ``organisation__name``, ``lines_count`` and ``applied``.
    Unordered (the page sorts them by name in Norwegian, which the database's collation does not know).

    Values rather than models: the list shows five columns of dozens of rows, and the grouping is
    by these columns alone (grouped by a model, the database groups by all its columns, the
    submitted snapshot's JSON included)."""
    applications = Application.objects.filter(round=round).readable_by_office().order_by()
    if params.get("status") in Status.values:
        applications = applications.filter(status=params["status"])
    # Line filters go through subqueries so that they do not multiply the sums below.
    if params.get("kind") in LineKindChoices.values:
        applications = applications.filter(
            pk__in=Line.objects.filter(kind=params["kind"]).values("application_id")
        )
    if params.get("theme") in ThemeChoices.values:
        with_theme = Line.objects.filter(themes__icontains=f'"{params["theme"]}"').values("application_id")
        applications = applications.filter(pk__in=with_theme)
    if params.get("organisation_kind") in OrganisationKind.values:
        applications = applications.filter(organisation__kind=params["organisation_kind"])
    if params.get("q"):
        applications = applications.filter(organisation__name__icontains=params["q"].strip())
    return applications.values("pk", "status", "organisation__kind", "organisation__name").annotate(
        lines_count=Count("lines", distinct=True), applied=Sum("lines__amount_applied")
    )


FILTERS = ("status", "kind", "theme", "organisation_kind", "q")  # what filtered_applications reads
LISTING_SHAPE = 1  # part of every key: change it when round_listing's values change shape or meaning
LISTING_SECONDS = 600


def round_listing(round, params) -> tuple[list[dict], dict]:
    """The office's round page's list and figures: ``filtered_applications(round, params)`` sorted by
    name in Norwegian, and the submitted lines' ``count`` and ``total`` by kind.

    Kept in Django's cache (each process's memory) under the round's ``applications_version``
    (tilskudd.rounds.versions), which every change to what is read here moves in its own
    transaction: the office's applications (submitted, or drafts shared with it), their lines,
    their organisations. ``round`` is read before this (with its fingerprint), so what is kept is
    never older than its key; a change makes a new key. What the fingerprint does not follow is
    read by the page on each request: the statuses later stages show, the drafts not shared,
    the later deadlines (tests/test_versions.py)."""
    filters = tuple(params.get(name, "") for name in FILTERS)
    parts = (LISTING_SHAPE, round.pk, round.applications_version, filters)
    key = "round-listing:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    listing = cache.get(key)
    if listing is None:
        listing = listing_of(round, params)
        cache.set(key, listing, LISTING_SECONDS)
    return listing


def listing_of(round, params) -> tuple[list[dict], dict]:
    """``round_listing`` read afresh from the database."""
    rows = sorted(
        filtered_applications(round, params),
        key=lambda row: norwegian_sort_key(row["organisation__name"]),
    )
    submitted_lines = Line.objects.filter(application__round=round, application__status=Status.SUBMITTED)
    by_kind = {
        row["kind"]: {"count": row["count"], "total": row["total"] or 0}
        for row in submitted_lines.values("kind")
        .annotate(count=Count("pk"), total=Sum("amount_applied"))
        .order_by()
    }
    return rows, by_kind


def unshared_drafts_summary(round) -> dict:
    """What the office may know of drafts it cannot read: how many, and how much they ask for so far."""
    summary = (
        Application.objects.filter(round=round)
        .unshared_drafts()
        .aggregate(count=Count("pk", distinct=True), total=Sum("lines__amount_applied"))
    )
    return {"count": summary["count"], "total": summary["total"] or 0}
