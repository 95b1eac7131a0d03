"""The office's own endpoints (case officer, approver): its rounds, published or not, and payments.

Applications, decisions and report obligations of its rounds are read through the shared
endpoints (``cases``), whose permission-checked fetches show the office its own rounds' cases.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from tilskudd.api import schemas
from tilskudd.api.errors import Refused, invalid
from tilskudd.api.serialise import as_round, local, organisation_ref
from tilskudd.applications.models import Line, Status
from tilskudd.assessment import services as assessment_services
from tilskudd.assessment.forms import AssessmentForm
from tilskudd.assessment.models import Assessment
from tilskudd.decisions.models import Payment
from tilskudd.rounds.access import get_round_to_manage, rounds_managed_by

router = Router(tags=["office"])
ERRORS = schemas.ERRORS


@router.get("/office/rounds", response={200: list[schemas.RoundOut], **ERRORS}, summary="The office's rounds")
def office_rounds(request):
    """The rounds of the person's office, drafts included (empty for everyone else)."""
    now = timezone.now()
    return [as_round(r, now) for r in rounds_managed_by(request.user).order_by("-year", "pk")]


@router.get(
    "/office/rounds/{round_id}/payments",
    response={200: list[schemas.PaymentOut], **ERRORS},
    summary="Payments recorded in one of the office's rounds",
)
def payments(request, round_id: schemas.Id):
    round = get_round_to_manage(request.user, round_id)
    qs = (
        Payment.objects.filter(decision__application__round=round)
        .select_related("decision__application__organisation")
        .order_by("paid_on", "pk")
    )
    return [
        {
            "id": p.pk,
            "decision_id": p.decision_id,
            "application_id": p.decision.application_id,
            "organisation": organisation_ref(p.decision.application.organisation),
            "paid_on": p.paid_on,
            "amount": p.amount,
            "recorded_at": local(p.recorded_at),
        }
        for p in qs
    ]


def _line_to_assess(user, round_id: int, line_id: int):
    round = get_round_to_manage(user, round_id)
    line = get_object_or_404(
        Line.objects.select_related("application__organisation", "application__round"),
        pk=line_id,
        application__round=round,
        application__status=Status.SUBMITTED,
    )
    return round, line


def _assessment_data(line) -> dict:
    assessment = Assessment.objects.filter(line=line).first()
    if assessment is None:
        return {
            "line_id": line.pk,
            "version": 0,
            "eligible": True,
            "ineligible_reason": "",
            "recommended": None,
            "comment": "",
            "scores": {},
            "assessed_at": None,
        }
    return {
        "line_id": line.pk,
        "version": assessment.version,
        "eligible": assessment.eligible,
        "ineligible_reason": assessment.ineligible_reason,
        "recommended": assessment.recommended,
        "comment": assessment.comment,
        "scores": {str(k): int(v) for k, v in (assessment.scores or {}).items()},
        "assessed_at": local(assessment.assessed_at),
    }


@router.get(
    "/office/rounds/{round_id}/lines/{line_id}/assessment",
    response={200: schemas.AssessmentOut, **ERRORS},
    summary="A submitted line's assessment",
)
def assessment(request, round_id: schemas.Id, line_id: schemas.Id):
    _round, line = _line_to_assess(request.user, round_id, line_id)
    return _assessment_data(line)


@router.put(
    "/office/rounds/{round_id}/lines/{line_id}/assessment",
    response={200: schemas.AssessmentOut, **ERRORS},
    summary="Record the assessment of a submitted line (case officer, approver)",
)
def assess(request, round_id: schemas.Id, line_id: schemas.Id, payload: schemas.AssessmentIn):
    """Through the web's form and ``assessment.services.assess_line``: the same rules and messages.

    Send the ``version`` you read; if a colleague saved since, 409 ``stale_version``.
    """
    round, line = _line_to_assess(request.user, round_id, line_id)
    data = {
        "version": "" if payload.version is None else str(payload.version),
        "eligible": "yes" if payload.eligible else "no",
        "ineligible_reason": payload.ineligible_reason,
        "recommended": "" if payload.recommended is None else str(payload.recommended),
        "comment": payload.comment,
        **{f"score_{code}": str(score) for code, score in payload.scores.items()},
    }
    form = AssessmentForm(data, line=line, scale_max=round.score_scale_max)
    if not form.is_valid():
        raise invalid(form)
    values = {
        k: form.cleaned_data.get(k) for k in ("eligible", "ineligible_reason", "recommended", "comment")
    }
    values["scores"] = form.scores()
    try:
        assessment_services.assess_line(
            line=line, by=request.user, data=values, version=form.cleaned_data.get("version")
        )
    except assessment_services.StaleAssessment:
        message = _(
            "A colleague saved an assessment of this measure after you opened it. Your input is kept below "
            "but not saved: reload the page to see theirs, then save again."
        )
        raise Refused(409, "stale_version", message) from None
    return _assessment_data(line)
