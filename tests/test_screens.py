"""Issue 10: start pages that say what to do next, errors that lead to the field, an approval that shows
what is approved, and no bare 405 for a person who reloads."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_application, make_round, submitted_application
from tests.helpers import assert_queries_constant
from tests.test_authorisation import ROUTES, _target, targets  # noqa: F401 (the fixture)
from tilskudd.applications.models import Line
from tilskudd.assessment import services as assessment
from tilskudd.decisions import issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.reporting.models import ReportObligation


def _decided(cast, *, fresh_funds=800_000, approve=True, override=None):
    """A closed round with Trondheim's application decided from the default scenario."""
    round = make_round(cast.office_t, fresh_funds=fresh_funds, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    if override:
        line = application.lines.get(kind=override[0])
        assessment.set_override(
            round=round,
            scenario_id=scenario.pk,
            line=line,
            by=cast.officer_t,
            amount=override[1],
            reason=override[2],
        )
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    if approve:
        decisions.approve_round(round=round, by=cast.approver_t)
    return round, application, Decision.objects.get(application=application)


# 1. Start pages -------------------------------------------------------------------------------


def test_the_applicants_start_page_shows_the_open_round_with_days_left_and_what_the_draft_lacks(
    client_for, cast
):
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=10))
    application = make_application(
        round, cast.kommune_a, by=cast.signer_a, kinds=("competence",), complete=False
    )
    body = client_for(cast.applicant_a).get("/").content.decode()
    assert round.title in body
    assert re.search(r"\b(9|10) dager", body), "the days left are on the page"
    line = application.lines.get()
    # what is missing, linking to the very field on the line page
    assert reverse("applications:line_edit", args=[application.pk, line.pk]) + "?check=1#id_title" in body
    assert "Utlysningen er ikke åpen" not in body and "ingen åpen utlysning" not in body


def test_R10_the_applicant_sees_the_application_waiting_while_its_decision_is_only_a_draft(client_for, cast):
    round, application, _decision = _decided(cast, approve=False)
    body = client_for(cast.applicant_a).get("/").content.decode()
    assert reverse("applications:application_detail", args=[application.pk]) in body
    assert round.title in body


def test_the_start_page_shows_a_missing_report_an_award_to_accept_and_payments(client_for, cast):
    _round, application, decision = _decided(cast)
    obligation = ReportObligation.objects.get(
        organisation=cast.kommune_a, round=_round
    )  # made by the approval
    ReportObligation.objects.filter(pk=obligation.pk).update(due=timezone.now() - timedelta(days=1))
    body = client_for(cast.signer_a).get("/").content.decode()
    assert reverse("reporting:report_obligation", args=[obligation.pk]) in body
    assert reverse("applications:application_detail", args=[application.pk]) + "#decision" in body
    assert "Ta imot tildelingen" in body  # the signer's next step
    assert f"Rapporten om tilskuddet fra {_round.title} hadde frist" in body  # each alert names its round
    assert f"i {_round.title}. Tildelingen må aksepteres" in body

    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    accepted = client_for(cast.signer_a).get("/").content.decode()
    assert f"Akseptert {timezone.localdate():%d.%m.%Y}; venter på utbetaling" in accepted
    issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=date(2027, 5, 2), amount=100_000)
    body = client_for(cast.applicant_a).get("/").content.decode()
    assert "02.05.2027" in body and "100\u00a0000\u00a0kr" in body
    assert f"02.05.2027: 100\u00a0000\u00a0kr ({_round.title})" in body  # the payment names its round
    assert "<td>Delvis utbetalt</td>" in body and "<td>Utbetalt</td>" not in body
    assert "Ta imot tildelingen" not in body


def test_the_case_officers_start_page_counts_what_waits_in_each_round(client_for, cast):
    round, _application, _decision = _decided(cast, approve=False)
    body = client_for(cast.approver_t).get("/").content.decode()
    # the approver's next step is the confirmation page of the round's decisions
    assert reverse("decisions:decisions_approve_all", args=[round.pk]) in body
    officer = client_for(cast.officer_t).get("/").content.decode()
    assert reverse("assessment:allocation", args=[round.pk]) in officer  # three measures to assess
    assert "3 tiltak venter på vurdering" in officer


def test_measures_no_longer_wait_for_assessment_once_their_decision_is_approved(client_for, cast):
    round, _application, _decision = _decided(cast, approve=False)
    allocation = reverse("assessment:allocation", args=[round.pk])
    prepared = client_for(cast.officer_t).get("/").content.decode()
    assert (
        "3 tiltak venter på vurdering" in prepared and allocation in prepared
    )  # a draft decision may go back
    decisions.approve_round(round=round, by=cast.approver_t)
    approved = client_for(cast.officer_t).get("/").content.decode()
    assert round.title in approved
    assert "venter på vurdering" not in approved  # decided: nothing waits for an assessment any more


def test_start_pages_make_the_same_number_of_queries_however_much_there_is(client_for, cast):
    round = make_round(cast.office_t)
    make_application(round, cast.kommune_a, by=cast.signer_a)

    years = iter(range(2030, 2060))

    def grow():
        """Two more closed rounds, each with applications, lines, decisions, payments and reports."""
        from tilskudd.applications.models import Application, Status
        from tilskudd.decisions.models import DecisionLine, Payment
        from tilskudd.settlement.models import CarryOver, RepaymentClaim

        for kommune in ("5006", "5007"):
            other = make_round(cast.office_t, year=next(years), deadline=timezone.now() - timedelta(days=400))
            org = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer=kommune)
            for organisation in (cast.kommune_a, org):
                ReportObligation.objects.create(
                    organisation=organisation, round=other, awarded=1, due=timezone.now()
                )
                application = Application.objects.create(
                    round=other,
                    organisation=organisation,
                    status=Status.SUBMITTED,
                    submitted_at=timezone.now(),
                    snapshot={"lines": []},
                )
                Line.objects.create(
                    application=application, kind="competence", rank=1, title="Demens", amount_applied=10
                )
                decision = Decision.objects.create(
                    application=application,
                    outcome="granted",
                    granted=10,
                    applied=10,
                    scenario_name="Forslag",
                    appeal_text="-",
                    prepared_by=cast.officer_t,
                    approved_by=cast.approver_t,
                    approved_at=timezone.now(),
                )
                Payment.objects.create(
                    decision=decision, paid_on=date(2030, 1, 1), amount=5, recorded_by=cast.officer_t
                )
                # after the award: a carry-over to account for, one to assess, an overdue claim (issue 12)
                award_line = DecisionLine.objects.create(
                    decision=decision,
                    line=application.lines.get(),
                    rank=1,
                    kind="competence",
                    title="Demens",
                    applied=10,
                    granted=10,
                )
                first = CarryOver.objects.create(
                    decision=decision,
                    line=award_line,
                    amount=2,
                    from_year=2020,
                    to_year=2021,
                    state="approved",
                )
                CarryOver.objects.create(
                    decision=decision,
                    line=award_line,
                    parent=first,
                    generation=2,
                    amount=1,
                    from_year=2021,
                    to_year=2022,
                    state="requested",
                )
                RepaymentClaim.objects.create(
                    decision=decision,
                    amount=3,
                    account_number="12345678903",
                    reference="18",
                    due_on=date(2020, 1, 1),
                    sent_by=cast.officer_t,
                    sha256="0" * 64,
                )

    assert_queries_constant(client_for(cast.signer_a), "/", grow)
    assert_queries_constant(client_for(cast.officer_t), "/", grow)
    assert_queries_constant(client_for(cast.approver_t), "/", grow)


def _reference_counts(round_ids, user, now):
    """The office page's counts per round as the ORM gives them (what _round_counts writes out in SQL)."""
    from django.db.models import Count, Exists, OuterRef, Q, Sum
    from django.db.models.functions import Coalesce

    from tilskudd.applications.models import Application, Status
    from tilskudd.decisions.models import Payment
    from tilskudd.domain.ledger import Account
    from tilskudd.home.overview import DUE_SOON
    from tilskudd.settlement.models import CarryOver, RepaymentClaim

    approved = Q(decision__approved_at__isnull=False)
    pending = Q(decision__isnull=False, decision__approved_at__isnull=True)
    granted = approved & Q(decision__granted__gt=0)
    paid = Exists(Payment.objects.filter(decision=OuterRef("decision")))
    counts = {
        row.pop("round"): row
        for row in Application.objects.filter(round__in=round_ids)
        .order_by()
        .values("round")
        .annotate(
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            drafts=Count("pk", filter=Q(status=Status.DRAFT)),
            undecided=Count("pk", filter=Q(status=Status.SUBMITTED, decision__isnull=True)),
            pending=Count("pk", filter=pending),
            pending_for_me=Count("pk", filter=pending & ~Q(decision__prepared_by=user)),
            approved=Count("pk", filter=approved),
            letters_pending=Count(
                "pk",
                filter=approved
                & (Q(decision__letter__isnull=True) | Q(decision__letter__notified_at__isnull=True)),
            ),
            not_accepted=Count("pk", filter=granted & Q(decision__acceptance__isnull=True)),
            to_pay=Count("pk", filter=granted & Q(decision__acceptance__isnull=False) & ~paid),
        )
    }
    for round_id in round_ids:
        row = counts.setdefault(round_id, {})
        row["to_assess"] = (
            Line.objects.filter(
                application__round=round_id, application__status=Status.SUBMITTED, assessment__isnull=True
            )
            .exclude(application__decision__approved_at__isnull=False)
            .count()
        )
        unreported = ReportObligation.objects.unreported().filter(round=round_id)
        row["reports_overdue"] = unreported.filter(due__lt=now).count()
        row["reports_due_soon"] = unreported.filter(due__gte=now, due__lte=now + DUE_SOON).count()
        row["carry_overs_to_assess"] = CarryOver.objects.filter(
            decision__application__round=round_id, state="requested"
        ).count()
        claims = RepaymentClaim.objects.filter(
            decision__application__round=round_id, due_on__lt=timezone.localdate(now)
        ).annotate(settled=Coalesce(Sum("entries__amount", filter=Q(entries__source=Account.OWED)), 0))
        row["claims_overdue"] = sum(claim.amount > claim.settled for claim in claims)
    return counts


def test_the_office_pages_counts_written_in_sql_are_the_orms_on_every_stage(cast):
    """Issue 13: the office start page counts what waits with one statement of SQL; on a round with an
    application at every stage (and reports, carry-overs and claims in every state), each count is
    what the ORM counts, for the case officer and for the approver (R10's four eyes: "for me")."""
    from tilskudd.applications.models import Application, Status
    from tilskudd.assessment.models import Assessment
    from tilskudd.decisions.models import Acceptance, DecisionLine, Letter, Payment
    from tilskudd.home.overview import COUNTS, _round_counts
    from tilskudd.settlement.models import CarryOver, Entry, RepaymentClaim

    now = timezone.now()
    kommuner = iter(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__office=cast.office_t))
    rounds = [
        make_round(cast.office_t, year=2030),
        make_round(cast.office_t, year=2031),
        make_round(cast.office_t, year=2032),
    ]
    one, two, _empty = rounds

    def application(round, status=Status.SUBMITTED, lines=2, assessed=0):
        submitted = status == Status.SUBMITTED
        made = Application.objects.create(
            round=round,
            organisation=next(kommuner),
            status=status,
            submitted_at=now if submitted else None,
            snapshot={"lines": []} if submitted else None,
        )
        for rank in range(lines):
            line = Line.objects.create(
                application=made, kind="competence", rank=rank + 1, title="Demens", amount_applied=10
            )
            if rank < assessed:
                Assessment.objects.create(line=line, assessed_by=cast.officer_t)
        return made

    def decision(
        round, *, by=cast.officer_t, approved=True, granted=10, letter=None, accepted=False, paid=False
    ):
        made = Decision.objects.create(
            application=application(round, assessed=1),
            outcome="granted" if granted else "refused",
            granted=granted,
            applied=10,
            scenario_name="Forslag",
            appeal_text="-",
            prepared_by=by,
            approved_by=cast.approver_t if approved else None,
            approved_at=now if approved else None,
        )
        if letter is not None:
            Letter.objects.create(decision=made, language="nb", sha256="0" * 64, size=1, notified_at=letter)
        if accepted:
            Acceptance.objects.create(decision=made, account_number="12345678903", accepted_by=cast.signer_a)
        if paid:
            Payment.objects.create(
                decision=made, paid_on=date(2030, 1, 1), amount=5, recorded_by=cast.officer_t
            )
        return made

    application(one, status=Status.DRAFT)
    application(one, lines=3, assessed=1)  # two measures wait
    application(two, lines=1, assessed=1)  # nothing waits
    decision(one, approved=False)  # pending, for the approver
    decision(one, by=cast.approver_t, approved=False)  # pending, not for the approver
    decision(one)  # no letter, not accepted
    decision(one, letter=now, accepted=True)  # to pay
    decision(one, letter=None, accepted=True, paid=True)
    decision(one, granted=0, letter=now)  # refused: nothing to accept
    owing = decision(two, letter=now, accepted=True, paid=True)
    award_line = DecisionLine.objects.create(
        decision=owing,
        line=owing.application.lines.first(),
        rank=1,
        kind="competence",
        title="Demens",
        applied=10,
        granted=10,
    )
    for state in ("requested", "approved", "requested"):
        CarryOver.objects.create(
            decision=owing, line=award_line, amount=1, from_year=2030, to_year=2031, state=state
        )
    for due_on, back in (
        (date(2020, 1, 1), 0),
        (date(2020, 1, 1), 3),
        (date(2020, 1, 1), 1),
        (date(2099, 1, 1), 0),
    ):
        claim = RepaymentClaim.objects.create(
            decision=owing,
            amount=3,
            account_number="12345678903",
            reference="18",
            due_on=due_on,
            sent_by=cast.officer_t,
            sha256="0" * 64,
        )
        if back:
            Entry.objects.create(
                decision=owing, line=award_line, source="owed", target="returned", amount=back, claim=claim
            )
    for round, due, written in (
        (one, now - timedelta(days=1), False),
        (one, now - timedelta(days=3), False),
        (one, now - timedelta(days=3), True),
        (one, now + timedelta(days=10), False),
        (one, now + timedelta(days=60), False),
        (two, now + timedelta(days=20), False),
    ):
        ReportObligation.objects.create(
            organisation=next(kommuner),
            round=round,
            awarded=1,
            due=due,
            written_off_at=now if written else None,
        )

    ids = [round.pk for round in rounds]
    for user in (cast.officer_t, cast.approver_t):
        written = _round_counts(ids, user, now, timezone.localdate(now))
        reference = _reference_counts(ids, user, now)
        for round_id in ids:
            expected = {name: reference[round_id].get(name, 0) for name in COUNTS}
            assert written[round_id] == expected, (user, round_id)
    counted = _round_counts(ids, cast.officer_t, now, timezone.localdate(now))[one.pk]
    # the data has every stage in it, so the comparison above compares something
    assert all(counted[name] for name in COUNTS if name not in ("carry_overs_to_assess", "claims_overdue"))
    assert _round_counts(ids, cast.officer_t, now, timezone.localdate(now))[two.pk]["claims_overdue"] == 2


# 4. Errors lead to the field ------------------------------------------------------------------


def test_the_line_page_reached_from_the_submit_check_marks_the_missing_fields(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.signer_a, kinds=("innovation",))
    line = application.lines.get()
    line.criteria_answers = {**line.criteria_answers, "novelty": ""}
    line.purpose = ""
    line.save()
    client = client_for(cast.signer_a)
    check = client.get(reverse("applications:application_submit", args=[application.pk])).content.decode()
    href = reverse("applications:line_edit", args=[application.pk, line.pk]) + "?check=1#id_purpose"
    assert href in check
    page = client.get(href.split("#")[0]).content.decode()
    purpose = re.search(r'<textarea[^>]*id="id_purpose"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in purpose
    assert 'id="id_purpose_error"' in page and 'id="id_criterion_novelty_error"' in page
    assert 'id="id_criterion_needs_error"' not in page  # answered criteria are not marked
    # without the check the page is as the applicant left it
    assert "aria-invalid" not in client.get(href.split("?")[0]).content.decode()


def test_a_refused_acceptance_shows_the_error_summary_at_the_top(client_for, cast):
    _round, application, _decision = _decided(cast)
    url = reverse("decisions:decision_accept", args=[application.pk])
    response = client_for(cast.signer_a).post(
        url, {"accept_conditions": "on", "account_number": "1234 56 78904"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    summary = body.index('class="ds-error-summary"')
    assert summary < body.index('id="decision"') and summary < body.index('id="contact-heading"') + 10**6
    assert 'href="#id_account_number"' in body
    # reloading the address later (a GET) goes to the decision, never a 405
    again = client_for(cast.signer_a).get(url)
    assert again.status_code == 302
    assert (
        again["Location"] == reverse("applications:application_detail", args=[application.pk]) + "#decision"
    )


def test_no_route_answers_a_get_with_405_to_those_who_may_use_it(client, cast, targets):  # noqa: F811
    """Every POST-only action answers a reload by sending the person to its page."""
    members = cast.members()
    for route in ROUTES:
        used = [_target(targets, k) for k in route.kwargs]
        url = reverse(route.name, kwargs={k: _target(targets, k).value for k in route.kwargs})
        related = frozenset.intersection(*(t.related for t in used)) if used else frozenset(members)
        for name in sorted(related)[:3]:
            client.force_login(members[name])
            status = client.get(url).status_code
            assert status != 405, f"{name}: GET {url} ({route.name}) answered 405"


# 7. Approval shows what is approved ----------------------------------------------------------


def test_R10_the_approver_sees_the_summary_and_every_override_before_approving(client_for, cast):
    round, _application, decision = _decided(cast, approve=False, override=("bpa", 10_000, "Halv gruppe"))
    client = client_for(cast.approver_t)
    url = reverse("decisions:decisions_approve_all", args=[round.pk])
    page = client.get(url).content.decode()
    decision.refresh_from_db()
    assert not decision.is_approved, "looking never approves"
    assert "Halv gruppe" in page and "10\u00a0000\u00a0kr" in page
    assert f'value="{decision.pk}"' in page
    assert "Innvilget i alt" in page
    response = client.post(url, {"decisions": str(decision.pk)})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.is_approved


def test_R10_a_decision_prepared_again_after_the_summary_is_not_approved_unseen(client_for, cast):
    round, application, decision = _decided(cast, approve=False)
    shown = decision.pk
    scenario = round.scenarios.get()
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)  # a new id
    client_for(cast.approver_t).post(
        reverse("decisions:decisions_approve_all", args=[round.pk]), {"decisions": str(shown)}
    )
    assert not Decision.objects.get(application=application).is_approved


def test_R10_the_summary_shows_amounts_that_changed_since_the_decisions_were_prepared(client_for, cast):
    round, application, _decision = _decided(cast, approve=False)
    line = application.lines.get(kind="competence")
    assessment.assess_line(
        line=line,
        by=cast.officer_t,
        data={"eligible": False, "ineligible_reason": "Ordinær drift", "scores": {}},
        version=None,
    )
    page = (
        client_for(cast.approver_t)
        .get(reverse("decisions:decisions_approve_all", args=[round.pk]))
        .content.decode()
    )
    assert line.title in page.split('id="changes-heading"')[1].split('id="overrides-heading"')[0]


def test_R10_approving_one_decision_shows_the_case_first(client_for, cast):
    round, _application, decision = _decided(cast, approve=False)
    url = reverse("decisions:decision_approve", args=[round.pk, decision.pk])
    page = client_for(cast.approver_t).get(url).content.decode()
    for line in decision.lines.all():
        assert line.title in page
    decision.refresh_from_db()
    assert not decision.is_approved
    client_for(cast.approver_t).post(url)
    decision.refresh_from_db()
    assert decision.is_approved


def test_approving_one_decision_reads_its_lines_and_the_rounds_lines_once(client_for, cast):
    round, _application, decision = _decided(cast, approve=False)
    url = reverse("decisions:decision_approve", args=[round.pk, decision.pk])
    client = client_for(cast.approver_t)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "decisions_decisionline"' in q for q in sql) == 1
    assert sum('FROM "applications_line"' in q for q in sql) == 1


def test_preparing_again_is_not_offered_after_approval(client_for, cast):
    round, _application, _decision = _decided(cast)
    page = (
        client_for(cast.officer_t).get(reverse("decisions:round_decisions", args=[round.pk])).content.decode()
    )
    assert reverse("decisions:decisions_prepare", args=[round.pk]) not in page


def test_preparing_again_is_offered_after_a_partial_approval(client_for, cast):
    """The approval summary asks for preparing again after a partial approval: the page must offer it."""
    round = make_round(cast.office_t, carried_over_funds=0)
    first = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve(decision=Decision.objects.get(application=first), by=cast.approver_t)
    page = client_for(cast.officer_t).get(reverse("decisions:round_decisions", args=[round.pk]))
    assert reverse("decisions:decisions_prepare", args=[round.pk]) in page.content.decode()


# 3. Designsystemet everywhere -----------------------------------------------------------------


def test_the_login_page_has_designsystemet_inputs_says_who_gives_accounts_and_links_to_reset(
    client, reference_data
):
    page = client.get(reverse("accounts:login")).content.decode()
    for name in ("username", "password"):
        assert re.search(
            rf'<input[^>]*class="ds-input"[^>]*name="{name}"|<input[^>]*name="{name}"[^>]*class="ds-input"',
            page,
        )
    assert reverse("accounts:password_reset") in page
    assert "Statsforvalteren" in page.split("<main")[1]


def test_required_fields_are_never_labelled_optional(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.signer_a, kinds=("innovation",))
    line = application.lines.get()
    page = client_for(cast.signer_a).get(reverse("applications:line_edit", args=[application.pk, line.pk]))
    body = page.content.decode()
    for criterion in ("needs", "novelty"):
        label = re.search(rf'<label[^>]*for="id_criterion_{criterion}"[^>]*>(.*?)</label>', body, re.S).group(
            1
        )
        assert "valgfritt" not in label


def test_the_payment_date_is_typed_the_norwegian_way(client_for, cast):
    round, application, decision = _decided(cast)
    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    client = client_for(cast.officer_t)
    url = reverse("decisions:round_payments", args=[round.pk])
    page = client.get(url).content.decode()
    assert 'type="date"' not in page
    assert timezone.localdate().strftime("%d.%m.%Y") in page
    client.post(url, {"decision": decision.pk, "paid_on": "02.05.2027", "amount": "1 000"})
    assert decision.payments.get().paid_on == date(2027, 5, 2)
    refused = client.post(url, {"decision": decision.pk, "paid_on": "2027-13-45", "amount": "1 000"})
    assert refused.status_code == 400 and "dd.mm.åååå" in refused.content.decode()


def test_assessment_scores_are_radio_groups(client_for, cast):
    round = make_round(cast.office_t)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    line = application.lines.get(kind="innovation")
    page = (
        client_for(cast.officer_t)
        .get(reverse("assessment:line_assess", args=[round.pk, line.pk]))
        .content.decode()
    )
    assert (
        page.count('type="radio" name="score_novelty"') == round.score_scale_max + 2
    )  # 0–5 and "not scored"
    assert "<select" not in page.split("score_")[1][:200]


# 6. What was sent can be kept -----------------------------------------------------------------


def test_the_check_page_and_the_receipt_show_everything_submitted(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(
        round, cast.kommune_a, by=cast.signer_a, kinds=("competence", "innovation")
    )
    application.partners = "Frivilligsentralen i Trondheim"
    application.save()
    client = client_for(cast.signer_a)
    check = client.get(reverse("applications:application_submit", args=[application.pk])).content.decode()
    for text in (
        "Kari Kontakt",
        "kari@kommune.example",
        "Leif Leder",
        "Frivilligsentralen i Trondheim",
        "Psykisk helse og rus",
        "Prøve ut fleksible avlastningsmodeller.",
        "Svar om novelty",
    ):
        assert text in check, text
    from tilskudd.applications import services

    services.submit(application=application, by=cast.signer_a)
    receipt = client.get(reverse("applications:application_receipt", args=[application.pk])).content.decode()
    for text in ("Kari Kontakt", "Frivilligsentralen i Trondheim", "Psykisk helse og rus", "Svar om novelty"):
        assert text in receipt, text


def test_a_new_line_left_empty_with_cancel_is_removed(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.signer_a, kinds=())
    client = client_for(cast.signer_a)
    response = client.post(reverse("applications:line_add", args=[application.pk]), {"kind": "competence"})
    line = Line.objects.get(application=application)
    assert "?new=1" in response["Location"]
    client.post(reverse("applications:line_cancel", args=[application.pk, line.pk]))
    assert not Line.objects.filter(application=application).exists()
    # a line with something typed in is kept
    client.post(reverse("applications:line_add", args=[application.pk]), {"kind": "competence"})
    line = Line.objects.get(application=application)
    client.post(reverse("applications:line_edit", args=[application.pk, line.pk]), {"title": "Demens"})
    client.post(reverse("applications:line_cancel", args=[application.pk, line.pk]))
    assert Line.objects.filter(application=application).exists()


@pytest.fixture(autouse=True)
def _nb(settings):
    settings.LANGUAGE_CODE = "nb"


# 8. The allocation screen ---------------------------------------------------------------------


def test_the_allocation_page_filters_by_kind_and_applicant_and_groups_by_applicant(client_for, cast):
    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    url = reverse("assessment:allocation", args=[round.pk])
    client = client_for(cast.officer_t)
    page = client.get(url, {"kind": "bpa"}).content.decode()
    for line in application.lines.all():
        assert (f'id="line-{line.pk}"' in page) == (line.kind == "bpa"), line.kind
    assert 'id="line-' not in client.get(url, {"q": "Bodø"}).content.decode()
    grouped = client.get(url, {"group": "applicant"}).content.decode()
    assert grouped.count('class="group-row"') == 1 and cast.kommune_a.name in grouped


def test_a_scenario_that_leaves_money_unspent_says_why(client_for, cast):
    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)  # 850 000 applied
    page = client_for(cast.officer_t).get(reverse("assessment:allocation", args=[round.pk])).content.decode()
    assert (
        "1\u00a0150\u00a0000\u00a0kr kan ikke fordeles fordi de støtteberettigede tiltakene ber om mindre"
        in page
    )


def test_the_comparison_has_a_totals_row_and_can_show_unchanged_applicants(client_for, cast):
    round = make_round(cast.office_t, fresh_funds=500_000, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa"))
    base = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    other = assessment.create_scenario(
        round=round,
        by=cast.officer_t,
        name="Samme",
        tier_policy={},
        min_amount=0,
        max_amount=None,
        applicant_cap=None,
        kind_share_caps={},
        prioritised_themes=[],
    )
    url = reverse("assessment:allocation", args=[round.pk])
    client = client_for(cast.officer_t)
    page = client.get(url, {"scenario": other.pk, "compare": base.pk}).content.decode()
    table = page.split("Hvem vinner og hvem taper")[1].split("</table>")[0]
    assert "<tfoot>" in table and "100\u00a0000\u00a0kr" in table.split("<tfoot>")[1]
    assert cast.kommune_a.name not in table.split("<tfoot>")[0]  # nobody changed: hidden by default
    shown = client.get(url, {"scenario": other.pk, "compare": base.pk, "unchanged": "1"}).content.decode()
    assert cast.kommune_a.name in shown.split("Hvem vinner og hvem taper")[1].split("<tfoot>")[0]
