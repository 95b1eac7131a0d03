"""Rounds: public call pages, and the office's pages to configure, publish and follow a round."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.access import get_published_round, get_round_to_manage, rounds_managed_by
from tilskudd.applications.exports import round_applications_xlsx
from tilskudd.applications.models import Application, Line, Status
from tilskudd.applications.services import grant_extension
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.organisations.models import OrganisationKind
from tilskudd.rounds import services
from tilskudd.rounds.forms import EarmarkForm, ExtensionForm, RoundForm
from tilskudd.rounds.models import LineKindChoices, Round, ThemeChoices
from tilskudd.web.access import public, role_required


@public
@require_GET
def public_list(request):
    now = timezone.now()
    rounds = Round.objects.published().select_related("office").order_by("application_deadline")
    open_rounds = [r for r in rounds if r.application_deadline >= now]
    closed_rounds = [r for r in rounds if r.application_deadline < now][::-1]
    own = None
    if request.user.is_authenticated and request.user.is_applicant_side:
        own = request.user.organisation.fylke.office_id
    return render(
        request,
        "rounds/public_list.html",
        {"open_rounds": open_rounds, "closed_rounds": closed_rounds, "own_office": own},
    )


@public
@require_GET
def public_detail(request, round_id: int):
    round = get_published_round(round_id)
    application = None
    may_apply = False
    if request.user.is_authenticated and request.user.is_applicant_side:
        organisation = request.user.organisation
        may_apply = organisation.fylke.office_id == round.office_id
        application = Application.objects.filter(round=round, organisation=organisation).first()
    return render(
        request,
        "rounds/public_detail.html",
        {
            "round": round,
            "application": application,
            "may_apply": may_apply,
            "is_open": round.application_deadline >= timezone.now(),
            "earmarks": round.earmarks.all(),
        },
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def office_list(request):
    rounds = rounds_managed_by(request.user).annotate(
        applications_count=Count("applications", filter=Q(applications__status=Status.SUBMITTED))
    )
    return render(request, "rounds/office_list.html", {"rounds": rounds})


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def create(request):
    next_year = timezone.localdate().year + 1
    form = RoundForm(request.POST or None, initial=RoundForm.initial_from(Round(year=next_year)))
    if request.method == "POST" and form.is_valid():
        if Round.objects.filter(office_id=request.user.office_id, year=form.cleaned_data["year"]).exists():
            form.add_error("year", _("Your office already has a round for this year."))
        else:
            try:
                round = services.create_round(by=request.user, data=form.round_data())
            except ValidationError as error:  # out of bounds: shown next to the field
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The round %(title)s was created. Publish it when it is ready.")
                    % {"title": round.title},
                )
                return redirect("round_manage", round_id=round.pk)
    return render(request, "rounds/round_form.html", {"form": form, "round": None})


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def edit(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = RoundForm(request.POST or None, initial=RoundForm.initial_from(round))
    earmark_form = EarmarkForm()
    if request.method == "POST" and form.is_valid():
        clash = Round.objects.filter(office=round.office, year=form.cleaned_data["year"]).exclude(pk=round.pk)
        if clash.exists():
            form.add_error("year", _("Your office already has a round for this year."))
        else:
            try:
                services.update_round(round=round, by=request.user, data=form.round_data())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The round was saved."))
                return redirect("round_manage", round_id=round.pk)
    return render(
        request,
        "rounds/round_form.html",
        {"form": form, "round": round, "earmark_form": earmark_form, "earmarks": round.earmarks.all()},
    )


@role_required(*OFFICE_ROLES)
@require_POST
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
            return redirect("round_edit", round_id=round.pk)
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
@require_POST
def earmark_remove(request, round_id: int, earmark_id: int):
    round = get_round_to_manage(request.user, round_id)
    services.remove_earmark(earmark=get_object_or_404(round.earmarks, pk=earmark_id), by=request.user)
    messages.success(request, _("The earmarked pool was removed."))
    return redirect("round_edit", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@require_POST
def publish(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    services.publish_round(round=round, by=request.user)
    messages.success(request, _("The round is published and open for applications."))
    return redirect("round_manage", round_id=round.pk)


def _filtered_applications(round, params):
    applications = (
        Application.objects.filter(round=round)
        .select_related("organisation", "round")
        .annotate(
            lines_count=Count("lines", distinct=True),
            applied=Sum("lines__amount_applied"),
        )
        .order_by("organisation__name")
    )
    if params.get("status") in Status.values:
        applications = applications.filter(status=params["status"])
    # Line filters go through subqueries so that they do not multiply the sums above.
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
    return applications


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def manage(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    applications = _filtered_applications(round, request.GET)
    submitted_lines = Line.objects.filter(application__round=round, application__status=Status.SUBMITTED)
    applied_total = submitted_lines.aggregate(total=Sum("amount_applied"))["total"] or 0
    by_kind = {
        row["kind"]: row
        for row in submitted_lines.values("kind").annotate(count=Count("pk"), total=Sum("amount_applied"))
    }
    kinds = [
        {
            "label": choice.label,
            "count": by_kind.get(choice.value, {}).get("count", 0),
            "total": by_kind.get(choice.value, {}).get("total") or 0,
        }
        for choice in LineKindChoices
    ]
    return render(
        request,
        "rounds/manage.html",
        {
            "round": round,
            "applications": sorted(applications, key=lambda a: norwegian_sort_key(a.organisation.name)),
            "applied_total": applied_total,
            "ratio": (applied_total / round.total_funds) if round.total_funds else None,
            "kinds": kinds,
            "filters": request.GET,
            "status_choices": Status.choices,
            "kind_choices": LineKindChoices.choices,
            "theme_choices": ThemeChoices.choices,
            "organisation_kind_choices": OrganisationKind.choices,
            "extensions": round.extensions.select_related("organisation", "granted_by"),
            "is_office_staff": request.user.role in OFFICE_ROLES,
        },
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def export_xlsx(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    content = round_applications_xlsx(round)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="soknader-{round.office.short_name}-{round.year}.xlsx"'
    )
    return response


@role_required(*OFFICE_ROLES)
@require_http_methods(["GET", "POST"])
def extension(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = ExtensionForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            grant_extension(round=round, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(organisation)s was given a later deadline.")
                % {"organisation": form.cleaned_data["organisation"]},
            )
            return redirect("round_manage", round_id=round.pk)
    return render(request, "rounds/extension.html", {"round": round, "form": form})
