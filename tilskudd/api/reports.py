"""Reports (R11) and attachments: read the report's contents, fill it in, submit it, upload files.

As the web's report page: every fetch through ``reporting.access`` (another organisation's or
office's report is a 404), every write through the web's form and ``reporting.services`` (the
same rules, refusals and words). The organisation's writers save, its signer submits; the office
and the organisation's auditor read.
"""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from tilskudd.api import schemas
from tilskudd.api.errors import Refused, invalid
from tilskudd.api.serialise import as_obligation
from tilskudd.api.uploads import FILE_RESPONSE, accept_upload, as_attachment
from tilskudd.applications.uploads import attachment_response
from tilskudd.reporting import services
from tilskudd.reporting.access import get_obligation_for, get_own_obligation, get_report_attachment_for
from tilskudd.reporting.forms import KIND_FIELDS, MONEY, ReportForm, field_name, incomplete

router = Router(tags=["reports"])
ERRORS = schemas.ERRORS


def _language() -> str:
    return (get_language() or "nb")[:2]


def as_report_attachment(attachment) -> dict:
    return as_attachment(attachment) | {
        "kind": attachment.kind,
        "confirmed_by_auditor": attachment.confirmed_at is not None,
    }


def as_report(obligation) -> dict:
    language = _language()
    lines = list(obligation.lines.select_related("decision_line"))
    return as_obligation(obligation, timezone.now()) | {
        "version": obligation.version,
        "editable": obligation.is_editable,
        "required_attachment": services.required_attachment(obligation),
        "lines": [
            {
                "id": line.pk,
                "line_id": line.decision_line.line_id,
                "rank": line.rank,
                "kind": line.kind,
                "title": line.title,
                "granted": line.granted,
                "explanation": line.decision_line.explanation_in(language),
                **{name: getattr(line, name) for name in schemas.ReportLineIn.model_fields},
            }
            for line in lines
        ],
        "attachments": [
            as_report_attachment(a) for a in obligation.attachments.order_by("uploaded_at", "pk")
        ],
    }


@router.get(
    "/report-obligations/{obligation_id}/report",
    response={200: schemas.ReportOut, **ERRORS},
    summary="A report's contents: per line the figures, results and money",
)
def report(request, obligation_id: schemas.Id):
    """For the organisation (its writers, signer and auditor) and the office of the round."""
    return as_report(get_obligation_for(request.user, obligation_id))


def _not_editable() -> Refused:
    return Refused(409, "not_editable", _("The report has been submitted and can no longer be changed."))


def _api_field(form_field: str, lines) -> str:
    """``l12-used`` -> ``lines.12.used``: where the sent value was."""
    for line in lines:
        prefix = f"l{line.pk}-"
        if form_field.startswith(prefix):
            return f"lines.{line.pk}.{form_field[len(prefix) :]}"
    return form_field


def _refusal(form) -> Refused:
    refused = invalid(form)
    refused.extra["fields"] = {_api_field(name, form.lines): m for name, m in refused.extra["fields"].items()}
    return refused


@router.patch(
    "/report-obligations/{obligation_id}/report",
    response={200: schemas.ReportOut, **ERRORS},
    summary="Fill in the draft report (the organisation's writers)",
)
def report_update(request, obligation_id: schemas.Id, payload: schemas.ReportPatch):
    """Only the fields sent change; through the web's report form and ``update_report`` (R11).

    Used and unused together must be what was granted; refusals name the field as
    ``lines.<report line id>.<field>``. Send the ``version`` read, or get 409 ``stale_version``.
    """
    obligation = get_own_obligation(request.user, obligation_id)
    if not obligation.is_editable:
        raise _not_editable()
    lines = list(obligation.lines.select_related("decision_line"))
    by_id = {str(line.pk): line for line in lines}
    unknown = [ref for ref in payload.lines if ref not in by_id]
    if unknown:
        message = _("No such line in this report.")
        raise Refused(
            422, "invalid", _("Some fields are not valid."), fields={f"lines.{r}": [message] for r in unknown}
        )
    current = ReportForm(lines=lines)
    data = QueryDict(mutable=True)
    for line in lines:
        sent = payload.lines[str(line.pk)].dict(exclude_unset=True) if str(line.pk) in payload.lines else {}
        for name in (*KIND_FIELDS[line.kind], *MONEY):
            key = field_name(line, name)
            value = sent[name] if name in sent else current.initial.get(key)
            data[key] = "" if value is None else str(value)
    if payload.version is not None:
        data["version"] = str(payload.version)
    form = ReportForm(data, lines=lines)
    if not form.is_valid():
        raise _refusal(form)
    try:
        services.update_report(
            obligation=obligation,
            by=request.user,
            values=form.line_values(),
            version=form.cleaned_data.get("version"),
        )
    except services.StaleEdit:
        message = _(
            "Someone else saved this report after you opened it. Your changes are shown below but not "
            "saved: copy what you need, reload the page and save again."
        )
        raise Refused(409, "stale_version", message) from None
    except services.NotEditable:
        raise _not_editable() from None
    except services.ReportInvalid as refused:
        form.add_problems(refused.problems, get_language() or "nb")
        raise _refusal(form) from None
    return as_report(get_obligation_for(request.user, obligation_id))


@router.post(
    "/report-obligations/{obligation_id}/submit",
    response={200: schemas.ReportOut, **ERRORS},
    summary="Submit the report (signer only)",
)
def report_submit(request, obligation_id: schemas.Id):
    """The signer submits (R6's rule holds for reports too); 422 ``report_incomplete`` with what is
    missing (R11: every required figure, used + unused = granted, the auditor's confirmation or the
    project account). A second call is harmless."""
    obligation = get_own_obligation(request.user, obligation_id)
    try:
        services.submit_report(obligation=obligation, by=request.user)
    except services.ReportIncomplete as gaps:
        problems = [
            {
                "code": gap.code,
                "rule": "R11",
                "message": gap.text,
                "line_id": gap.line.pk if gap.line else None,
                "fields": [gap.field] if gap.field else [],
            }
            for gap in incomplete(obligation, gaps, get_language() or "nb")
        ]
        raise Refused(
            422, "report_incomplete", _("The report cannot be submitted yet."), problems=problems
        ) from None
    except services.NotEditable:
        raise Refused(409, "not_editable", _("The reporting requirement has been written off.")) from None
    return as_report(get_obligation_for(request.user, obligation_id))


@router.get(
    "/report-obligations/{obligation_id}/attachments",
    response={200: list[schemas.ReportAttachmentOut], **ERRORS},
    summary="The report's files (metadata)",
)
def report_attachments(request, obligation_id: schemas.Id):
    obligation = get_obligation_for(request.user, obligation_id)
    return [as_report_attachment(a) for a in obligation.attachments.order_by("uploaded_at", "pk")]


@router.post(
    "/report-obligations/{obligation_id}/attachments",
    response={201: schemas.ReportAttachmentOut, **ERRORS},
    summary="Attach a file to the draft report (multipart, field `file`)",
)
def report_attach(request, obligation_id: schemas.Id, file: File[UploadedFile]):
    """The web's upload: PDF, .docx, .xlsx, .odt or .ods, at most 20 MB, content as the name says;
    refused with 409 once the report is submitted."""
    obligation = get_own_obligation(request.user, obligation_id)
    try:
        attachment = accept_upload(
            file,
            lambda upload: services.add_report_attachment(
                obligation=obligation, by=request.user, upload=upload
            ),
        )
    except services.NotEditable:
        raise _not_editable() from None
    return Status(201, as_report_attachment(attachment))


@router.get(
    "/report-obligations/{obligation_id}/attachments/{report_attachment_id}",
    response=ERRORS,  # 200 is the file itself, described in openapi_extra
    summary="Download one of the report's files",
    openapi_extra=FILE_RESPONSE,
)
def report_attachment_download(request, obligation_id: schemas.Id, report_attachment_id: schemas.Id):
    return attachment_response(get_report_attachment_for(request.user, obligation_id, report_attachment_id))
