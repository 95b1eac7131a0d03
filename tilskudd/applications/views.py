"""Applicant pages: start, draft, lines, attachments, submit, receipt. Thin: fetch, bind, call a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.applications import services
from tilskudd.applications.access import (
    get_application_for,
    get_attachment_for,
    get_line_for,
    get_own_application,
    require_own,
)
from tilskudd.applications.case import case_context, render_case
from tilskudd.applications.forms import ApplicationForm, AttachmentForm, line_data, line_form
from tilskudd.applications.messages import (
    describe_all,
    mark_application_problems,
    mark_line_problems,
    upload_message,
)
from tilskudd.applications.receipts import receipt_filename, snapshot_lines, stored_receipt
from tilskudd.applications.summary import summarise
from tilskudd.applications.uploads import UploadRefused, attachment_response
from tilskudd.domain.deadlines import format_local
from tilskudd.rounds.access import get_published_round
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui.access import post_action
from tilskudd.ui.htmx import is_htmx


def _case_page(request, application_id: int, **kwargs) -> str:
    """Where a reloaded case action goes: the case page (a permission-checked fetch)."""
    return reverse(
        "applications:application_detail", args=[get_application_for(request.user, application_id).pk]
    )


def _line_page(request, application_id: int, line_id: int, **kwargs) -> str:
    line = get_line_for(request.user, application_id, line_id)
    return reverse("applications:application_detail", args=[line.application_id]) + f"#line-{line.pk}"


def _round_page(request, round_id: int, **kwargs) -> str:
    return reverse("rounds:round_detail", args=[get_published_round(round_id).pk])


def refused_after_submission(view):
    """A write that reaches a submitted application (a second tab, a race with the signer) is told so, never a 500."""

    @wraps(view)
    def wrapped(request, *args, application_id: int, **kwargs):
        try:
            return view(request, *args, application_id=application_id, **kwargs)
        except services.NotEditable:
            message = _("The application has been submitted and can no longer be changed.")
            if is_htmx(request):
                return HttpResponse(message, status=409)
            messages.error(request, message)
            return redirect("applications:application_detail", application_id=application_id)

    return wrapped


@login_required
@post_action(_round_page)
def start(request, round_id: int):
    round = get_published_round(round_id)
    if not request.user.is_applicant_side:
        raise PermissionDenied
    try:
        application = services.start_application(
            round=round, organisation=request.user.organisation, by=request.user
        )
    except services.DeadlinePassed as passed:
        messages.error(
            request,
            _("The deadline was %(deadline)s. Applications can no longer be submitted in this round.")
            % {"deadline": format_local(passed.deadline, get_language() or "nb")},
        )
        return redirect("rounds:round_detail", round_id=round.pk)
    return redirect("applications:application_detail", application_id=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, application_id: int):
    application = get_application_for(request.user, application_id)
    if request.method == "POST":
        require_own(request.user, application)
        form = ApplicationForm(request.POST, instance=application)
        saved = False
        if form.is_valid():
            try:
                application = services.update_application(
                    application=application,
                    by=request.user,
                    data=form.cleaned_data,
                    version=form.cleaned_data.get("version"),
                )
                saved = True
            except services.StaleEdit:
                form.add_error(
                    None,
                    _(
                        "Someone else saved this application after you opened it. Your changes are shown below but "
                        "not saved: copy what you need, reload the page and save again."
                    ),
                )
            except services.NotEditable:
                messages.error(request, _("The application has been submitted and can no longer be changed."))
                return redirect("applications:application_detail", application_id=application.pk)
        if is_htmx(request):
            return render(
                request,
                "applications/_save_status.html",
                {"form": form, "saved": saved, "application": application, "now": timezone.now()},
            )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("applications:application_detail", application_id=application.pk)
        return render(
            request, "applications/application_detail.html", case_context(request, application, form=form)
        )
    form = None
    if application.is_draft and request.user.is_applicant_side and request.GET.get("check"):
        form = ApplicationForm(instance=application, initial={"version": application.version})
        mark_application_problems(form, application)
    return render_case(request, application, form=form)


@login_required
@post_action(_case_page)
@refused_after_submission
def add_line(request, application_id: int):
    application = get_own_application(request.user, application_id)
    kind = request.POST.get("kind", "")
    try:
        line = services.add_line(application=application, by=request.user, kind=kind)
    except services.LineKindNotAllowed:
        label = LineKindChoices(kind).label if kind in LineKindChoices.values else kind
        messages.error(
            request,
            _("%(organisation)s may not apply for %(kind)s in this round.")
            % {"organisation": application.organisation.display_name, "kind": label},
        )
        return redirect("applications:application_detail", application_id=application.pk)
    # "new": the line page offers to cancel, which removes the line again if nothing was typed into it
    return redirect(reverse("applications:line_edit", args=[application.pk, line.pk]) + "?new=1")


@login_required
@require_http_methods(["GET", "POST"])
@refused_after_submission
def line_edit(request, application_id: int, line_id: int):
    line = get_line_for(request.user, application_id, line_id)
    application = line.application
    if request.method == "POST" and application.is_draft:
        form = line_form(line, request.POST)
        saved = False
        if form.is_valid():
            data, budget = line_data(line, form)
            try:
                line = services.update_line(line=line, by=request.user, data=data, budget_items=budget)
                saved = True
            except ValidationError as error:  # amounts or counts out of bounds: shown next to the field
                form.add_error(None, error)
        if is_htmx(request):
            return render(
                request,
                "applications/_save_status.html",
                {"form": form, "saved": saved, "line": line, "now": timezone.now()},
            )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("applications:application_detail", application_id=application.pk)
    else:
        form = line_form(line)
        if application.is_draft and request.GET.get("check"):  # from the submit check: mark what it needs
            mark_line_problems(form, line)
    return render(
        request,
        "applications/line_edit.html",
        {"application": application, "line": line, "form": form, "can_write": application.is_draft},
    )


@login_required
@post_action(_line_page)
@refused_after_submission
def line_cancel(request, application_id: int, line_id: int):
    """Leave the page of a measure just added: it is removed if nothing was typed into it."""
    line = get_line_for(request.user, application_id, line_id)
    if line.application.is_draft:
        services.cancel_new_line(line=line, by=request.user)
    return redirect("applications:application_detail", application_id=application_id)


@login_required
@post_action(_line_page)
@refused_after_submission
def line_remove(request, application_id: int, line_id: int):
    line = get_line_for(request.user, application_id, line_id)
    services.remove_line(line=line, by=request.user)
    messages.success(request, _("The measure was removed."))
    return redirect("applications:application_detail", application_id=application_id)


@login_required
@post_action(_line_page)
@refused_after_submission
def line_move(request, application_id: int, line_id: int):
    line = get_line_for(request.user, application_id, line_id)
    services.move_line(line=line, by=request.user, up=request.POST.get("direction") == "up")
    return redirect(
        reverse("applications:application_detail", args=[line.application_id]) + f"#line-{line.pk}"
    )


@login_required
@post_action(_case_page)
@refused_after_submission
def attachment_add(request, application_id: int):
    application = get_own_application(request.user, application_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(
                application=application, by=request.user, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("The file was attached."))
            return redirect("applications:application_detail", application_id=application.pk)
        except UploadRefused as refused:
            form.add_error("file", upload_message(refused))
    return render_case(request, application, attachment_form=form, status=400)


@login_required
@require_GET
def attachment_download(request, application_id: int, attachment_id: int):
    return attachment_response(get_attachment_for(request.user, application_id, attachment_id))


@login_required
@post_action(_case_page)
@refused_after_submission
def attachment_remove(request, application_id: int, attachment_id: int):
    application = get_own_application(request.user, application_id)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    services.remove_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("applications:application_detail", application_id=application.pk)


@login_required
@post_action(_case_page)
@refused_after_submission
def share(request, application_id: int):
    application = get_own_application(request.user, application_id)
    shared = request.POST.get("shared") == "yes"
    services.share_with_office(application=application, by=request.user, shared=shared)
    if shared:
        messages.success(request, _("The office can now read the draft. Nothing is submitted."))
    else:
        messages.success(request, _("The draft is no longer shared with the office."))
    return redirect("applications:application_detail", application_id=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, application_id: int):
    application = get_own_application(request.user, application_id)
    if not application.is_draft:
        return redirect("applications:application_receipt", application_id=application.pk)
    problems = []
    if request.method == "POST":
        if not request.user.can_submit:
            raise PermissionDenied
        try:
            application, _submitted_now = services.submit(application=application, by=request.user)
            return redirect("applications:application_receipt", application_id=application.pk)
        except services.SubmissionRefused as refused:
            problems = refused.problems
    else:
        problems = services.submission_problems(application)
    language = get_language()
    lines = list(application.lines.prefetch_related("budget_items").order_by("rank", "pk"))
    for line in lines:
        line.budget = list(line.budget_items.all())
    return render(
        request,
        "applications/submit.html",
        {
            "application": application,
            "round": application.round,
            "lines": lines,
            "summary": summarise(lines),
            "problems": describe_all(problems, application, language),
            "can_submit": request.user.can_submit,
            "attachments": application.attachments.all(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def receipt(request, application_id: int):
    application = get_application_for(request.user, application_id)
    if application.is_draft:
        raise Http404
    return render(
        request,
        "applications/receipt.html",
        {
            "application": application,
            "snapshot": application.snapshot,
            "submitted_lines": snapshot_lines(application.snapshot or {}),
        },
    )


@login_required
@require_GET
def receipt_download(request, application_id: int):
    application = get_application_for(request.user, application_id)
    if application.is_draft:
        raise Http404
    response = HttpResponse(stored_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(application)}"'
    return response
