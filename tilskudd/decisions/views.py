from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tilskudd.accounts.access import SecondFactorRequired
from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.access import get_application_for, get_own_application
from tilskudd.applications.case import render_case
from tilskudd.applications.models import Application, Status
from tilskudd.assessment.models import Scenario
from tilskudd.assessment.services import default_scenario, proposal, saved_scenario
from tilskudd.decisions import archive, hooks, issuing, services
from tilskudd.decisions import messages as decision_messages
from tilskudd.decisions.approval import approval_summary
from tilskudd.decisions.forms import AcceptanceExtensionForm, AcceptanceForm, PaymentForm
from tilskudd.decisions.letters import format_day
from tilskudd.decisions.models import Decision, Letter, Outcome, Payment
from tilskudd.decisions.selectors import unapproved_report_warnings
from tilskudd.domain.deadlines import acceptance_deadline_in_force, format_local, is_on_or_before
from tilskudd.domain.identifiers import format_kontonummer
from tilskudd.domain.money import format_kroner
from tilskudd.domain.text import norwegian_sort_key, person_name
from tilskudd.organisations.models import formal_name
from tilskudd.rounds.access import get_round_to_manage
from tilskudd.ui.access import post_action, role_required
from tilskudd.ui.params import small_number

PLACEHOLDER_ID = 987654321


def _decisions_page(request, round_id: int, **kwargs) -> str:
    return reverse("decisions:round_decisions", args=[get_round_to_manage(request.user, round_id).pk])


def _decision_on_case_page(request, application_id: int, **kwargs) -> str:
    application = get_application_for(request.user, application_id)
    return reverse("applications:application_detail", args=[application.pk]) + "#decision"


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_decisions(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    # The list as plain values, each row's text made once here: at national scale a round has dozens
    # of decisions, and model instances (five a row) and per-row template filters were most of the page.
    decisions = sorted(
        Decision.objects.filter(application__round=round).values_list(
            "pk",
            "application_id",
            "application__organisation__kind",
            "application__organisation__name",
            "outcome",
            "applied",
            "granted",
            "prepared_by_id",
            "prepared_by__first_name",
            "prepared_by__last_name",
            "prepared_by__username",
            "approved_at",
            "approved_by__first_name",
            "approved_by__last_name",
            "approved_by__username",
        ),
        key=lambda row: norwegian_sort_key(row[3]),
    )
    can_approve = request.user.role == Role.APPROVER
    language = get_language() or "nb"
    outcomes = {outcome.value: capfirst(str(outcome.label)) for outcome in Outcome}
    case_page = reverse("applications:application_detail", args=[PLACEHOLDER_ID]) + "#decision"
    approve_page = reverse("decisions:decision_approve", args=[round.pk, PLACEHOLDER_ID])
    rows = []
    for row in decisions:
        pk, application_id, kind, name, outcome, applied, granted, prepared_by_id = row[:8]
        approved_at = row[11]
        rows.append(
            {
                "url": case_page.replace(str(PLACEHOLDER_ID), str(application_id)),
                "name": formal_name(kind, name),
                "outcome": outcomes[outcome],
                "applied": format_kroner(applied, language),
                "granted": format_kroner(granted, language),
                "granted_amount": granted,
                "prepared_by_id": prepared_by_id,
                "prepared_by": person_name(*row[8:11]),
                # approved_by and approved_at are set together (a constraint)
                "approved": (
                    f"{person_name(*row[12:15])}, {format_local(approved_at, language)}"
                    if approved_at
                    else ""
                ),
                "approve_url": (
                    approve_page.replace(str(PLACEHOLDER_ID), str(pk))
                    if approved_at is None and can_approve and prepared_by_id != request.user.pk
                    else ""
                ),
            }
        )
    pending = [row for row in rows if not row["approved"]]
    closes = services.call_closes(round)
    submitted = set(
        Application.objects.filter(round=round, status=Status.SUBMITTED).values_list("pk", flat=True)
    )
    decided = {row[1] for row in decisions}
    final = {row[1] for row in decisions if row[11] is not None}
    # Submitted after the decisions were prepared (under a later deadline): flagged to the office.
    undecided = (
        Application.objects.filter(pk__in=submitted - decided)
        .select_related("organisation")
        .defer("snapshot")
        if decisions and submitted - decided
        else []
    )
    return render(
        request,
        "decisions/round_decisions.html",
        {
            "round": round,
            "decisions": rows,
            "scenarios": list(round.scenarios.all()) or [default_scenario(round)],
            "call_closes": closes,
            "call_open": services.call_is_open(round, closes=closes),
            "drafts": Application.objects.filter(round=round, status=Status.DRAFT).count(),
            "undecided": undecided,
            "can_prepare": request.user.role == Role.CASE_OFFICER,
            "can_approve": can_approve,
            "pending_by_others": [row for row in pending if row["prepared_by_id"] != request.user.pk],
            "pending_own": [row for row in pending if row["prepared_by_id"] == request.user.pk],
            "granted_total": sum(row["granted_amount"] for row in rows),
            "any_approved": bool(final),
            # Preparing does something exactly when an application has no approved decision (the rest are final).
            "to_prepare": bool(submitted - final),
            "report_warnings": unapproved_report_warnings(round),
            **letters_context(request, round),
        },
    )


def letters_context(request, round) -> dict:
    """What the letters fragment needs: built once for the page and for every poll of the fragment."""
    return {
        "round": round,
        "can_act": request.user.role in OFFICE_ROLES,
        "batch": round.letter_batches.first(),
        "letters_pending": issuing.letters_pending(round).count(),
    }


@role_required(Role.CASE_OFFICER)
@post_action(_decisions_page)
def prepare(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    chosen = request.POST.get("scenario") or ""
    if chosen and chosen != "0":
        get_object_or_404(Scenario, pk=small_number(chosen) or 0, round=round)
    try:
        services.check_call_closed(round)
    except services.CallStillOpen as still_open:
        messages.error(request, decision_messages.call_still_open(still_open))
        return redirect("decisions:round_decisions", round_id=round.pk)
    scenario = saved_scenario(round=round, scenario_id=small_number(chosen), by=request.user)
    try:
        prepared = services.prepare_decisions(proposal=proposal(scenario), by=request.user)
    except services.CallStillOpen as still_open:
        messages.error(request, decision_messages.call_still_open(still_open))
        return redirect("decisions:round_decisions", round_id=round.pk)
    messages.success(
        request,
        _(
            "%(count)s decisions were prepared from “%(scenario)s”. Another person at the office approves them."
        )
        % {"count": len(prepared), "scenario": scenario.name},
    )
    for warning in unapproved_report_warnings(round):
        messages.warning(request, warning["text"])
    return redirect("decisions:round_decisions", round_id=round.pk)


def _pending_for(user, round) -> list[Decision]:
    """The round's unapproved decisions this person may approve (prepared by someone else), by name."""
    return sorted(
        Decision.objects.filter(application__round=round, approved_at__isnull=True)
        .exclude(prepared_by=user)
        .select_related("application__organisation", "application__round", "prepared_by"),
        key=lambda d: norwegian_sort_key(d.application.organisation.name),
    )


@role_required(*OFFICE_ROLES)  # the service refuses anyone but an approver; the preparer is told why
@require_http_methods(["GET", "POST"])
def approve(request, round_id: int, decision_id: int):
    """GET: the case's decision line by line, with the amounts set by hand; POST: approve it."""
    round = get_round_to_manage(request.user, round_id)
    decision = get_object_or_404(
        Decision.objects.select_related("application__organisation", "application__round", "prepared_by"),
        pk=decision_id,
        application__round=round,
    )
    if request.method == "GET":
        if decision.is_approved:
            messages.info(request, decision_messages.already_approved())
            return redirect("decisions:round_decisions", round_id=round.pk)
        return render(
            request,
            "decisions/approve_one.html",
            {
                "round": round,
                "decision": decision,
                "summary": approval_summary([decision]),
                "can_approve": request.user.role == Role.APPROVER
                and decision.prepared_by_id != request.user.pk,
            },
        )
    try:
        services.approve(decision=decision, by=request.user)
        messages.success(
            request,
            _("The decision for %(name)s was approved.") % {"name": decision.application.organisation},
        )
    except services.FourEyes:
        messages.error(request, decision_messages.four_eyes())
    except services.AlreadyDecided:
        messages.info(request, decision_messages.already_approved())
    except services.Replaced:
        messages.warning(
            request,
            decision_messages.replaced(),
        )
    except SecondFactorRequired:
        messages.error(request, _two_step_message())
        return redirect("decisions:decision_approve", round_id=round.pk, decision_id=decision.pk)
    return redirect("decisions:round_decisions", round_id=round.pk)


def _two_step_message() -> str:
    return _("Nothing was approved: approving needs two-step login. Set it up or write a code below.")


@role_required(Role.APPROVER)
@require_http_methods(["GET", "POST"])
def approve_all(request, round_id: int):
    """GET: what is about to be approved (money, outcomes, amounts set by hand, changes); POST: approve it."""
    round = get_round_to_manage(request.user, round_id)
    pending = _pending_for(request.user, round)
    if request.method == "GET":
        if not pending:
            messages.info(request, _("No decisions wait for your approval in this round."))
            return redirect("decisions:round_decisions", round_id=round.pk)
        return render(
            request,
            "decisions/approve_all.html",
            {"round": round, "summary": approval_summary(pending)},
        )
    shown = {pk for pk in map(small_number, request.POST.get("decisions", "").split(",")) if pk is not None}
    # Only decisions prepared by someone else are shown (_pending_for), so none is left as the approver's own.
    try:
        result = services.approve_round(round=round, by=request.user, only=shown)
    except SecondFactorRequired:
        messages.error(request, _two_step_message())
        return redirect("decisions:decisions_approve_all", round_id=round.pk)
    messages.success(request, _("%(count)s decisions were approved.") % {"count": result.approved})
    if result.already:
        messages.info(
            request,
            ngettext(
                "%(count)s decision had been approved by a colleague meanwhile.",
                "%(count)s decisions had been approved by a colleague meanwhile.",
                result.already,
            )
            % {"count": result.already},
        )
    left = len({d.pk for d in _pending_for(request.user, round)})
    if left:
        messages.warning(
            request,
            ngettext(
                "%(count)s decision was prepared again after you looked at the summary and is not approved. "
                "Look at it before you approve it.",
                "%(count)s decisions were prepared again after you looked at the summary and are not approved. "
                "Look at them before you approve them.",
                left,
            )
            % {"count": left},
        )
    return redirect("decisions:round_decisions", round_id=round.pk)


@role_required(*OFFICE_ROLES)
@post_action(_decisions_page)
def letters_start(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    batch = issuing.start_letter_batch(round=round, by=request.user)
    messages.success(
        request,
        _("Making %(count)s letters in the background. You can follow the progress here.")
        % {"count": batch.total - batch.done - batch.failed},
    )
    return redirect("decisions:round_decisions", round_id=round.pk)


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def letters_progress(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    return render(request, "decisions/_letter_progress.html", letters_context(request, round))


@login_required
@require_GET
def letter_download(request, application_id: int):
    application = get_application_for(request.user, application_id)
    decision = get_object_or_404(Decision, application=application, approved_at__isnull=False)
    letter = get_object_or_404(Letter, decision=decision)
    return FileResponse(
        letter.file.open("rb"),
        as_attachment=True,
        filename=issuing.letter_filename(decision),
        content_type="application/pdf",
    )


@login_required
@post_action(_decision_on_case_page)
def accept(request, application_id: int):
    application = get_own_application(request.user, application_id)
    decision = get_object_or_404(Decision, application=application, approved_at__isnull=False)
    case_page = reverse("applications:application_detail", args=[application.pk]) + "#decision"
    form = AcceptanceForm(request.POST)
    if form.is_valid():
        try:
            issuing.accept(
                decision=decision, by=request.user, account_number=form.cleaned_data["account_number"]
            )
            messages.success(request, _("Thank you. The award is accepted and the office can pay it out."))
            return redirect(case_page)
        except issuing.AcceptanceClosed:
            # The page said it was open when it was loaded; it says why not now.
            messages.error(request, _("The deadline for accepting the award has passed."))
            return redirect(case_page)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
    return render_case(request, application, state={"acceptance_form": form}, error_form=form, status=400)


@role_required(*OFFICE_ROLES)
@post_action(_decision_on_case_page)
def extend_acceptance(request, application_id: int):
    application = get_application_for(request.user, application_id)
    decision = get_object_or_404(Decision, application=application, approved_at__isnull=False)
    form = AcceptanceExtensionForm(request.POST)
    if form.is_valid():
        try:
            extension = issuing.grant_acceptance_extension(
                decision=decision, by=request.user, **form.cleaned_data
            )
            messages.success(
                request,
                _("%(name)s can now accept the award until %(deadline)s.")
                % {
                    "name": application.organisation.display_name,
                    "deadline": format_day(extension.until, (get_language() or "nb")[:2]),
                },
            )
            return redirect(reverse("applications:application_detail", args=[application.pk]) + "#decision")
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field, errors)
    return render_case(request, application, state={"extension_form": form}, error_form=form, status=400)


def payment_rows(round) -> list[dict]:
    """The round's approved awards as the payments page lists them, each row's text made once here.

    Read as values (model instances, five a row, and per-row template filters were most of the
    page at national scale); what was paid by one grouped query; what a later stage holds back
    asked only for the awards not paid in full, the only ones where it is said."""
    language = get_language() or "nb"
    now = timezone.now()
    paid = dict(
        Payment.objects.filter(decision__application__round=round)
        .values("decision_id")
        .annotate(total=Sum("amount"))
        .values_list("decision_id", "total")
        .order_by()
    )
    decisions = sorted(
        Decision.objects.filter(
            application__round=round, approved_at__isnull=False, granted__gt=0
        ).values_list(
            "pk",
            "application_id",
            "application__organisation__kind",
            "application__organisation__name",
            "granted",
            "approved_at",
            "acceptance_due",
            "acceptance_extension__until",
            "acceptance__id",
            "acceptance__accepted_at",
            "acceptance__account_number",
        ),
        key=lambda row: norwegian_sort_key(row[3]),
    )
    unpaid = [row[0] for row in decisions if paid.get(row[0], 0) < row[4]]
    held = (
        hooks.withheld(list(Decision.objects.filter(pk__in=unpaid).select_related("application")))
        if unpaid
        else {}
    )
    case_page = reverse("applications:application_detail", args=[PLACEHOLDER_ID]) + "#decision"
    rows = []
    for (
        pk,
        application_id,
        kind,
        name,
        granted,
        approved_at,
        due,
        until,
        acceptance,
        accepted_at,
        account,
    ) in decisions:
        row = {
            "pk": pk,
            "name": formal_name(kind, name),
            "granted": format_kroner(granted, language),
            "paid": format_kroner(paid.get(pk) or 0, language),
            "accepted": acceptance is not None,
            "held_back": "",
        }
        if held.get(pk):
            row["held_back"] = _(
                "%(held)s not to be paid now (held back until the final report, or reported as not used)"
            ) % {"held": format_kroner(held[pk], language)}
        if acceptance is not None:
            row["accepted_on"] = timezone.localtime(accepted_at).strftime("%d.%m.%Y")
            row["account"] = format_kontonummer(account)
        else:  # R10c: the deadline in force, and whether it has passed
            by = acceptance_deadline_in_force(until, due, approved_at, round.acceptance_weeks)
            deadline = {"deadline": format_day(by, language)}
            row["case_url"] = case_page.replace(str(PLACEHOLDER_ID), str(application_id))
            row["deadline"] = (
                _("Deadline %(deadline)s") % deadline
                if is_on_or_before(now, by)
                else _("Deadline %(deadline)s has passed") % deadline
            )
        rows.append(row)
    return rows


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def payments(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    rows = payment_rows(round)
    form = PaymentForm(request.POST or None)
    refused = None  # the decision whose payment was refused: its row shows the errors next to the fields
    if request.method == "POST":
        decision = get_object_or_404(Decision, pk=request.POST.get("decision") or 0, application__round=round)
        if form.is_valid():
            try:
                issuing.record_payment(decision=decision, by=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    _("The payment to %(name)s was recorded.") % {"name": decision.application.organisation},
                )
                return redirect("decisions:round_payments", round_id=round.pk)
            except ValidationError as error:
                form.add_error(None, error)
        refused = decision.pk
        messages.error(
            request,
            _("The payment was not recorded: %(errors)s")
            % {"errors": " ".join(m for ms in form.errors.values() for m in ms)},
        )
    return render(
        request,
        "decisions/payments.html",
        {
            "round": round,
            "decisions": rows,
            "today": timezone.localdate().strftime("%d.%m.%Y"),
            "can_act": request.user.role in OFFICE_ROLES,
            "form": form,
            "refused": refused,
        },
        status=400 if refused else 200,
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def case_archive(request, application_id: int):
    application = get_application_for(request.user, application_id)
    return FileResponse(
        archive.build_archive([application]),
        as_attachment=True,
        filename=f"arkiv-{application.case_number.replace('/', '-')}.zip",
        content_type="application/zip",
    )


@role_required(*OFFICE_ROLES, Role.ADMIN)
@require_GET
def round_archive(request, round_id: int):
    round = get_round_to_manage(request.user, round_id)
    applications = Application.objects.filter(round=round, status=Status.SUBMITTED).select_related(
        "organisation", "round__office", "submitted_by"
    )
    return FileResponse(
        archive.build_archive(applications.iterator(chunk_size=20)),
        as_attachment=True,
        filename=f"arkiv-{round.office.short_name}-{round.year}.zip",
        content_type="application/zip",
    )
