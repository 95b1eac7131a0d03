"""Public pages: who got what, open data, statistics; and the directorate's national scheme text."""

import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import Role
from tilskudd.applications.models import EducationTypeChoices
from tilskudd.organisations.models import Fylke, Office, Organisation
from tilskudd.publication import services, threesixty
from tilskudd.publication.forms import SchemeTextForm
from tilskudd.publication.models import SchemeText
from tilskudd.publication.selectors import (
    SORTS,
    as_award,
    awards,
    filtered_awards,
    offices_with_awards,
    reported_result,
    rounds_with_awards,
)
from tilskudd.publication.statistics import statistics, with_charts
from tilskudd.rounds.models import LineKindChoices, ThemeChoices
from tilskudd.ui.access import public, role_required

PAGE_SIZE = 50


@public
@require_GET
def award_list(request):
    qs = filtered_awards(request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    years = sorted(
        awards().order_by().values_list("decision__application__round__year", flat=True).distinct(),
        reverse=True,
    )
    return render(
        request,
        "publication/award_list.html",
        {
            "page": page,
            "awards": [as_award(line) for line in page.object_list],
            "filters": request.GET,
            "query": query.urlencode(),
            "years": years,
            "offices": offices_with_awards(),
            "fylker": Fylke.objects.order_by("number"),
            "kind_choices": LineKindChoices.choices,
            "theme_choices": ThemeChoices.choices,
            "education_choices": EducationTypeChoices.choices,
            "sorts": [
                ("year", _("Newest first")),
                ("amount", _("Largest amount")),
                ("organisation", _("Organisation")),
            ],
            "csv_url": reverse("publication:awards_csv") + (f"?{query.urlencode()}" if query else ""),
        },
    )


@public
@require_GET
def award_detail(request, award_id: int):
    award = as_award(get_object_or_404(awards(), pk=award_id))
    return render(
        request, "publication/award_detail.html", {"award": award, "result": reported_result(award_id)}
    )


@public
@require_GET
def organisation_awards(request, organisation_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    lines = list(awards().filter(decision__application__organisation=organisation).order_by(*SORTS["year"]))
    if not lines:
        raise Http404  # an organisation without published awards has no public page
    items = [as_award(line) for line in lines]
    return render(
        request,
        "publication/organisation_awards.html",
        {"organisation": organisation, "awards": items, "total": sum(a.granted for a in items)},
    )


def _source(request) -> str:
    return request.build_absolute_uri(reverse("publication:open_data"))


def _grants(request, lines):
    source = _source(request)
    return (threesixty.grant(as_award(line), data_source=source) for line in lines.iterator(chunk_size=500))


def _json_response(grants) -> StreamingHttpResponse:
    return StreamingHttpResponse(threesixty.json_chunks(grants), content_type="application/json")


def _round_lines(round_id: int):
    round = get_object_or_404(rounds_with_awards().select_related("office"), pk=round_id)
    return round, awards().filter(decision__application__round=round).order_by("pk")


@public
@require_GET
def awards_json(request):
    return _json_response(_grants(request, awards().order_by("pk")))


@public
@require_GET
def awards_csv(request):
    lines = filtered_awards(request.GET).order_by("pk") if request.GET else awards().order_by("pk")
    response = StreamingHttpResponse(threesixty.csv_rows(_grants(request, lines)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="tildelinger-360giving.csv"'
    return response


@public
@require_GET
def round_awards_json(request, round_id: int):
    _round, lines = _round_lines(round_id)
    return _json_response(_grants(request, lines))


@public
@require_GET
def round_awards_csv(request, round_id: int):
    round, lines = _round_lines(round_id)
    response = StreamingHttpResponse(threesixty.csv_rows(_grants(request, lines)), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="tildelinger-{round.office.short_name}-{round.year}-360giving.csv"'
    )
    return response


@public
@require_GET
def open_data(request):
    rounds = rounds_with_awards().select_related("office").order_by("-year", "office__name")
    return render(
        request,
        "publication/open_data.html",
        {
            "rounds": rounds,
            "columns": [title for title, _ in threesixty.COLUMNS],
            "licence": threesixty.LICENCE,
        },
    )


def _office_with_awards(office_id: int) -> Office:
    # Figures become public with the office's first published award.
    return get_object_or_404(offices_with_awards(), pk=office_id)


@public
@require_GET
def statistics_page(request, office_id: int | None = None):
    office = _office_with_awards(office_id) if office_id is not None else None
    tables = statistics(office_id=office_id)
    csv_url = (
        reverse("publication:office_statistics_csv", args=[office_id])
        if office
        else reverse("publication:statistics_csv")
    )
    return render(
        request,
        "publication/statistics.html",
        {
            "office": office,
            "tables": with_charts(tables),
            "offices": offices_with_awards(),
            "csv_url": csv_url,
        },
    )


@public
@require_GET
def statistics_csv(request, office_id: int | None = None):
    if office_id is not None:
        _office_with_awards(office_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in statistics(office_id=office_id):
        if table.is_empty:
            continue
        writer.writerow([table.title])
        writer.writerow(["", *(column.title for column in table.columns)])
        writer.writerows(table.rows)
        writer.writerow([])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="statistikk.csv"'
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
