"""The office's assessment and allocation pages. Thin: fetch through access helpers, call services."""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.models import Line, Status
from tilskudd.assessment import services
from tilskudd.assessment.charts import round_charts
from tilskudd.assessment.compare import compare
from tilskudd.assessment.forms import AssessmentForm, KommuneRecordForm, OverrideForm, ScenarioForm
from tilskudd.assessment.models import KommuneRecord, Override, Scenario
from tilskudd.assessment.summary import cache, chosen_scenario, key_of, summary
from tilskudd.assessment.unspent import unspent_reason
from tilskudd.domain.explanations import explain
from tilskudd.domain.money import format_kroner
from tilskudd.domain.priorities import describe_reason
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui.access import post_action, role_required
from tilskudd.ui.htmx import is_htmx

PAGE_SIZE = (
    50  # measures per page of the allocation table; figures, sentence, comparison and charts count them all
)
FILTERS = ("kind", "tier", "q", "changed", "group")
# what the allocation page's address may carry back after an action (the view, never anything else)
VIEW_KEYS = ("scenario", "compare", "unchanged", *FILTERS, "page")


def _view_query(query: str, **changes) -> str:
    """The allocation page's own parameters from ``query`` (an address's query string), with ``changes``."""
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for key in VIEW_KEYS:
        if given.get(key):
            kept[key] = given[key]
    for key, value in changes.items():
        kept.pop(key, None)
        if value:
            kept[key] = str(value)
    return kept.urlencode()


def _allocation_url(round_id: int, query: str = "", *, line_id: int | None = None, **changes) -> str:
    """The allocation page with its view (filters, scenario) kept, at ``line_id``'s row and the page that has it."""
    if line_id:
        changes.update(line=line_id, page=None)
    query = _view_query(query, **changes)
    url = reverse("assessment:allocation", args=[round_id]) + (f"?{query}" if query else "")
    return url + (f"#line-{line_id}" if line_id else "")


def _allocation_page(
    request, round_id: int, line_id: int | None = None, scenario_id: int = 0, **kwargs
) -> str:
    """Where a reloaded allocation action goes: the allocation page, at its line (permission-checked)."""
    round = get_round_to_manage(request.user, round_id)
    scenario = get_object_or_404(Scenario, pk=scenario_id, round=round).pk if scenario_id else None
    line = _submitted_line(round, line_id).pk if line_id else None
    return _allocation_url(round.pk, request.GET.get("back", ""), line_id=line, scenario=scenario)


@dataclass(frozen=True)
class _RecordRow:
    """One municipality's inputs on the records page: the saved values, or a refused form's."""

    prefix: str
    leve: str
    needs: bool
    note: str
    errors: list

    @classmethod
    def of_record(cls, kommune, record) -> "_RecordRow":
        if record is None:
            return cls(f"k{kommune.pk}", "", False, "", [])
        return cls(f"k{kommune.pk}", record.leve_hele_livet, record.needs_qualification, record.note, [])

    @classmethod
    def of_form(cls, form) -> "_RecordRow":
        return cls(
            form.prefix,
            form["leve_hele_livet"].value() or "",
            bool(form["needs_qualification"].value()),
            form["note"].value() or "",
            list(form["note"].errors),
        )


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def kommune_records(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    kommuner = sorted(
        Organisation.objects.in_office(round.office).filter(kind=OrganisationKind.KOMMUNE),
        key=lambda o: norwegian_sort_key(o.name),
    )
    records = {
        r.organisation_id: r for r in KommuneRecord.objects.filter(year=round.year, organisation__in=kommuner)
    }
    if request.method == "POST":
        forms = []
        for kommune in kommuner:
            record = records.get(kommune.pk)
            initial = (
                {
                    "leve_hele_livet": record.leve_hele_livet,
                    "needs_qualification": record.needs_qualification,
                    "note": record.note,
                }
                if record
                else {}
            )
            forms.append((kommune, KommuneRecordForm(request.POST, prefix=f"k{kommune.pk}", initial=initial)))
        if all(form.is_valid() for _, form in forms):
            for kommune, form in forms:
                if form.has_changed():
                    services.save_kommune_record(
                        round=round, organisation=kommune, by=request.user, **form.cleaned_data
                    )
            messages.success(request, _("The records for %(year)s were saved.") % {"year": round.year})
            return redirect("assessment:kommune_records", round_id=round.pk)
        rows = [(kommune, _RecordRow.of_form(form)) for kommune, form in forms]
    else:  # the saved values as they are: no form per municipality to show them (P2)
        rows = [(kommune, _RecordRow.of_record(kommune, records.get(kommune.pk))) for kommune in kommuner]
    return render(request, "assessment/kommune_records.html", {"round": round, "rows": _records_html(rows)})


def _records_html(rows) -> str:
    """The records table's rows as HTML made here, every value escaped: inputs written out, not a
    widget template per field, nor a template loop per municipality (most of the page's time)."""
    leve_label, needs_label, note_label = (
        escape(_("Leve hele livet")),
        escape(_("Particularly needs to qualify staff")),
        escape(_("Note")),
    )
    choices = [
        (escape(value), value, escape(label))
        for value, label in KommuneRecordForm.base_fields["leve_hele_livet"].choices
    ]
    options = {}  # each chosen value's options, made once
    html = []
    for kommune, row in rows:
        p, leve, errors, name = escape(row.prefix), row.leve, row.errors, escape(kommune.name)
        if leve not in options:
            options[leve] = "".join(
                f'<option value="{value}"{" selected" if raw == leve else ""}>{label}</option>'
                for value, raw, label in choices
            )
        checked = " checked" if row.needs else ""
        invalid = f' aria-invalid="true" aria-describedby="id_{p}-note_error"' if errors else ""
        message = (
            f'<div class="ds-validation-message" id="id_{p}-note_error">'
            + "".join(f"{escape(error)} " for error in errors)
            + "</div>"
            if errors
            else ""
        )
        html.append(
            f'\n      <tr>\n        <th scope="row">{name}</th>\n'
            f'        <td><label class="ds-sr-only" for="id_{p}-leve_hele_livet">{leve_label}: {name}</label>'
            f'<select name="{p}-leve_hele_livet" class="ds-input" id="id_{p}-leve_hele_livet">'
            f"{options[leve]}</select></td>\n"
            f'        <td><label class="ds-sr-only" for="id_{p}-needs_qualification">{needs_label}: {name}</label>'
            f'<input type="checkbox" name="{p}-needs_qualification" class="ds-input" '
            f'id="id_{p}-needs_qualification"{checked}></td>\n'
            f'        <td><label class="ds-sr-only" for="id_{p}-note">{note_label}: {name}</label>'
            f'<input type="text" name="{p}-note" value="{escape(row.note)}" maxlength="500" class="ds-input" '
            f'id="id_{p}-note"{invalid}>{message}</td>\n'
            "      </tr>\n    "
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


def _submitted_line(round, line_id):
    return get_object_or_404(
        Line.objects.select_related("application__organisation"),
        pk=line_id,
        application__round=round,
        application__status=Status.SUBMITTED,
    )


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def assess(request, round_id: int, line_id: int):
    round = get_round_to_manage(request.user, round_id)
    line = _submitted_line(round, line_id)
    assessment = getattr(line, "assessment", None)
    initial = {"version": assessment.version if assessment else 0}
    if assessment:
        initial.update(
            eligible="yes" if assessment.eligible else "no",
            ineligible_reason=assessment.ineligible_reason,
            recommended=assessment.recommended,
            comment=assessment.comment,
            **{f"score_{k}": v for k, v in assessment.scores.items()},
        )
    form = AssessmentForm(request.POST or None, line=line, scale_max=round.score_scale_max, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data.get(k) for k in ("eligible", "ineligible_reason", "recommended", "comment")
        }
        data["scores"] = form.scores()
        try:
            services.assess_line(
                line=line, by=request.user, data=data, version=form.cleaned_data.get("version")
            )
            messages.success(request, _("The assessment was saved."))
            return redirect(_allocation_url(round.pk, request.GET.get("back", ""), line_id=line.pk))
        except ValidationError as error:  # out of bounds: next to the field
            form.add_error(None, error)
        except services.StaleAssessment:
            form.add_error(
                None,
                _(
                    "A colleague saved an assessment of this measure after you opened it. Your input is kept below "
                    "but not saved: reload the page to see theirs, then save again."
                ),
            )
    tier, score = services.line_priority(line)
    language = get_language()
    return render(
        request,
        "assessment/assess.html",
        {
            "round": round,
            "line": line,
            "form": form,
            "tier": tier,
            "tier_reasons": [describe_reason(code, language) for code in tier.reasons],
            "score": score,
            "back_url": _allocation_url(round.pk, request.GET.get("back", ""), line_id=line.pk),
        },
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def allocation(request, round_id: int):
    # The round first, with its fingerprint: the proposal (cached under it) is never older than it.
    round = get_round_to_manage(request.user, round_id)
    scenarios, scenario = chosen_scenario(round, request.GET.get("scenario"))
    whole = summary(round, scenario)
    language = get_language()
    other = next(
        (s for s in scenarios if str(s.pk) == request.GET.get("compare") and s.pk != scenario.pk), None
    )
    comparison = compare(whole, summary(round, other)) if other else None
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    shown = [row for row in whole.rows if _matches(row, filters)]
    if filters["group"] == "applicant":
        shown.sort(key=lambda r: (r.applicant_order, r.rank))
    # One page of rows; everything above the table (figures, the unspent sentence, the comparison,
    # the charts) is of the whole proposal. Returning from an action on a line opens the page that has it.
    line_id = request.GET.get("line", "")
    index = next((n for n, row in enumerate(shown) if str(row.line_id) == line_id), None) if line_id else None
    page = RowsPage.of(shown, request.GET.get("page"), grouped=bool(filters["group"]), at=index)
    query = _view_query(request.GET.urlencode(), page=None)
    back = _view_query(query, page=page.number if page.number > 1 else None)  # this very page
    back_query = f"?back={quote(back, safe='/')}" if back else ""
    # each row's links: the address around its line's id, made once for the page
    assess_before, assess_after = _around_line("assessment:line_assess", round.pk)
    override_before, override_after = _around_line("assessment:override_form", round.pk, scenario.pk or 0)
    return render(
        request,
        "assessment/allocation.html",
        {
            "round": round,
            "scenario": scenario,
            "scenarios": scenarios,
            "applied": format_kroner(whole.applied, language),
            "total": format_kroner(whole.total, language),
            "remaining": format_kroner(whole.remaining, language),
            "rows": _page_rows(scenario, page.rows, language),
            # each row's links: the address around its line's id, made once for the page
            "set_amount": _("Set amount"),
            "open_form": _("Open the form to set the amount"),
            "page": page,
            "query": query,  # the view without the page: the pagination's links
            "back": back,
            "assess_before": assess_before,
            "assess_after": assess_after + back_query,
            "override_before": override_before,
            "override_after": override_after + back_query,
            "shown_count": len(shown),
            "total_rows": len(whole.rows),
            "filters": filters,
            "kind_choices": LineKindChoices.choices,
            "comparison_totals": _totals(comparison) if comparison else None,
            "show_unchanged": request.GET.get("unchanged") == "1",
            "charts": _charts(round, scenario, whole, language),
            "comparison": comparison,
            "unspent": unspent_reason(scenario, whole),
            "other": other,
            "scenario_form": _scenario_form(language),
            "can_edit": request.user.role in OFFICE_ROLES,
        },
    )


def _scenario_form(language: str) -> str:
    """The new-scenario form, empty: the same HTML for every round, made once per language."""
    key = f"scenario-form:{language}"
    html = cache.get(key)
    if html is None:
        html = str(
            ScenarioForm(initial={"tier_1": "proportional", "tier_2": "proportional", "tier_3": "ranked"})
        )
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 - Django's own form rendering, escaped there


def _charts(round, scenario, whole, language: str) -> str:
    """The charts' HTML, made once per state of the round's inputs and language (kept beside the summary)."""
    key = f"{key_of(round, scenario)}:charts:{language}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("assessment/_charts.html", {"charts": round_charts(whole)})
        cache.set(key, html)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there


_LINE = 987654321  # a line id no round has: where a row's own id goes in its links


def _around_line(name: str, *args) -> tuple[str, str]:
    """The address of ``name`` for a line as the text before and after the line's id."""
    before, after = reverse(name, args=[*args, _LINE]).split(str(_LINE))
    return before, after


def _page_rows(scenario, rows, language: str) -> list[dict]:
    """The page's rows; one query, for the amounts set by hand among them (none if there are none)."""
    overridden = [row.line_id for row in rows if row.overridden]
    overrides = (
        {o.line_id: o for o in scenario.overrides.filter(line_id__in=overridden).select_related("by")}
        if overridden and scenario.pk
        else {}
    )
    kinds = {value: str(label) for value, label in LineKindChoices.choices}
    # Plain dicts: a template looks a name up in a dict at once, where an object costs it a dir() each time.
    return [
        {
            "line_id": row.line_id,
            "applicant_id": row.applicant_id,
            "applicant": row.applicant_display,
            "rank": row.rank,
            "title": row.title,
            "kind": capfirst(kinds.get(row.kind, row.kind)),
            "link": row.title or kinds.get(row.kind, row.kind),
            "tier": row.tier.tier,
            "score": "–" if row.score is None else number_format(round(row.score, 2), 2, use_l10n=True),
            "applied": format_kroner(row.applied, language),
            "amount": format_kroner(row.amount, language),
            "eligible": row.eligible,
            "why": explain(row.result, language),
            "override": overrides.get(row.line_id),
        }
        for row in rows
    ]


@role_required(*OFFICE_ROLES)
@require_GET
def override_form(request, round_id: int, scenario_id: int, line_id: int):
    """The form to set one line's amount, loaded into its row on demand (htmx) or as a page of its own.

    The allocation table shows many lines; each row's form is fetched when the officer opens it,
    with the amount the scenario proposes for the line now.
    """
    round = get_round_to_manage(request.user, round_id)
    line = _submitted_line(round, line_id)
    scenario = (
        get_object_or_404(Scenario, pk=scenario_id, round=round)
        if scenario_id
        else services.default_scenario(round)
    )
    row = next((r for r in summary(round, scenario).rows if r.line_id == line.pk), None)
    if row is None:
        raise Http404("The line is not in the proposal.")
    item = services.ProposedLine(line, row.tier, row.score, row.result, None)
    back = _view_query(request.GET.get("back", ""))
    return render(
        request,
        "assessment/_override_form.html" if is_htmx(request) else "assessment/override.html",
        {
            "round": round,
            "scenario": scenario,
            "item": item,
            "back": back,
            "back_url": _allocation_url(round.pk, back, line_id=line.pk),
        },
    )


@dataclass(frozen=True)
class RowsPage:
    """One page of the allocation table: PAGE_SIZE rows, or, grouped by applicant, whole applicants.

    Grouped, a page ends at the first change of applicant after PAGE_SIZE rows, so an applicant's
    measures are never split between two pages.
    """

    rows: list
    number: int
    num_pages: int
    start_index: int  # 1-based, as Django's Page
    end_index: int

    @classmethod
    def of(cls, shown: list, number, *, grouped: bool, at: int | None = None) -> "RowsPage":
        starts = [0]
        for n in range(1, len(shown)):
            full = n - starts[-1] >= PAGE_SIZE
            if full and (not grouped or _applicant(shown[n]) != _applicant(shown[n - 1])):
                starts.append(n)
        if at is not None:  # the page that has row ``at``
            number = sum(1 for start in starts if start <= at)
        try:
            number = min(max(int(number), 1), len(starts))
        except (TypeError, ValueError):
            number = 1
        first = starts[number - 1]
        last = starts[number] if number < len(starts) else len(shown)
        return cls(shown[first:last], number, len(starts), first + 1 if shown else 0, last)

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _applicant(row) -> int:
    return row.applicant_id


def _totals(comparison) -> tuple[int, int, int]:
    first, second = sum(r.first for r in comparison), sum(r.second for r in comparison)
    return first, second, second - first


def _matches(row, filters: dict) -> bool:
    """One row of the allocation page (a summary.Row) against the filters of its form (kind, tier,
    applicant, changed)."""
    if filters["kind"] and row.kind != filters["kind"]:
        return False
    if filters["tier"] and str(row.tier.tier) != filters["tier"]:
        return False
    if filters["q"] and filters["q"].casefold() not in row.applicant.casefold():
        return False
    # "changed": set by hand, or proposed differently from what was applied for
    return not filters["changed"] or bool(row.overridden or row.amount != row.applied)


@role_required(*OFFICE_ROLES)
@post_action(_allocation_page)
def scenario_create(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:  # the default proposal is saved with the first new scenario, as the baseline to compare with
            scenario = services.create_scenario(
                round=round, by=request.user, name=form.cleaned_data["name"], **form.policy()
            )
        except IntegrityError:
            messages.error(request, _("A scenario with that name exists already."))
            return redirect("assessment:allocation", round_id=round.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("assessment:allocation", args=[round.pk]) + f"?scenario={scenario.pk}")
    messages.error(
        request,
        _("The scenario was not created: %(errors)s")
        % {
            "errors": " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
                if name in form.fields
            )
        },
    )
    return redirect("assessment:allocation", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@post_action(_allocation_page)
def override_set(request, round_id: int, scenario_id: int, line_id: int):
    """Set an amount by hand; scenario 0 is the round's default, saved by the service on this first change."""
    round = get_round_to_manage(request.user, round_id)
    line = _submitted_line(round, line_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            override = services.set_override(
                round=round, scenario_id=scenario_id, line=line, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The amount for “%(title)s” was set.") % {"title": line.title})
            return redirect(
                _allocation_url(
                    round.pk, request.POST.get("back", ""), line_id=line.pk, scenario=override.scenario_id
                )
            )
    messages.error(
        request,
        _("The amount for “%(title)s” was not changed: %(errors)s")
        % {
            "title": line.title,
            "errors": " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}"
                for name, errors in form.errors.items()
                if name in form.fields
            ),
        },
    )
    return redirect(
        _allocation_url(round.pk, request.POST.get("back", ""), line_id=line.pk, scenario=scenario_id or None)
    )


@role_required(*OFFICE_ROLES)
@post_action(_allocation_page)
def override_remove(request, round_id: int, scenario_id: int, line_id: int):
    round = get_round_to_manage(request.user, round_id)
    override = get_object_or_404(Override, scenario_id=scenario_id, scenario__round=round, line_id=line_id)
    services.remove_override(override=override, by=request.user)
    return redirect(
        _allocation_url(round.pk, request.POST.get("back", ""), line_id=line_id, scenario=scenario_id)
    )
