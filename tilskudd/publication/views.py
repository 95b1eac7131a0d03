"""Public pages: who got what, open data, statistics; and the directorate's national scheme text."""

import csv
import io
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.models import EducationTypeChoices
from tilskudd.organisations.models import Fylke, Organisation
from tilskudd.publication import files, services, threesixty
from tilskudd.publication.forms import RefusalsForm, SchemeTextForm
from tilskudd.publication.models import SchemeText
from tilskudd.publication.selectors import (
    LIST_PARAMETERS,
    SORTS,
    as_award,
    awards,
    filtered,
    offices_with_awards,
    page_of,
    published_lines,
    publishes_refusals,
    reported_result,
    rounds_with_awards,
    years_published,
)
from tilskudd.publication.statistics import CACHE_SECONDS as STATISTICS_SECONDS
from tilskudd.publication.statistics import statistics, statistics_key, with_charts
from tilskudd.publication.summary import version
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.rounds.models import LineKindChoices, ThemeChoices
from tilskudd.ui.access import public, role_required
from tilskudd.ui.fragments import SECONDS, cached_body
from tilskudd.ui.params import small_number

SORT_LABELS = (
    ("year", gettext_lazy("Newest first")),
    ("amount", gettext_lazy("Largest amount")),
    ("organisation", gettext_lazy("Organisation")),
)


def _fragment(request, template: str, context, *key, versioned: bool = True, seconds: int = SECONDS) -> str:
    """A public page's body, rendered once per change of the public record (and language, and ``key``).

    For bodies that read only the public record and fixed lists (no person, no form token);
    ``context`` is called only when the cache has no body for the key. ``versioned=False``:
    ``key`` names the version already.
    """
    return cached_body(request, template, context, version() if versioned else "", *key, seconds=seconds)


@public
@require_GET
def award_list(request):
    def context():
        page = page_of(request.GET)
        query = request.GET.copy()
        for name in ("page", "after", "before"):
            query.pop(name, None)
        csv_query = query.urlencode()
        return {
            "awards": [as_award(line) for line in page.rows],
            "page": page,
            # counted once per version of the record and query: the page is kept in the cache
            "total": filtered(request.GET).count(),
            "filters": request.GET,
            "query": csv_query,
            "years": years_published(),
            "offices": offices_with_awards(),
            "fylker": Fylke.objects.order_by("number"),
            "kind_choices": LineKindChoices.choices,
            "theme_choices": ThemeChoices.choices,
            "education_choices": EducationTypeChoices.choices,
            "sorts": SORT_LABELS,
            "csv_url": reverse("publication:awards_csv") + (f"?{csv_query}" if csv_query else ""),
        }

    # keyed by the parameters the list reads only: an unknown one (?utm=…) is not a new page to make
    known = sorted((name, values) for name, values in request.GET.lists() if name in LIST_PARAMETERS)
    body = _fragment(request, "publication/_award_list.html", context, known)
    return render(request, "publication/award_list.html", {"body": body})


@public
@require_GET
def award_detail(request, award_id: int):
    award = as_award(get_object_or_404(published_lines(), pk=award_id))
    result = None if award.refused else reported_result(award_id)
    return render(request, "publication/award_detail.html", {"award": award, "result": result})


@public
@require_GET
def organisation_awards(request, organisation_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)

    def context():
        lines = list(published_lines().filter(organisation=organisation).order_by(*SORTS["year"]))
        if not lines:
            return None
        items = [as_award(line) for line in lines]
        return {
            "organisation": organisation,
            "awards": items,
            "count": sum(not a.refused for a in items),
            "total": sum(a.granted for a in items),
        }

    body = _fragment(request, "publication/_organisation_awards.html", context, organisation.pk)
    if not body:
        raise Http404  # an organisation without published awards has no public page
    return render(
        request, "publication/organisation_awards.html", {"organisation": organisation, "body": body}
    )


def _source(request) -> str:
    return request.build_absolute_uri(reverse("publication:open_data"))


def _served(request, export: str, lines, ext: str, filename: str | None = None):
    """A whole export (the country's or a round's), from its file: written once per version of the record."""
    source = _source(request)
    return files.serve(
        request,
        source=source,
        export=export,
        ext=ext,
        chunks=lambda: files.chunks_of(lines, source, ext),
        filename=filename,
    )


def _round_lines(round_id: int):
    round = get_object_or_404(rounds_with_awards().select_related("office"), pk=round_id)
    return round, awards().filter(round=round)


ALL_FILENAME = "tildelinger-360giving.csv"


@public
@require_GET
def awards_json(request):
    return _served(request, "all", awards(), "json")


@public
@require_GET
def awards_csv(request):
    if any(request.GET.get(name) for name in LIST_PARAMETERS - {"sort", "after", "before"}):
        # a search's awards: made for the search, as it is read
        source = _source(request)
        response = StreamingHttpResponse(
            files.chunks_of(filtered(request.GET, awards()), source, "csv"), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{ALL_FILENAME}"'
        return response
    return _served(request, "all", awards(), "csv", ALL_FILENAME)


@public
@require_GET
def round_awards_json(request, round_id: int):
    round, lines = _round_lines(round_id)
    return _served(request, f"round-{round.pk}", lines, "json")


@public
@require_GET
def round_awards_csv(request, round_id: int):
    round, lines = _round_lines(round_id)
    filename = f"tildelinger-{round.office.short_name}-{round.year}-360giving.csv"
    return _served(request, f"round-{round.pk}", lines, "csv", filename)


@public
@require_GET
def open_data(request):
    def context():
        return {
            "rounds": rounds_with_awards().select_related("office").order_by("-year", "office__name"),
            "columns": [title for title, _ in threesixty.COLUMNS],
            "licence": threesixty.LICENCE,
        }

    body = _fragment(request, "publication/_open_data.html", context)
    return render(request, "publication/open_data.html", {"body": body})


def _statistics_choice(request, office_id: int | None) -> tuple[int | None, int | None]:
    """The office (from the address, else ``?office=``) and the year (``?year=``) the figures are for.

    Empty means all; anything but a number is no page (a bookmark of a choice stays a valid address)."""
    chosen = {}
    for name in ("office", "year"):
        text = request.GET.get(name, "").strip()
        if text:
            chosen[name] = small_number(text)
            if chosen[name] is None:
                raise Http404
    return (chosen.get("office") if office_id is None else office_id), chosen.get("year")


def _choice_query(chosen: dict, **changed) -> str:
    """``?office=…&year=…`` for the ``chosen`` office and year, with ``changed`` put in (None leaves one out)."""
    values = chosen | changed
    query = urlencode({name: value for name, value in values.items() if value is not None})
    return f"?{query}" if query else ""


@public
@require_GET
def statistics_page(request, office_id: int | None = None):
    office_id, year = _statistics_choice(request, office_id)
    key = statistics_key(office_id, year)

    def context():
        offices = list(offices_with_awards().order_by("name"))
        office = next((o for o in offices if o.pk == office_id), None)
        if office_id is not None and office is None:
            return None  # figures become public with the office's first published award
        years = years_published()
        if year is not None and year not in years:
            return None  # a year without a public record has no statistics
        base = reverse("publication:statistics")
        chosen = {"office": office_id, "year": year}
        return {
            "office": office,
            "year": year,
            "tables": with_charts(statistics(office_id=office_id, year=year, key=key)),
            "offices": offices,
            "years": years,
            "csv_url": reverse("publication:statistics_csv") + _choice_query(chosen),
            "awards_url": reverse("publication:award_list") + _choice_query(chosen),
            # links that change one choice and keep the other
            "all_offices_url": base + _choice_query(chosen, office=None),
            "all_years_url": base + _choice_query(chosen, year=None),
        }

    # the statistics' own key names everything they are made of, beyond the public record,
    # the office and the year among them
    body = _fragment(
        request,
        "publication/_statistics.html",
        context,
        key,
        versioned=False,
        seconds=STATISTICS_SECONDS,  # no longer than the figures themselves (applied-for catches up)
    )
    if not body:
        raise Http404
    return render(request, "publication/statistics.html", {"body": body})


def _is_public(office_id: int | None, year: int | None) -> bool:
    """Whether the chosen figures are public: the office has a published award, the year a public record."""
    if office_id is not None and not offices_with_awards().filter(pk=office_id).exists():
        return False
    return year is None or year in years_published()


def _statistics_csv_text(office_id: int | None, year: int | None, key: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in statistics(office_id=office_id, year=year, key=key):
        if table.is_empty:
            continue
        writer.writerow([table.title])
        writer.writerow(["", *(column.title for column in table.columns)])
        writer.writerows(table.rows)
        writer.writerow([])
    return "\ufeff" + buffer.getvalue()  # the mark Excel needs to read UTF-8


@public
@require_GET
def statistics_csv(request, office_id: int | None = None):
    office_id, year = _statistics_choice(request, office_id)
    key = statistics_key(office_id, year)
    # kept like the page, under the statistics' key (which names the office and the year); "" is no file
    text = cache.get(f"csv:{key}")
    if text is None:
        text = _statistics_csv_text(office_id, year, key) if _is_public(office_id, year) else ""
        cache.set(f"csv:{key}", text, STATISTICS_SECONDS)
    if not text:
        raise Http404
    name = "statistikk"
    if office_id is not None:
        name += f"-embete-{office_id}"
    if year is not None:
        name += f"-{year}"
    response = HttpResponse(text, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@role_required(Role.NATIONAL)
@require_http_methods(["GET", "POST"])
def scheme_text(request):
    current = services.scheme_text()
    form = SchemeTextForm(
        request.POST or None,
        initial={name: getattr(current, name, "") for name in SchemeText.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        services.publish_scheme_text(by=request.user, data=form.cleaned_data)
        messages.success(request, _("The national text is published on every round's page."))
        return redirect("publication:scheme_text")
    return render(request, "publication/scheme_text.html", {"form": form, "current": current})


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def round_publication(request, round_id: int):
    """The office's choice of what the public sees of a round beyond its awards: its refusals."""
    round = get_round_to_manage(request.user, round_id)
    data = request.POST if request.method == "POST" else None  # an unticked box posts nothing
    form = RefusalsForm(data, initial={"publish_refusals": publishes_refusals(round.pk)})
    if request.method == "POST" and form.is_valid():
        services.set_refusals_published(
            round=round, by=request.user, publish=form.cleaned_data["publish_refusals"]
        )
        messages.success(request, _("Saved. The public lists show the change at once."))
        return redirect("publication:round_publication", round_id=round.pk)
    return render(request, "publication/round_publication.html", {"round": round, "form": form})
