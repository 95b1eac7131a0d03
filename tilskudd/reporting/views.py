"""The report page (recipient and office), its actions, the workbook, and the office's list per round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.forms import AttachmentForm
from tilskudd.applications.messages import upload_message
from tilskudd.applications.uploads import XLSX, UploadRefused, attachment_response
from tilskudd.caselog.selectors import log_rows
from tilskudd.domain.text import person_name
from tilskudd.reporting import services
from tilskudd.reporting.access import (
    acts_as_auditor,
    check_own,
    get_obligation_for,
    get_obligation_to_attach,
    get_obligation_to_audit,
    get_obligation_to_handle,
    get_own_obligation,
    get_report_attachment_for,
)
from tilskudd.reporting.exports import round_reports_xlsx
from tilskudd.reporting.forms import (
    LABELS,
    AuditorStatementForm,
    PaperReportForm,
    ReasonForm,
    ReportFilterForm,
    ReportForm,
    WorkbookForm,
    field_name,
    incomplete,
)
from tilskudd.reporting.messages import problem_text
from tilskudd.reporting.selectors import round_reports
from tilskudd.reporting.templatetags.reporting import (
    Words,
    education_label,
    line_kind_label,
    reported_values,
    theme_labels,
)
from tilskudd.reporting.workbook import WorkbookRefused, build_workbook
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.ui.access import post_action, role_required
from tilskudd.ui.htmx import is_htmx
from tilskudd.ui.templatetags.formats import kroner


def _report_page(request, obligation_id: int, **_kwargs) -> str:
    """Where a reload of a report action goes: the report, fetched with the same permission check."""
    return reverse("reporting:report_obligation", args=[get_obligation_for(request.user, obligation_id).pk])


def _incomplete_messages(obligation, gaps: services.ReportIncomplete, language: str) -> list[dict]:
    return [
        {
            "text": f"{gap.line.title}: {_field_label(gap.field)}: {gap.text}" if gap.line else gap.text,
            "href": f"#id_{field_name(gap.line, gap.field)}" if gap.line else "#attachments",
        }
        for gap in incomplete(obligation, gaps, language)
    ]


def _field_label(name: str) -> str:
    return str(LABELS.get(name, name))


def _show_line(line, language: str, words: Words, *, values: bool) -> None:
    """What reporting/_line.html shows of a line, as text made here once (a report has a dozen lines,
    and per-line template filters were most of the page): the letter's figures, and, read-only,
    the reported values."""
    decision_line = line.decision_line
    line.shown_explanation = decision_line.explanation_in(language)  # the reader's language
    line.shown_grounds = bool(line.shown_explanation) and decision_line.granted < decision_line.applied
    line.kind_label = capfirst(line_kind_label(line, words))
    line.education_text = education_label(line, words) if line.education_type else ""
    line.themes_text = ", ".join(theme_labels(line, words)) if line.themes else ""
    line.applied_text = kroner(decision_line.applied)
    line.granted_text = kroner(line.granted)
    if values:
        line.shown_values = [
            (label, linebreaksbr(value or "–", autoescape=True))
            for label, value in reported_values(line, words)
        ]


def _attachment_rows(obligation) -> list[dict]:
    """The report's files as the page lists them: read as values, who uploaded and confirmed each named
    from the columns (most reports have none or one, and building the read with two people joined cost
    more than the page's lines)."""
    people = ("first_name", "last_name", "username")
    rows = obligation.attachments.values(
        "pk",
        "original_name",
        "size",
        "uploaded_by_id",
        "confirmed_at",
        *(f"uploaded_by__{f}" for f in people),
        *(f"confirmed_by__{f}" for f in people),
    )
    return [
        row
        | {
            "uploaded_by": _person(row, "uploaded_by"),
            "confirmed_by": _person(row, "confirmed_by"),
        }
        for row in rows
    ]


def _person(row: dict, field: str) -> str | None:
    username = row[f"{field}__username"]
    return (
        None
        if username is None
        else person_name(row[f"{field}__first_name"], row[f"{field}__last_name"], username)
    )


def report_context(request, obligation, **state) -> dict:
    user = request.user
    lines = list(obligation.lines.select_related("decision_line"))
    own = user.is_applicant_side and user.organisation_id == obligation.organisation_id
    handles = user.works_at(obligation.round.office_id)
    audits = acts_as_auditor(user, obligation.organisation_id)
    attachments = _attachment_rows(obligation)
    can_write = own and obligation.is_editable
    form = state.get("form") or (
        ReportForm(lines=lines, initial={"version": obligation.version}) if can_write else None
    )
    language = (get_language() or "nb")[:2]
    words = Words()
    for line in [*lines, *(form.lines if form else [])]:  # a refused save's form holds its own lines
        _show_line(line, language, words, values=form is None)
    return {
        "obligation": obligation,
        "state": obligation.state(),
        "state_label": obligation.state_label(),
        "lines": lines,
        "form": form,
        "can_write": can_write,
        "can_submit": can_write and user.signs_for(obligation.organisation_id),
        "handles": handles,
        # the organisation's auditor: reads the report, uploads and confirms the statement while it is a draft
        "audits": audits,
        "can_audit": audits and obligation.is_editable,
        # Each form only for whoever is shown it.
        "statement_form": state.get("statement_form") or (AuditorStatementForm() if audits else None),
        "problems": state.get("problems", []),
        "required_attachment": services.required_attachment(obligation),
        "attachments": attachments,
        "unconfirmed": [a for a in attachments if a["confirmed_at"] is None],
        "attachment_form": state.get("attachment_form") or (AttachmentForm() if can_write else None),
        "workbook_form": state.get("workbook_form") or (WorkbookForm() if can_write else None),
        "workbook_errors": state.get("workbook_errors", []),
        "return_form": state.get("return_form") or (ReasonForm(prefix="return") if handles else None),
        "write_off_form": state.get("write_off_form")
        or (ReasonForm(prefix="write_off") if handles else None),
        "paper_form": state.get("paper_form")
        or (PaperReportForm(initial={"received_on": timezone.localdate()}) if handles else None),
        # the organisation's people (its auditor too) read the entries meant for them, not the office's own
        "entries": log_rows(obligation, applicant_view=own or audits),
    }


def render_report(request, obligation, *, status: int = 200, **state):
    return render(
        request, "reporting/obligation.html", report_context(request, obligation, **state), status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def obligation(request, obligation_id: int):
    obligation = get_obligation_for(request.user, obligation_id)
    if request.method == "GET":
        return render_report(request, obligation)
    check_own(request.user, obligation)
    lines = list(obligation.lines.select_related("decision_line"))  # _line.html shows the letter's figures
    form = ReportForm(request.POST, lines=lines)
    saved = False
    language = get_language() or "nb"
    if form.is_valid():
        try:
            obligation = services.update_report(
                obligation=obligation,
                by=request.user,
                values=form.line_values(),
                version=form.cleaned_data.get("version"),
            )
            saved = True
        except services.StaleEdit:
            form.add_error(
                None,
                _(
                    "Someone else saved this report after you opened it. Your changes are shown below but not "
                    "saved: copy what you need, reload the page and save again."
                ),
            )
        except services.ReportInvalid as invalid:
            form.add_problems(invalid.problems, language)
        except services.NotEditable:
            message = _("The report has been submitted and can no longer be changed.")
            if is_htmx(request):
                return HttpResponse(message, status=409)
            messages.error(request, message)
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
    if is_htmx(request):
        return render(
            request,
            "reporting/_save_status.html",
            {"form": form, "saved": saved, "obligation": obligation, "now": timezone.now()},
        )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("reporting:report_obligation", obligation_id=obligation.pk)
    return render_report(request, obligation, form=form, status=200)


@login_required
@post_action(_report_page)
def submit(request, obligation_id: int):
    obligation = get_own_obligation(request.user, obligation_id)
    try:
        obligation, submitted = services.submit_report(obligation=obligation, by=request.user)
    except services.ReportIncomplete as gaps:
        problems = _incomplete_messages(obligation, gaps, get_language() or "nb")
        return render_report(request, obligation, problems=problems, status=422)
    except services.NotEditable:
        messages.error(request, _("The reporting requirement has been written off."))
        return redirect("reporting:report_obligation", obligation_id=obligation.pk)
    if submitted:
        messages.success(request, _("The report is submitted. Thank you."))
    return redirect("reporting:report_obligation", obligation_id=obligation.pk)


@login_required
@post_action(_report_page)
def attach(request, obligation_id: int):
    obligation = get_own_obligation(request.user, obligation_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_report_attachment(
                obligation=obligation, by=request.user, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("The file is attached."))
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except UploadRefused as refused:
            form.add_error("file", upload_message(refused))
        except services.NotEditable:
            form.add_error("file", _("The report has been submitted and can no longer be changed."))
    return render_report(request, obligation, attachment_form=form, status=422)


@login_required
@require_GET
def attachment_download(request, obligation_id: int, report_attachment_id: int):
    return attachment_response(get_report_attachment_for(request.user, obligation_id, report_attachment_id))


@login_required
@post_action(_report_page)
def attachment_remove(request, obligation_id: int, report_attachment_id: int):
    obligation = get_obligation_to_attach(request.user, obligation_id)
    attachment = get_object_or_404(obligation.attachments, pk=report_attachment_id)
    try:
        services.remove_report_attachment(attachment=attachment, by=request.user)
        messages.success(request, _("The file was removed."))
    except services.NotEditable:
        messages.error(request, _("The report has been submitted and can no longer be changed."))
    return redirect("reporting:report_obligation", obligation_id=obligation_id)


@login_required
@post_action(_report_page)
def auditor_statement(request, obligation_id: int):
    """The organisation's auditor uploads their statement to the draft report (R11)."""
    obligation = get_obligation_to_audit(request.user, obligation_id)
    form = AuditorStatementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_auditor_statement(
                obligation=obligation, by=request.user, upload=form.cleaned_data["file"]
            )
            messages.success(request, _("Your statement is uploaded. Confirm it below when it is final."))
            return redirect(reverse("reporting:report_obligation", args=[obligation.pk]) + "#attachments")
        except UploadRefused as refused:
            form.add_error("file", upload_message(refused))
        except services.NotEditable:
            form.add_error("file", _("The report has been submitted and can no longer be changed."))
    return render_report(request, obligation, statement_form=form, status=422)


@login_required
@post_action(_report_page)
def auditor_confirm(request, obligation_id: int, report_attachment_id: int):
    """The auditor confirms that a file of the draft report is their statement on it."""
    obligation = get_obligation_to_audit(request.user, obligation_id)
    attachment = get_object_or_404(obligation.attachments, pk=report_attachment_id)
    try:
        services.confirm_auditor_statement(attachment=attachment, by=request.user)
        messages.success(
            request, _("You have confirmed %(name)s as your statement.") % {"name": attachment.original_name}
        )
    except services.NotEditable:
        messages.error(request, _("The report has been submitted and can no longer be changed."))
    except services.WrongState:
        messages.error(request, _("The file has been removed from the report."))
    return redirect(reverse("reporting:report_obligation", args=[obligation.pk]) + "#attachments")


@login_required
@require_GET
def workbook_download(request, obligation_id: int):
    """ "Last ned rapportskjema": the prefilled workbook (the organisation's, and the office's to look at)."""
    obligation = get_obligation_for(request.user, obligation_id)
    response = HttpResponse(build_workbook(obligation), content_type=XLSX)
    filename = f"rapport-{obligation.round.year}-{obligation.organisation.name}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@post_action(_report_page)
def workbook_upload(request, obligation_id: int):
    """ "Last opp utfylt rapport": into the same draft the web form edits; every problem at once, nothing stored."""
    obligation = get_own_obligation(request.user, obligation_id)
    form = WorkbookForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.import_workbook(
                obligation=obligation, by=request.user, upload=form.cleaned_data["workbook"]
            )
            messages.success(request, _("The workbook is read into the report. Check it, then submit it."))
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except WorkbookRefused as refused:
            return render_report(
                request, obligation, workbook_form=form, workbook_errors=refused.errors, status=422
            )
        except services.ReportInvalid as invalid:  # the same rules again under the lock
            errors = [{"text": problem_text(p)} for found in invalid.problems.values() for p in found]
            return render_report(request, obligation, workbook_form=form, workbook_errors=errors, status=422)
        except services.NotEditable:
            form.add_error("workbook", _("The report has been submitted and can no longer be changed."))
    return render_report(request, obligation, workbook_form=form, status=422)


# --- The office -------------------------------------------------------------------------------------


@role_required(*OFFICE_ROLES)
@post_action(_report_page)
def approve(request, obligation_id: int):
    obligation = get_obligation_to_handle(request.user, obligation_id)
    try:
        services.approve_report(obligation=obligation, by=request.user)
        messages.success(request, _("The report is approved."))
    except services.WrongState:
        messages.error(request, _("Only a submitted report can be approved."))
    return redirect("reporting:report_obligation", obligation_id=obligation.pk)


def _office_reason_action(request, obligation, prefix: str, act, done: str, wrong: str):
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            act(obligation=obligation, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, done)
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except services.WrongState:
            messages.error(request, wrong)
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except ValidationError as error:
            form.add_error("reason", error.message_dict.get("reason", error.messages))
    return render_report(request, obligation, status=422, **{f"{prefix}_form": form})


@role_required(*OFFICE_ROLES)
@post_action(_report_page)
def return_for_correction(request, obligation_id: int):
    obligation = get_obligation_to_handle(request.user, obligation_id)
    return _office_reason_action(
        request,
        obligation,
        "return",
        services.return_report,
        _("The report is returned; the organisation is told by e-mail."),
        _("Only a submitted report that is not approved can be returned."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_report_page)
def write_off(request, obligation_id: int):
    obligation = get_obligation_to_handle(request.user, obligation_id)
    return _office_reason_action(
        request,
        obligation,
        "write_off",
        services.write_off,
        _("The reporting requirement is written off."),
        _("An approved report cannot be written off."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_report_page)
def register_paper(request, obligation_id: int):
    obligation = get_obligation_to_handle(request.user, obligation_id)
    form = PaperReportForm(request.POST)
    if form.is_valid():
        try:
            services.register_paper_report(
                obligation=obligation,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The report is registered as received."))
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except services.WrongState:
            messages.error(request, _("The report is already in, or the requirement is written off."))
            return redirect("reporting:report_obligation", obligation_id=obligation.pk)
        except ValidationError as error:
            form.add_error("note", error.message_dict.get("reason", error.messages))
    return render_report(request, obligation, paper_form=form, status=422)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_reports_view(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    filters = ReportFilterForm(request.GET or None)
    state = q = ""
    if filters.is_valid():
        state, q = filters.cleaned_data.get("state") or "", filters.cleaned_data.get("q") or ""
    rows = round_reports(round, state=state, q=q)
    return render(
        request,
        "reporting/round_reports.html",
        {"round": round, "rows": rows, "filters": filters, "total": len(rows)},
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_reports_export(request, round_id: int):
    """Every report's figures for the round, one row per report line."""
    round = get_round_to_manage(request.user, round_id)
    response = HttpResponse(round_reports_xlsx(round), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="rapporter-{round.office.short_name}-{round.year}.xlsx"'
    )
    return response
