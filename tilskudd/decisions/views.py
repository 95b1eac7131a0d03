from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tilskudd.accounts.models import Role
from tilskudd.applications.access import get_round_to_manage
from tilskudd.assessment.models import Scenario
from tilskudd.assessment.services import proposal
from tilskudd.decisions import services
from tilskudd.decisions.models import Decision
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.web.access import role_required

OFFICE_ROLES = (Role.CASE_OFFICER, Role.APPROVER)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_decisions(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    decisions = sorted(
        Decision.objects.filter(application__round=round).select_related(
            "application__organisation", "application__round", "prepared_by", "approved_by"
        ),
        key=lambda d: norwegian_sort_key(d.application.organisation.name),
    )
    pending = [d for d in decisions if not d.is_approved]
    return render(
        request,
        "decisions/round_decisions.html",
        {
            "round": round,
            "decisions": decisions,
            "scenarios": round.scenarios.all(),
            "pending_by_others": [d for d in pending if d.prepared_by_id != request.user.pk],
            "pending_own": [d for d in pending if d.prepared_by_id == request.user.pk],
            "granted_total": sum(d.granted for d in decisions),
            "can_act": request.user.role in OFFICE_ROLES,
        },
    )


@role_required(*OFFICE_ROLES)
@require_POST
def prepare(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    scenario = get_object_or_404(Scenario, pk=request.POST.get("scenario") or 0, round=round)
    prepared = services.prepare_decisions(proposal=proposal(scenario), by=request.user)
    messages.success(
        request,
        _(
            "%(count)s decisions were prepared from “%(scenario)s”. Another person at the office approves them."
        )
        % {"count": len(prepared), "scenario": scenario.name},
    )
    return redirect("round_decisions", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@require_POST
def approve(request, round_id: int, decision_id: int):
    round = get_round_to_manage(request.user, round_id)
    decision = get_object_or_404(Decision, pk=decision_id, application__round=round)
    try:
        services.approve(decision=decision, by=request.user)
        messages.success(
            request,
            _("The decision for %(name)s was approved.") % {"name": decision.application.organisation},
        )
    except services.FourEyes:
        messages.error(
            request, _("You prepared this decision yourself. Another person at the office must approve it.")
        )
    except services.AlreadyDecided:
        messages.info(request, _("The decision was already approved."))
    return redirect("round_decisions", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@require_POST
def approve_all(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    approved, skipped = services.approve_round(round=round, by=request.user)
    messages.success(request, _("%(count)s decisions were approved.") % {"count": approved})
    if skipped:
        messages.warning(
            request,
            _("%(count)s decisions you prepared yourself were left for another person to approve.")
            % {"count": skipped},
        )
    return redirect("round_decisions", round_id=round.pk)
