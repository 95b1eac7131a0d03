"""The award's money after the decision (recipient and office) and the office's overview per round."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.access import get_application_for
from tilskudd.caselog.selectors import log_rows
from tilskudd.decisions.models import Decision
from tilskudd.domain.ledger import Account
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.settlement import services
from tilskudd.settlement.charts import overview_tables
from tilskudd.settlement.exports import claims_xlsx
from tilskudd.settlement.forms import (
    AssessmentForm,
    CarriedMoneyForm,
    ClaimForm,
    ReasonForm,
    RepaymentForm,
    WithheldShareForm,
    WriteOffForm,
)
from tilskudd.settlement.models import AccountChoices, CarryOver, CarryOverState, RepaymentClaim
from tilskudd.settlement.selectors import round_overview
from tilskudd.ui.access import post_action, role_required

ACCOUNT_ORDER = [
    Account.USED,
    Account.CARRIED,
    Account.OWED,
    Account.REPAID,
    Account.WRITTEN_OFF,
    Account.UNSETTLED,
]


def _award(user, application_id: int) -> Decision:
    """The approved award of a case the user may read (404 otherwise)."""
    application = get_application_for(user, application_id)
    return get_object_or_404(
        Decision.objects.select_related("application__round__office", "application__organisation"),
        application=application,
        approved_at__isnull=False,
        granted__gt=0,
    )


def _page(request, application_id: int, **_kwargs) -> str:
    return reverse("settlement:award", args=[_award(request.user, application_id).application_id])


def _carry_over(decision: Decision, carry_over_id: int) -> CarryOver:
    return get_object_or_404(CarryOver, decision=decision, pk=carry_over_id)


def _claim(decision: Decision, claim_id: int) -> RepaymentClaim:
    return get_object_or_404(RepaymentClaim, decision=decision, pk=claim_id)


def _handles(user, decision: Decision) -> bool:
    return user.works_at(decision.application.round.office_id)


def _signs(user, decision: Decision) -> bool:
    return user.signs_for(decision.application.organisation_id)


def award_context(request, decision: Decision, **state) -> dict:
    current = services.ledger_of(decision)
    labels = dict(AccountChoices.choices)
    rows = [
        {
            "line": line,
            "accounts": [(account, current.line_accounts(line.pk)[account]) for account in ACCOUNT_ORDER],
            "changed": current.changed.get(line.pk, 0),
        }
        for line in current.lines
    ]
    totals = current.totals
    carry_overs = list(decision.carry_overs.select_related("line", "decided_by").order_by("from_year", "pk"))
    claims = list(decision.claims.order_by("sent_at", "pk"))
    for claim in claims:
        claim.outstanding = current.outstanding(claim)
        claim.is_overdue = claim.outstanding > 0 and claim.due_on < timezone.localdate()
    handles, signs = _handles(request.user, decision), _signs(request.user, decision)
    bound = state.get("bound", {})  # a refused form, by its prefix, shown again with its errors
    for carry in carry_overs:
        carry.accountable = carry.can_be_accounted_for(timezone.localdate())
        carry.carried_form = bound.get(f"carried{carry.pk}") or CarriedMoneyForm(prefix=f"carried{carry.pk}")
        carry.refuse_form = bound.get(f"refuse{carry.pk}") or ReasonForm(prefix=f"refuse{carry.pk}")
        carry.assess_form = bound.get(f"assess{carry.pk}") or AssessmentForm(
            prefix=f"assess{carry.pk}", initial={"approve": "approve"}
        )
    for claim in claims:
        claim.repayment_form = bound.get(f"repay{claim.pk}") or RepaymentForm(
            prefix=f"repay{claim.pk}", initial={"paid_on": timezone.localdate()}
        )
        claim.write_off_form = bound.get(f"writeoff{claim.pk}") or WriteOffForm(prefix=f"writeoff{claim.pk}")
    last_account = claims[-1].account_number if claims else ""
    return {
        "decision": decision,
        "application": decision.application,
        "round": decision.application.round,
        "headers": [labels[account.value] for account in ACCOUNT_ORDER],
        "rows": rows,
        "any_changed": bool(current.changed),
        "totals": [(labels[account.value], totals[account]) for account in ACCOUNT_ORDER],
        "granted": current.granted,
        "paid": sum(p.amount for p in decision.payments.all()),
        "carry_overs": carry_overs,
        "claims": claims,
        "unclaimed": services.unclaimed(current) if handles else 0,
        "handles": handles,
        "signs": signs,
        "today": timezone.localdate(),
        "claim_form": bound.get("claim")
        or ClaimForm(
            prefix="claim",
            initial={
                "account_number": last_account,
                "due_on": timezone.localdate() + timedelta(days=services.CLAIM_DAYS),
            },
        ),
        "entries": log_rows(decision, applicant_view=request.user.is_applicant_side),
    }


def _render(request, decision, *, status: int = 200, **state):
    return render(request, "settlement/award.html", award_context(request, decision, **state), status=status)


def _back(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(reverse("settlement:award", args=[decision.application_id]) + anchor)


def _errors_into(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def award(request, application_id: int):
    return _render(request, _award(request.user, application_id))


def _submit(request, decision: Decision, form, act, *, done, anchor: str, wrong_state: str = ""):
    """One action's form: run ``act(cleaned_data)`` (a service); on success say ``done`` (or ``done(result)``)
    and go back to the award at ``anchor``; a refusal shows the page again with the errors by the fields."""
    if form.is_valid():
        try:
            result = act(form.cleaned_data)
        except services.WrongState:
            messages.error(request, wrong_state)
            return _back(decision)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return _back(decision, anchor)
    return _render(request, decision, status=400, bound={form.prefix: form})


@login_required
@post_action(_page)
def report_carried(request, application_id: int, carry_over_id: int):
    decision = _award(request.user, application_id)
    carry_over = _carry_over(decision, carry_over_id)
    if not _signs(request.user, decision):
        raise PermissionDenied
    return _submit(
        request,
        decision,
        CarriedMoneyForm(request.POST, prefix=f"carried{carry_over.pk}"),
        lambda data: services.report_carried_money(carry_over=carry_over, by=request.user, **data),
        done=lambda further: (
            _("Thank you. Statsforvalteren will assess the further carry-over.")
            if further
            else _("Thank you. The use of the carried-over money is recorded.")
        ),
        anchor="#carry-overs",
        wrong_state=_("The carried-over money is already accounted for."),
    )


def _office_action(request, application_id: int) -> Decision:
    decision = _award(request.user, application_id)
    if not _handles(request.user, decision):
        raise PermissionDenied
    return decision


@role_required(*OFFICE_ROLES)
@post_action(_page)
def refuse_carry_over(request, application_id: int, carry_over_id: int):
    decision = _office_action(request, application_id)
    carry_over = _carry_over(decision, carry_over_id)
    return _submit(
        request,
        decision,
        ReasonForm(request.POST, prefix=f"refuse{carry_over.pk}"),
        lambda data: services.refuse_carry_over(carry_over=carry_over, by=request.user, **data),
        done=_("The carry-over is refused; the amount is owed back."),
        anchor="#carry-overs",
        wrong_state=_("The carried-over money is already accounted for."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_page)
def assess_carry_over(request, application_id: int, carry_over_id: int):
    decision = _office_action(request, application_id)
    carry_over = _carry_over(decision, carry_over_id)
    return _submit(
        request,
        decision,
        AssessmentForm(request.POST, prefix=f"assess{carry_over.pk}"),
        lambda data: services.assess_further_carry_over(carry_over=carry_over, by=request.user, **data),
        done=lambda done: (
            _("The further carry-over is approved.")
            if done.state == CarryOverState.APPROVED
            else _("The further carry-over is refused; the amount is owed back.")
        ),
        anchor="#carry-overs",
        wrong_state=_("The carry-over is already decided."),
    )


@role_required(*OFFICE_ROLES)
@post_action(_page)
def send_claim(request, application_id: int):
    decision = _office_action(request, application_id)
    return _submit(
        request,
        decision,
        ClaimForm(request.POST, prefix="claim"),
        lambda data: services.send_claim(decision=decision, by=request.user, **data),
        done=_("The claim is sent. The letter is below."),
        anchor="#claims",
        wrong_state=_("Nothing is owed that is not already claimed."),
    )


@login_required
@require_GET
def claim_letter(request, application_id: int, claim_id: int):
    claim = _claim(_award(request.user, application_id), claim_id)
    if not claim.letter:
        raise Http404
    return FileResponse(
        claim.letter.open("rb"),
        as_attachment=True,
        filename=f"krav-om-tilbakebetaling-{claim.reference}.pdf",
        content_type="application/pdf",
    )


@role_required(*OFFICE_ROLES)
@post_action(_page)
def record_repayment(request, application_id: int, claim_id: int):
    decision = _office_action(request, application_id)
    claim = _claim(decision, claim_id)
    return _submit(
        request,
        decision,
        RepaymentForm(request.POST, prefix=f"repay{claim.pk}"),
        lambda data: services.record_repayment(claim=claim, by=request.user, **data),
        done=_("The repayment is recorded."),
        anchor="#claims",
    )


@role_required(*OFFICE_ROLES)
@post_action(_page)
def write_off_debt(request, application_id: int, claim_id: int):
    decision = _office_action(request, application_id)
    claim = _claim(decision, claim_id)
    return _submit(
        request,
        decision,
        WriteOffForm(request.POST, prefix=f"writeoff{claim.pk}"),
        lambda data: services.write_off_debt(claim=claim, by=request.user, **data),
        done=_("The amount is written off."),
        anchor="#claims",
    )


@role_required(*OFFICE_ROLES)
@post_action(_page)
def remind_claim(request, application_id: int, claim_id: int):
    decision = _office_action(request, application_id)
    claim = _claim(decision, claim_id)
    try:
        services.remind_claim(claim=claim, by=request.user)
    except services.WrongState:
        messages.error(request, _("The claim is not overdue, or it is paid."))
    else:
        messages.success(request, _("The reminder is sent."))
    return _back(decision, "#claims")


def _round_page(request, round_id: int, **_kwargs) -> str:
    return reverse("settlement:round_settlement", args=[get_round_to_manage(request.user, round_id).pk])


@role_required(*OFFICE_ROLES)
@post_action(_round_page)
def set_withheld_share(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    form = WithheldShareForm(request.POST, prefix="terms")
    if form.is_valid():
        try:
            services.set_withheld_share(
                round=round, by=request.user, percent=form.cleaned_data["withheld_percent"]
            )
        except services.WrongState:
            messages.error(request, _("Decisions in this round are approved: their letters state the terms."))
            return redirect("settlement:round_settlement", round_id=round.pk)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("The share held back is saved."))
            return redirect("settlement:round_settlement", round_id=round.pk)
    return round_settlement_page(request, round, terms_form=form, status=400)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_settlement(request, round_id: int):
    return round_settlement_page(request, get_round_to_manage(request.user, round_id))


def round_settlement_page(request, round, *, terms_form=None, status: int = 200):
    overview = round_overview(round)
    labels = dict(AccountChoices.choices)
    percent = services.withheld_share(round.pk)
    return render(
        request,
        "settlement/round.html",
        {
            "withheld_percent": percent,
            "terms_open": not overview.rows
            and not Decision.objects.filter(application__round=round, approved_at__isnull=False).exists(),
            "can_act": request.user.role in OFFICE_ROLES,
            "terms_form": terms_form
            or WithheldShareForm(prefix="terms", initial={"withheld_percent": percent}),
            "round": round,
            "overview": overview,
            "headers": [labels[account.value] for account in ACCOUNT_ORDER],
            "rows": [(row, [row.accounts[account] for account in ACCOUNT_ORDER]) for row in overview.rows],
            "tables": overview_tables(overview),
        },
        status=status,
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_settlement_export(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    response = HttpResponse(
        claims_xlsx(round, round_overview(round)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"oppgjor-{round.office.name}-{round.year}.xlsx"
    )
    return response
