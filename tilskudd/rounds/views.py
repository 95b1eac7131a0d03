"""Rounds: public call pages, and the office's pages to configure, publish and follow a round."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.organisations.models import Office
from tilskudd.rounds import panels, services
from tilskudd.rounds.access import get_published_round, get_round_to_manage, rounds_managed_by
from tilskudd.rounds.forms import EarmarkForm, RoundForm
from tilskudd.rounds.models import Round
from tilskudd.ui.access import post_action, public, role_required
from tilskudd.ui.fragments import cached_body
from tilskudd.ui.htmx import is_htmx
from tilskudd.ui.panels import links


def _edit_page(request, round_id: int, **kwargs) -> str:
    return reverse("rounds:round_edit", args=[get_round_to_manage(request.user, round_id).pk])


def _manage_page(request, round_id: int, **kwargs) -> str:
    return reverse("rounds:round_manage", args=[get_round_to_manage(request.user, round_id).pk])


PLACEHOLDER_ID = 987654321


@dataclass(frozen=True)
class _ListedRound:
    """A published round as the public list shows it."""

    pk: int
    office_id: int
    office_name: str
    year: int
    application_deadline: datetime
    total_funds: int
    public_url: str

    @property
    def title(self) -> str:
        return f"{Office(name=self.office_name).short_name} {self.year}"  # as Round.title


@public
@require_GET
def public_list(request):
    now = timezone.now()
    # What the list shows, as plain values (at national scale it names every round of every year):
    # they are the key of the body kept in the cache, so an edit of a published round is a new body.
    rows = list(
        Round.objects.published()
        .order_by("application_deadline", "pk")
        .values_list(
            "pk",
            "office_id",
            "office__name",
            "year",
            "application_deadline",
            "fresh_funds",
            "carried_over_funds",
        )
    )
    open_count = sum(row[4] >= now for row in rows)  # the closed ones come first (earlier deadlines)
    own = None
    if request.user.is_authenticated and request.user.is_applicant_side:
        own = request.user.organisation.fylke.office_id

    def context():
        # One reverse() for every link: at national scale the list links to a hundred rounds.
        pattern = reverse("rounds:round_detail", args=[PLACEHOLDER_ID])
        rounds = [
            _ListedRound(
                pk,
                office,
                name,
                year,
                deadline,
                fresh + carried,
                pattern.replace(str(PLACEHOLDER_ID), str(pk)),
            )
            for pk, office, name, year, deadline, fresh, carried in rows
        ]
        split = len(rounds) - open_count
        return {"open_rounds": rounds[split:], "closed_rounds": rounds[:split][::-1], "own_office": own}

    body = cached_body(request, "rounds/_public_list.html", context, rows, open_count, own)
    return render(request, "rounds/public_list.html", {"body": body})


@public
@require_GET
def public_detail(request, round_id: int):
    round = get_published_round(round_id)
    return render(
        request,
        "rounds/public_detail.html",
        {
            "round": round,
            "panels": panels.PUBLIC.render(request, round),
            "call_panels": panels.CALL.render(request, round),
            "is_open": round.application_deadline >= timezone.now(),
            "earmarks": round.earmarks.all(),
        },
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def office_list(request):
    rounds = rounds_managed_by(request.user).annotate(
        applications_count=Count("applications", filter=Q(applications__submitted_at__isnull=False))
    )
    return render(request, "rounds/office_list.html", {"rounds": rounds})


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def create(request):
    next_year = timezone.localdate().year + 1
    form = RoundForm(request.POST or None, initial=RoundForm.initial_from(Round(year=next_year)))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(by=request.user, data=form.round_data())
        except ValidationError as error:  # out of bounds, or a year taken: shown next to the field
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The round %(title)s was created. Publish it when it is ready.") % {"title": round.title},
            )
            return redirect("rounds:round_manage", round_id=round.pk)
    return render(request, "rounds/round_form.html", {"form": form, "round": None})


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def edit(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = RoundForm(request.POST or None, initial=RoundForm.initial_from(round))
    earmark_form = EarmarkForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(round=round, by=request.user, data=form.round_data())
        except ValidationError as error:  # out of bounds, or a year taken: shown next to the field
            form.add_error(None, error)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("rounds:round_manage", round_id=round.pk)
    return render(
        request,
        "rounds/round_form.html",
        {"form": form, "round": round, "earmark_form": earmark_form, "earmarks": round.earmarks.all()},
    )


@role_required(*OFFICE_ROLES)
@post_action(_edit_page)
def earmark_add(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = EarmarkForm(request.POST)
    if form.is_valid():
        try:
            services.add_earmark(round=round, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The earmarked pool was added."))
            return redirect("rounds:round_edit", round_id=round.pk)
    return render(
        request,
        "rounds/round_form.html",
        {
            "form": RoundForm(initial=RoundForm.initial_from(round)),
            "round": round,
            "earmark_form": form,
            "earmarks": round.earmarks.all(),
        },
        status=400,
    )


@role_required(*OFFICE_ROLES)
@post_action(_edit_page)
def earmark_remove(request, round_id: int, earmark_id: int):
    round = get_round_to_manage(request.user, round_id)
    services.remove_earmark(earmark=get_object_or_404(round.earmarks, pk=earmark_id), by=request.user)
    messages.success(request, _("The earmarked pool was removed."))
    return redirect("rounds:round_edit", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@post_action(_manage_page)
def publish(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    services.publish_round(round=round, by=request.user)
    messages.success(request, _("The round is published and open for applications."))
    return redirect("rounds:round_manage", round_id=round.pk)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def manage(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    return render(
        request,
        "rounds/manage.html",
        {
            "round": round,
            "is_office_staff": request.user.role in OFFICE_ROLES,
            "links": links(panels.ACTIONS, request, round),
            "panels": panels.OFFICE.render(request, round),
        },
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def log(request, round_id: int):
    """The round log's latest entries: put into the round page when its log is opened (htmx), or,
    without JavaScript, a page of their own."""
    round = get_round_to_manage(request.user, round_id)
    entries = panels.latest_entries(round.pk)
    if is_htmx(request):
        return render(request, "caselog/_log.html", {"entries": entries})
    return render(request, "rounds/round_log.html", {"round": round, "entries": entries})
