"""The applications stage's panels on the round's pages."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.applications.hooks import ShownStatus, shown_statuses
from tilskudd.applications.models import Application, Status
from tilskudd.applications.selectors import deadline_in_force, round_listing, unshared_drafts_summary
from tilskudd.applications.services import check_own_office
from tilskudd.domain.deadlines import is_on_time
from tilskudd.domain.money import format_kroner
from tilskudd.organisations.models import OrganisationKind, formal_name
from tilskudd.rounds import panels as round_pages
from tilskudd.rounds.models import LineKindChoices, ThemeChoices
from tilskudd.ui.panels import Link, Panel


@round_pages.ACTIONS.provide(order=20)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "",
        {
            "links": [
                Link(_("Grant a later deadline"), reverse("applications:round_extension", args=[round.pk])),
                Link(_("Download as Excel"), reverse("applications:round_export", args=[round.pk])),
            ]
        },
    )


@dataclass(frozen=True)
class _Listed:
    """What the status hook needs of a listed application."""

    pk: int
    is_draft: bool


PLACEHOLDER_ID = 987654321


@round_pages.OFFICE.provide(order=20)
def round_applications(request, round, state):
    # The list as plain values, each row's text made here once: at national scale a round has
    # dozens of applications, and model instances and a template include per row were half the page.
    rows, by_kind = round_listing(round, request.GET)  # kept per state of the round's applications
    statuses = shown_statuses([_Listed(row["pk"], row["status"] == Status.DRAFT) for row in rows])
    language = get_language() or "nb"
    detail = reverse("applications:application_detail", args=[PLACEHOLDER_ID])
    rows_html = []
    labels = {}  # each status's text, made once (escaped)
    for row in rows:
        pk, status, applied = row["pk"], row["status"], row["applied"]
        shown = statuses.get(pk) or ShownStatus(
            Status(status).label, "warning" if status == Status.DRAFT else "success"
        )
        if shown not in labels:
            labels[shown] = (escape(capfirst(str(shown.label))), escape(shown.colour))
        label, colour = labels[shown]
        url = escape(detail.replace(str(PLACEHOLDER_ID), str(pk)))
        name = escape(formal_name(row["organisation__kind"], row["organisation__name"]))
        case_number = f"{round.year}/{pk:05d}"  # as Application.case_number
        amount = "–" if applied is None else escape(format_kroner(applied, language))
        rows_html.append(
            f'\n    <tr><td><a class="ds-link" href="{url}">{name}</a></td><td>{case_number}</td>'
            f'<td><span class="ds-tag" data-color="{colour}">{label}</span></td>'
            f'<td class="num">{row["lines_count"]}</td><td class="num">{amount}</td></tr>\n  '
        )
    applied_total = sum(row["total"] for row in by_kind.values())
    kinds = [
        {
            "label": choice.label,
            "count": by_kind.get(choice.value, {}).get("count", 0),
            "total": by_kind.get(choice.value, {}).get("total", 0),
        }
        for choice in LineKindChoices
    ]
    return Panel(
        "applications/_round_panel.html",
        {
            "round": round,
            # the table's rows and the filters' options as HTML made here, each value escaped: a
            # template loop over dozens of rows of five columns was a third of the page's time
            "rows": mark_safe("".join(rows_html)),  # noqa: S308 - every value escaped above
            "applied_total": applied_total,
            "ratio": (applied_total / round.total_funds) if round.total_funds else None,
            "kinds": kinds,
            "filters": request.GET,
            "status_options": _options(Status.choices, request.GET.get("status")),
            "kind_options": _options(LineKindChoices.choices, request.GET.get("kind")),
            "theme_options": _options(ThemeChoices.choices, request.GET.get("theme")),
            "organisation_kind_options": _options(
                OrganisationKind.choices, request.GET.get("organisation_kind")
            ),
            "drafts": unshared_drafts_summary(round),
            "extensions": round.extensions.select_related("organisation", "granted_by"),
        },
    )


def _options(choices, selected) -> str:
    """A filter's ``<option>``s after "All", the chosen one selected."""
    return mark_safe(  # noqa: S308 - every value escaped here
        "".join(
            f'<option value="{escape(value)}"{" selected" if selected == value else ""}>'
            f"{escape(capfirst(str(label)))}</option>"
            for value, label in choices
        )
    )


@round_pages.PUBLIC.provide(order=20)
def apply_panel(request, round, state):
    """Start or continue: offered while the deadline in force for the person's organisation holds (R5)."""
    application = None
    may_apply = False
    deadline = round.application_deadline
    if request.user.is_authenticated and request.user.is_applicant_side:
        organisation = request.user.organisation
        try:
            check_own_office(round, organisation)
            may_apply = True
        except PermissionDenied:
            may_apply = False
        application = Application.objects.filter(round=round, organisation=organisation).first()
        deadline = deadline_in_force(round, organisation)
    return Panel(
        "applications/_apply_panel.html",
        {
            "round": round,
            "application": application,
            "may_apply": may_apply,
            "is_open": is_on_time(timezone.now(), deadline),
        },
    )
