"""Applicant pages: start, draft, lines, attachments, submit, receipt. Thin: fetch, bind, call a service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tilskudd.applications import services
from tilskudd.applications.access import (
    get_application_for,
    get_attachment_for,
    get_line_for,
    get_own_application,
)
from tilskudd.applications.case import case_context, render_case
from tilskudd.applications.forms import ApplicationForm, AttachmentForm, line_data, line_form
from tilskudd.applications.messages import describe, upload_message
from tilskudd.applications.receipts import receipt_pdf
from tilskudd.applications.summary import summarise
from tilskudd.applications.uploads import UploadRefused
from tilskudd.rounds.access import get_published_round
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui.htmx import is_htmx


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
@require_POST
def start(request, round_id: int):
    round = get_published_round(round_id)
    if not request.user.is_applicant_side:
        raise PermissionDenied
    application = services.start_application(
        round=round, organisation=request.user.organisation, by=request.user
    )
    return redirect("applications:application_detail", application_id=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, application_id: int):
    application = get_application_for(request.user, application_id)
    if request.method == "POST":
        application = get_own_application(request.user, application_id)
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
    return render_case(request, application)


@login_required
@require_POST
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
            _("%(organisation)s may not apply for %(kind)s in this round (R2).")
            % {"organisation": application.organisation.name, "kind": label},
        )
        return redirect("applications:application_detail", application_id=application.pk)
    return redirect("applications:line_edit", application_id=application.pk, line_id=line.pk)


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
                services.update_line(line=line, by=request.user, data=data, budget_items=budget)
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
    return render(
        request,
        "applications/line_edit.html",
        {"application": application, "line": line, "form": form, "can_write": application.is_draft},
    )


@login_required
@require_POST
@refused_after_submission
def line_remove(request, application_id: int, line_id: int):
    line = get_line_for(request.user, application_id, line_id)
    services.remove_line(line=line, by=request.user)
    messages.success(request, _("The measure was removed."))
    return redirect("applications:application_detail", application_id=application_id)


@login_required
@require_POST
@refused_after_submission
def line_move(request, application_id: int, line_id: int):
    line = get_line_for(request.user, application_id, line_id)
    services.move_line(line=line, by=request.user, up=request.POST.get("direction") == "up")
    return redirect(f"/soknader/{application_id}/#line-{line.pk}")


@login_required
@require_POST
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
    attachment = get_attachment_for(request.user, application_id, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@refused_after_submission
def attachment_remove(request, application_id: int, attachment_id: int):
    application = get_own_application(request.user, application_id)
    attachment = get_object_or_404(application.attachments, pk=attachment_id)
    services.remove_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("applications:application_detail", application_id=application.pk)


@login_required
@require_POST
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
    lines = list(application.lines.order_by("rank", "pk"))
    return render(
        request,
        "applications/submit.html",
        {
            "application": application,
            "round": application.round,
            "lines": lines,
            "summary": summarise(lines),
            "problems": [describe(p, application, language) for p in problems],
            "can_submit": request.user.can_submit,
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
        request, "applications/receipt.html", {"application": application, "snapshot": application.snapshot}
    )


@login_required
@require_GET
def receipt_download(request, application_id: int):
    application = get_application_for(request.user, application_id)
    if application.is_draft:
        raise Http404
    pdf = receipt_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kvittering-{application.case_number.replace("/", "-")}.pdf"'
    )
    return response
