"""The organisation's and the office's endpoints: applications, lines, decisions, letters, reports.

Every fetch goes through the app's permission-checked fetch (``applications.access`` and the
others), so another organisation's or office's object is a 404 with nothing of it in the body.
Every write goes through the service function the web uses, after the web's own form has
checked the fields, so the rules, the refusals and the messages are the web's.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Status, UploadedFile

from tilskudd.api import schemas
from tilskudd.api.errors import Refused, field_errors, invalid, problems_as_data
from tilskudd.api.serialise import (
    as_application,
    as_decision,
    as_line,
    as_obligation,
    as_summary,
    organisation_ref,
)
from tilskudd.api.uploads import FILE_RESPONSE, accept_upload, as_attachment
from tilskudd.applications import services
from tilskudd.applications.access import (
    applications_visible_to,
    get_application_for,
    get_attachment_for,
    get_line_for,
    get_own_application,
)
from tilskudd.applications.forms import ApplicationForm, line_data, line_form
from tilskudd.applications.receipts import receipt_filename, stored_receipt
from tilskudd.applications.uploads import attachment_response
from tilskudd.decisions import issuing
from tilskudd.decisions.models import Decision, Letter
from tilskudd.reporting.access import get_obligation_for, obligations_visible_to
from tilskudd.rounds.access import get_published_round

router = Router(tags=["cases"])
ERRORS = schemas.ERRORS


@router.get("/me", response={200: schemas.Me, **ERRORS}, summary="Who the token or session acts as")
def me(request):
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "role": user.role,
        "organisation": organisation_ref(user.organisation) if user.organisation_id else None,
        "office": {"id": user.office_id, "name": user.office.name} if user.office_id else None,
        "token_scope": token.scope if token is not None else None,
    }


@router.get(
    "/applications", response={200: list[schemas.ApplicationSummary], **ERRORS}, summary="Applications"
)
def application_list(request, round_id: schemas.Id | None = None):
    """The organisation's own applications; for office staff, its rounds' submitted (or shared) ones."""
    qs = applications_visible_to(request.user).select_related("round__office", "organisation")
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    qs = qs.order_by("pk").prefetch_related("lines")
    return [as_summary(a, sum(line.amount for line in a.lines.all())) for a in qs]


@router.post(
    "/applications",
    response={200: schemas.ApplicationOut, 201: schemas.ApplicationOut, **ERRORS},
    summary="Start (or find) the organisation's application in a round",
)
def application_start(request, payload: schemas.ApplicationStart):
    """The organisation's one application in the round (R6): 201 when made now, 200 when it existed."""
    user = request.user
    round = get_published_round(payload.round_id)
    if not user.is_applicant_side:
        raise PermissionDenied
    existed = round.applications.filter(organisation_id=user.organisation_id).exists()
    application = services.start_application(round=round, organisation=user.organisation, by=user)
    return Status(200 if existed else 201, as_application(get_application_for(user, application.pk)))


@router.get(
    "/applications/{application_id}",
    response={200: schemas.ApplicationOut, **ERRORS},
    summary="One application with its lines",
)
def application_detail(request, application_id: schemas.Id):
    return as_application(get_application_for(request.user, application_id))


@router.patch(
    "/applications/{application_id}",
    response={200: schemas.ApplicationOut, **ERRORS},
    summary="Change a draft's contact and anchoring",
)
def application_update(request, application_id: schemas.Id, payload: schemas.ApplicationPatch):
    application = get_own_application(request.user, application_id)
    sent = payload.dict(exclude_unset=True)
    version = sent.pop("version", None)
    current = {name: getattr(application, name) for name in services.APPLICATION_FIELDS}
    form = ApplicationForm(
        data={**current, **{k: ("" if v is None else v) for k, v in sent.items()}}, instance=application
    )
    if not form.is_valid():
        raise invalid(form)
    data = {name: form.cleaned_data[name] for name in sent if name in form.cleaned_data}
    services.update_application(application=application, by=request.user, data=data, version=version)
    return as_application(get_application_for(request.user, application_id))


@router.post(
    "/applications/{application_id}/lines",
    response={201: schemas.LineOut, **ERRORS},
    summary="Add a measure (line)",
)
def line_add(request, application_id: schemas.Id, payload: schemas.LineStart):
    application = get_own_application(request.user, application_id)
    request.api_organisation_name = application.organisation.display_name
    line = services.add_line(application=application, by=request.user, kind=payload.kind)
    return Status(201, as_line(line))


def _form_data(line, sent: dict) -> dict:
    """The line's current values with the sent ones on top, as the web's form would post them."""
    form = line_form(line)
    data = {}
    for name in form.fields:
        value = form.initial.get(name, form.fields[name].initial)
        data[name] = value
    for name, value in sent.items():
        if name == "budget_items":
            data["budget"] = "\n".join(f"{item['description']}; {item['amount']}" for item in value or [])
        elif name == "criteria_answers":
            for code, answer in (value or {}).items():
                if f"criterion_{code}" in data:
                    data[f"criterion_{code}"] = answer
        elif name in data:
            data[name] = value
    cleaned = {}
    for name, value in data.items():
        if value is None:
            cleaned[name] = ""
        elif isinstance(value, bool):
            cleaned[name] = "on" if value else ""
        else:
            cleaned[name] = value
    return cleaned


@router.patch(
    "/applications/{application_id}/lines/{line_id}",
    response={200: schemas.LineOut, **ERRORS},
    summary="Change a measure (line)",
)
def line_update(request, application_id: schemas.Id, line_id: schemas.Id, payload: schemas.LinePatch):
    line = get_line_for(request.user, application_id, line_id)
    if not line.application.is_draft:
        raise services.NotEditable
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in _form_data(line, payload.dict(exclude_unset=True)).items():
        if isinstance(value, list | tuple):
            data.setlist(name, [str(v) for v in value])
        elif value != "" or name not in ("mental_health",):
            data[name] = str(value)
    form = line_form(line, data)
    if not form.is_valid():
        raise invalid(form)
    values, budget = line_data(line, form)
    line = services.update_line(line=line, by=request.user, data=values, budget_items=budget)
    return as_line(line)


@router.delete(
    "/applications/{application_id}/lines/{line_id}",
    response={204: None, **ERRORS},
    summary="Remove a measure (line)",
)
def line_remove(request, application_id: schemas.Id, line_id: schemas.Id):
    line = get_line_for(request.user, application_id, line_id)
    services.remove_line(line=line, by=request.user)
    return Status(204, None)


@router.get(
    "/applications/{application_id}/problems",
    response={200: schemas.ProblemList, **ERRORS},
    summary="What stops submission now",
)
def application_problems(request, application_id: schemas.Id):
    """The same check submission makes (R2, R4, R5, R6 and the required fields), without submitting."""
    application = get_own_application(request.user, application_id)
    if not application.is_draft:
        return {"problems": []}
    return {"problems": problems_as_data(services.submission_problems(application), application)}


@router.post(
    "/applications/{application_id}/submit",
    response={200: schemas.ApplicationOut, **ERRORS},
    summary="Submit (signer only)",
)
def application_submit(request, application_id: schemas.Id):
    """Only the signer submits (R6). Refused with 422 and every problem; a second call is harmless."""
    application = get_own_application(request.user, application_id)
    try:
        services.submit(application=application, by=request.user)
    except services.SubmissionRefused as refused:
        from django.utils.translation import gettext as _

        raise Refused(
            422,
            "submission_refused",
            _("The application cannot be submitted yet."),
            problems=problems_as_data(refused.problems, application),
        ) from None
    return as_application(get_application_for(request.user, application_id))


@router.get(
    "/applications/{application_id}/attachments",
    response={200: list[schemas.AttachmentOut], **ERRORS},
    summary="The application's attachments (metadata)",
)
def attachments(request, application_id: schemas.Id):
    application = get_application_for(request.user, application_id)
    return [as_attachment(a) for a in application.attachments.order_by("pk")]


@router.post(
    "/applications/{application_id}/attachments",
    response={201: schemas.AttachmentOut, **ERRORS},
    summary="Attach a file to a draft (multipart, field `file`)",
)
def attachment_add(request, application_id: schemas.Id, file: File[UploadedFile]):
    """The web's upload: PDF, .docx, .xlsx, .odt or .ods, at most 20 MB, the content what the name
    says (no macros, no zip bombs); 422 ``upload_refused`` with the web's words, and 409
    ``not_editable`` once the application is submitted."""
    application = get_own_application(request.user, application_id)
    attachment = accept_upload(
        file, lambda upload: services.add_attachment(application=application, by=request.user, upload=upload)
    )
    return Status(201, as_attachment(attachment))


@router.get(
    "/applications/{application_id}/attachments/{attachment_id}",
    response=ERRORS,  # 200 is the file itself, described in openapi_extra
    summary="Download one of the application's attachments",
    openapi_extra=FILE_RESPONSE,
)
def attachment_download(request, application_id: schemas.Id, attachment_id: schemas.Id):
    """To whoever reads the application on the web: its organisation, and its round's office once submitted."""
    return attachment_response(get_attachment_for(request.user, application_id, attachment_id))


PDF_RESPONSE = {
    "responses": {
        "200": {
            "description": "The PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/applications/{application_id}/receipt.pdf",
    response=ERRORS,  # 200 is the PDF itself, described in openapi_extra
    summary="The receipt of a submitted application (PDF)",
    openapi_extra=PDF_RESPONSE,
)
def receipt(request, application_id: schemas.Id):
    """The receipt the signer got by e-mail; 404 while the application is a draft."""
    application = get_application_for(request.user, application_id)
    if application.is_draft:
        raise Http404
    response = HttpResponse(stored_receipt(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(application)}"'
    return response


def _decision_for(user, application_id: int) -> Decision:
    application = get_application_for(user, application_id)
    decisions = Decision.objects.filter(application=application)
    if user.is_applicant_side:
        decisions = decisions.filter(
            approved_at__isnull=False
        )  # the applicant sees it once approved, as on the web
    return get_object_or_404(decisions.select_related("application"), application=application)


@router.get(
    "/applications/{application_id}/decision",
    response={200: schemas.DecisionOut, **ERRORS},
    summary="The decision on an application",
)
def decision(request, application_id: schemas.Id):
    return as_decision(_decision_for(request.user, application_id))


@router.get(
    "/applications/{application_id}/letter.pdf",
    response=ERRORS,  # 200 is the PDF itself, described in openapi_extra
    summary="The award or refusal letter (PDF/A)",
    openapi_extra=PDF_RESPONSE,
)
def letter(request, application_id: schemas.Id):
    application = get_application_for(request.user, application_id)
    decision = get_object_or_404(Decision, application=application, approved_at__isnull=False)
    stored = get_object_or_404(Letter, decision=decision)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=issuing.letter_filename(decision),
        content_type="application/pdf",
    )


@router.get(
    "/report-obligations",
    response={200: list[schemas.ObligationOut], **ERRORS},
    summary="Report obligations",
    tags=["reports"],
)
def obligation_list(request, round_id: schemas.Id | None = None):
    qs = obligations_visible_to(request.user).select_related("organisation", "round__office").order_by("pk")
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    now = timezone.now()
    return [as_obligation(o, now) for o in qs]


@router.get(
    "/report-obligations/{obligation_id}",
    response={200: schemas.ObligationOut, **ERRORS},
    summary="One report obligation",
    tags=["reports"],
)
def obligation_detail(request, obligation_id: schemas.Id):
    return as_obligation(get_obligation_for(request.user, obligation_id), timezone.now())


__all__ = ["router", "field_errors"]
