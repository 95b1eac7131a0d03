"""The office's own endpoints (case officer, approver): its rounds, the proposal, decisions, payments.

Applications and report obligations of its rounds are read through the shared endpoints
(``cases``, ``reports``), whose permission-checked fetches show the office its own rounds' cases.
Preparing and approving decisions go through ``decisions.services``, as the web's buttons do:
the same roles, the same four eyes, the same strong login for approving (which a token never is).
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router

from tilskudd.accounts.access import require_role
from tilskudd.accounts.models import Role
from tilskudd.api import schemas
from tilskudd.api.errors import Refused, invalid
from tilskudd.api.serialise import as_office_decision, as_round, local, organisation_ref, person
from tilskudd.applications.models import Line, Status
from tilskudd.assessment import services as assessment_services
from tilskudd.assessment.forms import AssessmentForm
from tilskudd.assessment.models import Assessment, Scenario
from tilskudd.assessment.summary import chosen_scenario, summary
from tilskudd.decisions import messages as decision_messages
from tilskudd.decisions import services as decision_services
from tilskudd.decisions.models import Decision, Payment
from tilskudd.decisions.selectors import unapproved_report_warnings
from tilskudd.domain.explanations import explain
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.organisations.models import Organisation
from tilskudd.rounds.access import get_round_to_manage, rounds_managed_by

router = Router(tags=["office"])  # the office's case work: rounds, assessments, proposal, decisions
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


# --- The proposal (the allocation page) ------------------------------------------------------------


def _scenario_ref(scenario) -> dict:
    return {"id": scenario.pk, "name": scenario.name}


@router.get(
    "/office/rounds/{round_id}/proposal",
    response={200: schemas.ProposalOut, **ERRORS},
    summary="The allocation proposal of a round, each line with its explanation",
)
def proposal(request, round_id: schemas.Id, scenario_id: schemas.Id | None = None):
    """What the allocation page shows: the engine's proposal under a scenario (R7, R8, R9), read only,
    from the same summary (kept per state of the round's inputs) and in the same order.

    ``scenario_id``: one of ``scenarios``; the round's first when left out (or not the round's).
    """
    round = get_round_to_manage(request.user, round_id)  # with its fingerprint, before the summary
    scenarios, scenario = chosen_scenario(round, scenario_id)
    whole = summary(round, scenario)
    language = (get_language() or "nb")[:2]
    ids = [row.line_id for row in whole.rows]
    lines = {
        pk: (application_id, recommended)
        for pk, application_id, recommended in Line.objects.filter(pk__in=ids).values_list(
            "pk", "application_id", "assessment__recommended"
        )
    }
    organisations = Organisation.objects.in_bulk({row.applicant_id for row in whole.rows})
    overridden = [row.line_id for row in whole.rows if row.overridden]
    overrides = (  # who set an amount by hand, and why: read on each request, as the page does
        {o.line_id: o for o in scenario.overrides.filter(line_id__in=overridden).select_related("by")}
        if overridden and scenario.pk
        else {}
    )
    return {
        "round_id": round.pk,
        "scenario": _scenario_ref(scenario),
        "scenarios": [_scenario_ref(s) for s in scenarios],
        "funds": whole.funds,
        "applied": whole.applied,
        "proposed": whole.total,
        "lines": [
            {
                "line_id": row.line_id,
                "application_id": lines[row.line_id][0],
                "organisation": organisation_ref(organisations[row.applicant_id]),
                "kind": row.kind,
                "rank": row.rank,
                "title": row.title,
                "applied": row.applied,
                "proposed": row.amount,
                "tier": row.tier.tier,
                "score": row.score,
                "eligible": row.eligible,
                "recommended": lines[row.line_id][1],
                "override": {"amount": o.amount, "reason": o.reason, "by": person(o.by)}
                if (o := overrides.get(row.line_id))
                else None,
                "explanation": explain(row.result, language),  # the page's "why" (R8)
            }
            for row in whole.rows
        ],
    }


# --- Decisions -------------------------------------------------------------------------------------


def _round_decisions(round, approved: bool | None = None) -> list[Decision]:
    """The round's decisions by organisation name, as the web's decisions page lists them."""
    decisions = (
        Decision.objects.filter(application__round=round)
        .select_related("application__organisation", "prepared_by", "approved_by", "letter")
        .prefetch_related("lines")
        .defer("application__snapshot")
    )
    if approved is not None:
        decisions = decisions.filter(approved_at__isnull=not approved)
    for decision in decisions:
        decision.application.round = round  # the case number reads the round's year
    return sorted(decisions, key=lambda d: (norwegian_sort_key(d.application.organisation.name), d.pk))


@router.get(
    "/office/rounds/{round_id}/decisions",
    response={200: list[schemas.OfficeDecisionOut], **ERRORS},
    summary="The round's decisions, prepared and approved",
)
def decisions(request, round_id: schemas.Id, approved: bool | None = None):
    """``approved=false``: those still waiting for an approver."""
    round = get_round_to_manage(request.user, round_id)
    return [as_office_decision(d) for d in _round_decisions(round, approved)]


def _decision_to_handle(user, round_id: int, decision_id: int) -> Decision:
    round = get_round_to_manage(user, round_id)
    decision = get_object_or_404(
        Decision.objects.select_related("application__organisation", "prepared_by", "approved_by"),
        pk=decision_id,
        application__round=round,
    )
    decision.application.round = round
    return decision


@router.get(
    "/office/rounds/{round_id}/decisions/{int:decision_id}",
    response={200: schemas.OfficeDecisionOut, **ERRORS},
    summary="One decision of the round, line by line",
)
def decision_detail(request, round_id: schemas.Id, decision_id: schemas.Id):
    return as_office_decision(_decision_to_handle(request.user, round_id, decision_id))


@router.post(
    "/office/rounds/{round_id}/decisions/prepare",
    response={200: schemas.Prepared, **ERRORS},
    summary="Prepare the round's decisions from a scenario (case officer)",
)
def prepare(request, round_id: schemas.Id, payload: schemas.PrepareIn):
    """As the web's "Prepare decisions" (R10): after the call has closed, from the scenario chosen.

    Approved decisions are kept; unapproved ones are prepared again. Another person approves them.
    Refused with 409 ``call_still_open`` while the call (or an extension) is open.
    """
    round = get_round_to_manage(request.user, round_id)
    require_role(request.user, Role.CASE_OFFICER)  # a case officer prepares; an approver approves
    if payload.scenario_id is not None:
        get_object_or_404(Scenario, pk=payload.scenario_id, round=round)
    try:
        with transaction.atomic():  # a refusal leaves no default scenario behind
            decision_services.check_call_closed(round)
            scenario = assessment_services.saved_scenario(
                round=round, scenario_id=payload.scenario_id, by=request.user
            )
            prepared = decision_services.prepare_decisions(
                proposal=assessment_services.proposal(scenario), by=request.user
            )
    except decision_services.CallStillOpen as still_open:
        raise Refused(409, "call_still_open", decision_messages.call_still_open(still_open)) from None
    ids = {d.pk for d in prepared}
    return {
        "prepared": len(prepared),
        "scenario": _scenario_ref(scenario),
        "decisions": [as_office_decision(d) for d in _round_decisions(round) if d.pk in ids],
        "warnings": [str(w["text"]) for w in unapproved_report_warnings(round)],
    }


@router.post(
    "/office/rounds/{round_id}/decisions/{decision_id}/approve",
    response={200: schemas.OfficeDecisionOut, **ERRORS},
    summary="Approve a decision (approver, from a strong browser login; never with a token)",
)
def approve(request, round_id: schemas.Id, decision_id: schemas.Id):
    """As the web's "Approve" (R10): another person than the one who prepared it (four eyes), an
    approver, logged in strongly. A token is never a strong login: 403 ``strong_login_required``;
    use the browser's session (with its CSRF token) after a two-step or ID-porten login
    (errors.py answers the service's ``SecondFactorRequired``).
    """
    decision = _decision_to_handle(request.user, round_id, decision_id)
    try:
        decision_services.approve(decision=decision, by=request.user)
    except decision_services.FourEyes:
        raise Refused(403, "four_eyes", decision_messages.four_eyes()) from None
    except decision_services.AlreadyDecided:
        raise Refused(409, "already_approved", decision_messages.already_approved()) from None
    except decision_services.Replaced:
        raise Refused(409, "replaced", decision_messages.replaced()) from None
    return as_office_decision(_decision_to_handle(request.user, round_id, decision_id))
