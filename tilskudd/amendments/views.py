"""The signer's "Søk om endring" page, a change request's page (the office handles it there), its letter,
and the office's list of change requests per round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.access import SecondFactorRequired
from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.amendments import services
from tilskudd.amendments.access import get_change_for, get_change_to_handle
from tilskudd.amendments.forms import (
    REQUEST_FORMS,
    OfficeReasonForm,
    OptionalReasonForm,
    PrepareForm,
    WindowForm,
)
from tilskudd.amendments.models import Amendment, ChangeKind, ChangeRequest, ChangeState, ChangeWindow
from tilskudd.amendments.selectors import amended_lines, window_is_open, windows_for
from tilskudd.applications.access import get_own_application
from tilskudd.decisions.models import Decision
from tilskudd.domain.changes import round_window
from tilskudd.organisations.models import Organisation
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.ui.access import post_action, role_required

# --- The signer asks --------------------------------------------------------------------------------


def _award(application) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("application__round__office", "application__organisation"),
        application=application,
        approved_at__isnull=False,
        granted__gt=0,
    )


def _request_context(request, application, decision, bound=None) -> dict:
    lines = amended_lines(decision)
    round, organisation_id = application.round, application.organisation_id
    is_open = window_is_open(round, organisation_id)
    obligation = ReportObligation.objects.filter(decision=decision).first()
    report_open = obligation is None or obligation.is_editable
    forms = {kind: form(prefix=kind, lines=lines) for kind, form in REQUEST_FORMS.items()}
    if bound is not None:
        forms[bound.kind] = bound
    return {
        "application": application,
        "decision": decision,
        "lines": lines,
        "windows": windows_for(round, organisation_id),
        "window_open": is_open,
        "report_open": report_open,
        "can_ask": is_open and report_open and request.user.signs_for(organisation_id),
        "move_form": forms["move"],
        "content_form": forms["content"],
        "period_form": forms["period"],
        "bound": bound,
        "changes": ChangeRequest.objects.filter(decision=decision).select_related("line", "to_line"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_page(request, application_id: int):
    application = get_own_application(request.user, application_id)
    decision = _award(application)
    if request.method == "GET":
        return render(request, "amendments/request.html", _request_context(request, application, decision))
    form_class = REQUEST_FORMS.get(request.POST.get("kind", ""))
    if form_class is None:
        return HttpResponseBadRequest()
    form = form_class(request.POST, prefix=form_class.kind, lines=amended_lines(decision))
    if form.is_valid():
        try:
            change = services.request_change(
                decision=decision, by=request.user, kind=form_class.kind, **form.values()
            )
            messages.success(request, _("Your request is sent to the office."))
            return redirect("amendments:change", change_id=change.pk)
        except services.WindowClosed:
            form.add_error(None, _("Changes can only be asked for while the change window is open."))
        except services.ReportSubmitted:
            form.add_error(
                None,
                _("The report on the grant is submitted: the use of the money can no longer be changed."),
            )
        except ValidationError as error:
            form.apply_errors(error)
    context = _request_context(request, application, decision, bound=form)
    return render(request, "amendments/request.html", context, status=422)


# --- A change request's page --------------------------------------------------------------------------


def _change_url(request, change_id: int, **_kwargs) -> str:
    return reverse("amendments:change", args=[get_change_for(request.user, change_id).pk])


def change_context(request, change: ChangeRequest, **forms) -> dict:
    user = request.user
    decision = change.decision
    handles = user.works_at(decision.application.round.office_id)
    officer = handles and user.role == Role.CASE_OFFICER
    approver = handles and user.role == Role.APPROVER
    requested = change.state == ChangeState.REQUESTED
    prepared = change.state == ChangeState.PREPARED
    obligation = getattr(decision, "report_obligation", None)
    report_open = obligation is None or obligation.is_editable  # the services refuse once the report is in
    return {
        "change": change,
        "report_open": report_open,
        "decision": decision,
        "application": decision.application,
        "lines": amended_lines(decision),
        "amendment": Amendment.objects.filter(change=change).first(),
        "handles": handles,
        "can_prepare": officer and requested and change.kind == ChangeKind.MOVE and report_open,
        "can_decide": officer and requested and change.kind != ChangeKind.MOVE,
        "can_refuse": officer and change.is_open,
        "can_approve": approver and prepared and change.prepared_by_id != user.pk and report_open,
        "own_preparation": prepared and change.prepared_by_id == user.pk,
        "prepare_form": forms.get("prepare_form")
        or PrepareForm(prefix="prepare", initial={"amount": change.amount}),
        "decide_form": forms.get("decide_form") or OptionalReasonForm(prefix="decide"),
        "refuse_form": forms.get("refuse_form") or OfficeReasonForm(prefix="refuse"),
        "return_form": forms.get("return_form") or OfficeReasonForm(prefix="return"),
    }


def _render_change(request, change, status=200, **forms):
    return render(request, "amendments/change.html", change_context(request, change, **forms), status=status)


@login_required
@require_GET
def change_page(request, change_id: int):
    return _render_change(request, get_change_for(request.user, change_id))


def _act(request, change, act, form, form_name, done: str):
    if not form.is_valid():
        return _render_change(request, change, status=422, **{form_name: form})
    try:
        act(**form.cleaned_data)
        messages.success(request, done)
        return redirect("amendments:change", change_id=change.pk)
    except services.WrongState:
        messages.error(request, _("The request has been handled by someone else meanwhile."))
    except services.FourEyes:
        messages.error(request, _("Another person must approve what you prepared."))
    except SecondFactorRequired:
        messages.error(
            request, _("Nothing was done: an approver needs two-step login. Set it up or write a code.")
        )
    except services.ReportSubmitted:
        messages.error(
            request, _("The report on the grant is submitted: the use of the money can no longer be changed.")
        )
    except ValidationError as error:
        for field, found in error.message_dict.items():
            form.add_error(field if field in form.fields else None, found)
        return _render_change(request, change, status=422, **{form_name: form})
    return redirect("amendments:change", change_id=change.pk)


@role_required(*OFFICE_ROLES)
@post_action(_change_url)
def prepare(request, change_id: int):
    change = get_change_to_handle(request.user, change_id)
    form = PrepareForm(request.POST, prefix="prepare")
    return _act(
        request,
        change,
        lambda amount, reason: services.prepare_change(
            change=change, by=request.user, amount=amount, reason=reason
        ),
        form,
        "prepare_form",
        _("Prepared. Another person at the office approves it."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_change_url)
def approve(request, change_id: int):
    change = get_change_to_handle(request.user, change_id)
    form = OptionalReasonForm(request.POST, prefix="decide")
    return _act(
        request,
        change,
        lambda reason: services.approve_change(change=change, by=request.user, reason=reason),
        form,
        "decide_form",
        _("The change is approved and the letter is made."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_change_url)
def refuse(request, change_id: int):
    change = get_change_to_handle(request.user, change_id)
    form = OfficeReasonForm(request.POST, prefix="refuse")
    return _act(
        request,
        change,
        lambda reason: services.refuse_change(change=change, by=request.user, reason=reason),
        form,
        "refuse_form",
        _("The request is refused."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_change_url)
def send_back(request, change_id: int):
    change = get_change_to_handle(request.user, change_id)
    form = OfficeReasonForm(request.POST, prefix="return")
    return _act(
        request,
        change,
        lambda reason: services.return_change(change=change, by=request.user, reason=reason),
        form,
        "return_form",
        _("Sent back to the case officer."),
    )


@login_required
@require_GET
def letter_download(request, change_id: int):
    change = get_change_for(request.user, change_id)
    amendment = get_object_or_404(
        Amendment.objects.select_related("decision__application__round"), change=change
    )
    return FileResponse(
        amendment.letter.open("rb"),
        as_attachment=True,
        filename=amendment.filename,
        content_type="application/pdf",
    )


# --- The office's list per round ----------------------------------------------------------------------


def _awarded_organisations(round):
    return list(
        Organisation.objects.filter(
            applications__round=round,
            applications__decision__approved_at__isnull=False,
            applications__decision__granted__gt=0,
        ).order_by("name")
    )


def _round_changes(request, round, window_form=None, status=200):
    changes = (
        ChangeRequest.objects.filter(decision__application__round=round)
        .select_related("decision__application__organisation", "line", "to_line")
        .order_by("-requested_at", "-pk")
    )
    handles = request.user.works_at(round.office_id)
    if handles and window_form is None:
        window_form = WindowForm(organisations=_awarded_organisations(round))
    return render(
        request,
        "amendments/round_changes.html",
        {
            "round": round,
            "changes": changes,
            "windows": ChangeWindow.objects.filter(round=round).select_related("organisation", "opened_by"),
            "default_window": round_window(round.year, round.change_window_opens, round.change_window_closes),
            "window_form": window_form if handles else None,
        },
        status=status,
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_changes(request, round_id: int):
    return _round_changes(request, get_round_to_manage(request.user, round_id))


def _round_changes_url(request, round_id: int, **_kwargs) -> str:
    return reverse("amendments:round_changes", args=[get_round_to_manage(request.user, round_id).pk])


@role_required(*OFFICE_ROLES)
@post_action(_round_changes_url)
def open_window(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = WindowForm(request.POST, organisations=_awarded_organisations(round))
    if form.is_valid():
        try:
            services.open_window(round=round, by=request.user, **form.cleaned_data)
            messages.success(request, _("The change window is opened for the organisation."))
            return redirect("amendments:round_changes", round_id=round.pk)
        except ValidationError as error:
            for field, found in error.message_dict.items():
                form.add_error(field if field in form.fields else None, found)
    return _round_changes(request, round, window_form=form, status=422)
