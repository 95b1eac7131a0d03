"""After the award (issue 12): the ledger of each award, carry-over (R12) and repayment (R14)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from tests.helpers import assert_queries_constant
from tests.test_reporting import _pdf, award, fill
from tilskudd.caselog.models import Entry as LogEntry
from tilskudd.domain import ledger
from tilskudd.domain.identifiers import is_valid_kid
from tilskudd.domain.ledger import Account, Movement
from tilskudd.reporting import services as reporting
from tilskudd.settlement import services
from tilskudd.settlement.models import CarryOver, CarryOverState, Entry
from tilskudd.settlement.selectors import carried_total, round_overview

pytestmark = pytest.mark.django_db
ACCOUNT = "12345678903"  # MOD11-valid
CARRY, REPAY = "carry_over", "repay"
THIS_YEAR = timezone.localdate().year


def reported(cast, *, unused: dict[int, tuple[int, str]] | None = None, approve=True, paid=True, **kwargs):
    """An award to Trondheim whose report is submitted (and approved): every line used in full, except
    ``unused``: {line position: (amount unused, choice)}."""
    decision = award(cast, **kwargs)
    if paid:  # accepted and paid in full, as awards are before their report
        from tilskudd.decisions import issuing

        issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
        issuing.record_payment(
            decision=decision,
            by=cast.officer_t,
            paid_on=issuing.payment_window(decision)[0],
            amount=decision.granted,
        )
    obligation = decision.report_obligation
    fill(obligation, cast.signer_a)
    lines = list(obligation.lines.order_by("rank", "pk"))
    values = {}
    for position, (amount, choice) in (unused or {}).items():
        line = lines[position]
        values[line.pk] = {
            "used": line.granted - amount,
            "unused": amount,
            "unused_choice": choice,
            "carry_over_reason": "Kurset ble utsatt til våren." if choice == CARRY else "",
        }
    if values:
        obligation = reporting.update_report(obligation=obligation, by=cast.signer_a, values=values)
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    obligation, _ = reporting.submit_report(obligation=obligation, by=cast.signer_a)
    if approve:
        obligation = reporting.approve_report(obligation=obligation, by=cast.officer_t)
    decision.refresh_from_db()
    return decision


def totals(decision):
    return services.ledger_of(decision).totals


def assert_adds_up(decision):
    current = services.ledger_of(decision)
    for line in current.lines:
        accounts = current.line_accounts(line.pk)
        assert all(amount >= 0 for amount in accounts.values())
    assert sum(current.totals.values()) == current.granted


# --- The ledger's rule, for any sequence of operations -------------------------------------------------


operations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # line
        st.sampled_from(sorted(ledger.ALLOWED | {(Account.UNSETTLED, Account.UNSETTLED)})),
        st.integers(min_value=1, max_value=400_000),
        st.integers(min_value=0, max_value=2),  # to line, for a move between lines
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(granted=st.lists(st.integers(min_value=1, max_value=500_000), min_size=3, max_size=3), ops=operations)
def test_the_ledger_always_adds_up_and_nothing_goes_negative(granted, ops):
    """granted = unsettled + used + carried over + owed + repaid + written off, after any sequence of
    allowed operations; a refused operation changes nothing."""
    balances = ledger.opening(dict(enumerate(granted)))
    for line, (source, target), amount, to_line in ops:
        movement = Movement(line, source, target, amount, to_line if source == target else None)
        before = {k: dict(v) for k, v in balances.items()}
        try:
            ledger.apply(balances, movement)
        except ledger.Refused:
            assert balances == before
        for accounts in balances.values():
            assert all(value >= 0 for value in accounts.values())
        assert sum(sum(accounts.values()) for accounts in balances.values()) == sum(granted)


def test_the_ledger_refuses_what_the_rules_do_not_allow():
    balances = ledger.opening({1: 100, 2: 50})
    with pytest.raises(ledger.Refused):
        ledger.apply(
            balances, Movement(1, Account.USED, Account.UNSETTLED, 10)
        )  # used money does not come back
    with pytest.raises(ledger.Refused):
        ledger.apply(balances, Movement(1, Account.UNSETTLED, Account.USED, 101))  # overdraws
    with pytest.raises(ledger.Refused):
        ledger.apply(balances, Movement(1, Account.OWED, Account.UNSETTLED, 1, to_line=2))
    ledger.apply(balances, Movement(1, Account.UNSETTLED, Account.UNSETTLED, 40, to_line=2))
    assert balances == {1: {Account.UNSETTLED: 60}, 2: {Account.UNSETTLED: 90}}


# --- From the approved report ----------------------------------------------------------------------


def test_R12_approving_the_report_books_the_used_money_and_carries_the_unused_over_by_rule(cast):
    decision = reported(cast, unused={0: (50_000, CARRY)})
    sums = totals(decision)
    assert sums[Account.CARRIED] == 50_000
    assert sums[Account.USED] == decision.granted - 50_000
    assert sums[Account.UNSETTLED] == sums[Account.OWED] == 0
    carry = CarryOver.objects.get(decision=decision)
    assert (carry.state, carry.by_rule, carry.generation) == (CarryOverState.APPROVED, True, 1)
    assert (carry.from_year, carry.to_year) == (2027, 2028)
    assert carry.request_reason == "Kurset ble utsatt til våren."
    assert LogEntry.objects.filter(kind="money_settled", subject_id=decision.pk).exists()
    assert_adds_up(decision)


def test_R14_unused_money_the_report_says_to_repay_is_owed(cast):
    decision = reported(cast, unused={1: (30_000, REPAY)})
    assert totals(decision)[Account.OWED] == 30_000
    assert not CarryOver.objects.exists()


def test_R12_a_report_registered_from_paper_leaves_the_money_unsettled(cast):
    decision = award(cast)
    obligation = decision.report_obligation
    reporting.register_paper_report(
        obligation=obligation, by=cast.officer_t, received_on=timezone.localdate(), note="Kom i posten."
    )
    reporting.approve_report(obligation=obligation, by=cast.officer_t)
    assert totals(decision)[Account.UNSETTLED] == decision.granted
    assert not Entry.objects.exists()


def test_R12_booking_the_report_is_part_of_the_approval(cast, monkeypatch):
    decision = reported(cast, unused={0: (50_000, CARRY)}, approve=False)

    def broken(**kwargs):
        raise RuntimeError("the ledger is down")

    monkeypatch.setattr("tilskudd.settlement.handlers.settle_from_report", broken)
    with pytest.raises(RuntimeError):
        reporting.approve_report(obligation=decision.report_obligation, by=cast.officer_t)
    decision.report_obligation.refresh_from_db()
    assert decision.report_obligation.approved_at is None


# --- Carry-over (R12) ------------------------------------------------------------------------------


def test_R12_the_office_refuses_a_first_carry_over_with_a_reason_and_the_money_is_owed(cast):
    decision = reported(cast, unused={0: (50_000, CARRY)})
    carry = CarryOver.objects.get(decision=decision)
    with pytest.raises(ValidationError):
        services.refuse_carry_over(carry_over=carry, by=cast.officer_t, reason=" ")
    with pytest.raises(PermissionDenied):
        services.refuse_carry_over(carry_over=carry, by=cast.officer_n, reason="Nei.")
    services.refuse_carry_over(carry_over=carry, by=cast.officer_t, reason="Tiltaket er avsluttet.")
    carry.refresh_from_db()
    assert carry.state == CarryOverState.REFUSED
    assert totals(decision)[Account.OWED] == 50_000
    assert totals(decision)[Account.CARRIED] == 0
    with pytest.raises(services.WrongState):
        services.refuse_carry_over(carry_over=carry, by=cast.officer_t, reason="Igjen.")
    assert_adds_up(decision)


def test_R12_a_further_carry_over_waits_for_an_individual_assessment_of_delay_and_likelihood(cast):
    decision = reported(cast, unused={0: (50_000, CARRY)}, year=THIS_YEAR - 1)  # carried into this year
    first = CarryOver.objects.get(decision=decision)
    with pytest.raises(PermissionDenied):
        services.report_carried_money(
            carry_over=first, by=cast.applicant_a, used=0, carry_again=True, reason="x"
        )
    with pytest.raises(ValidationError) as refused:
        services.report_carried_money(
            carry_over=first, by=cast.signer_a, used=20_000, carry_again=True, reason=""
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.report_carried_money(carry_over=first, by=cast.signer_a, used=60_000, carry_again=False)
    further = services.report_carried_money(
        carry_over=first, by=cast.signer_a, used=20_000, carry_again=True, reason="Pandemien stengte kurset."
    )
    assert (further.generation, further.amount, further.from_year, further.to_year) == (
        2,
        30_000,
        THIS_YEAR,
        THIS_YEAR + 1,
    )
    assert further.state == CarryOverState.REQUESTED
    assert totals(decision)[Account.USED] == decision.granted - 30_000
    assert totals(decision)[Account.CARRIED] == 30_000
    with pytest.raises(ValidationError) as refused:
        services.assess_further_carry_over(
            carry_over=further, by=cast.officer_t, approve=True, delay="", likelihood=""
        )
    assert {"delay", "likelihood"} <= set(refused.value.message_dict)
    services.assess_further_carry_over(
        carry_over=further,
        by=cast.officer_t,
        approve=True,
        delay="Forsinkelsen skyldes pandemien.",
        likelihood="Kurset er bestilt for 2029; sannsynlig.",
    )
    further.refresh_from_db()
    assert further.state == CarryOverState.APPROVED and further.likelihood_assessment
    assert carried_total(cast.office_t.pk, THIS_YEAR + 1) == 30_000
    assert_adds_up(decision)


def test_R12_a_refused_further_carry_over_is_owed_back(cast):
    decision = reported(cast, unused={0: (50_000, CARRY)}, year=THIS_YEAR - 1)
    first = CarryOver.objects.get(decision=decision)
    further = services.report_carried_money(
        carry_over=first, by=cast.signer_a, used=0, carry_again=True, reason="Ikke startet."
    )
    with pytest.raises(ValidationError):  # refusing needs its reason
        services.assess_further_carry_over(
            carry_over=further, by=cast.officer_t, approve=False, delay="Ingen god grunn.", likelihood="Lav."
        )
    services.assess_further_carry_over(
        carry_over=further,
        by=cast.officer_t,
        approve=False,
        delay="Ingen god grunn.",
        likelihood="Lav.",
        reason="Vilkårene for videre overføring er ikke oppfylt.",
    )
    assert totals(decision)[Account.OWED] == 50_000
    assert_adds_up(decision)


def test_R12_carried_over_funds_show_on_the_next_rounds_page_tied_to_their_award(client_for, cast):
    from tests.factories import make_round

    decision = reported(cast, unused={0: (50_000, CARRY)})
    next_round = make_round(cast.office_t, year=2028, fresh_funds=36_110_000)
    page = client_for(cast.officer_t).get(reverse("rounds:round_manage", args=[next_round.pk]))
    body = page.content.decode()
    assert 'id="carried-funds"' in body
    assert "50\u00a0000" in body and "36\u00a0110\u00a0000" in body
    assert reverse("settlement:award", args=[decision.application_id]) in body


# --- Repayment (R14) -------------------------------------------------------------------------------


def test_R14_a_claim_letter_with_kid_partial_repayments_never_more_than_owed(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.signer_a.email = "signer@trondheim.example"
    cast.signer_a.save()
    decision = reported(cast, unused={1: (30_000, REPAY)})
    with pytest.raises(ValidationError):
        services.send_claim(decision=decision, by=cast.officer_t, account_number="12345678900")
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.send_claim(decision=decision, by=cast.officer_t, account_number="1234 56 78903")
    assert claim.amount == 30_000 and is_valid_kid(claim.reference)
    assert claim.due_on == timezone.localdate() + timedelta(days=30)
    assert claim.letter.read(5) == b"%PDF-" and len(claim.sha256) == 64
    assert len(mailoutbox) == 1 and claim.reference in mailoutbox[0].body
    with pytest.raises(services.WrongState):  # everything owed is claimed
        services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    today = timezone.localdate()
    services.record_repayment(claim=claim, by=cast.officer_t, amount=10_000, paid_on=today)
    with pytest.raises(ValidationError) as refused:
        services.record_repayment(claim=claim, by=cast.officer_t, amount=20_001, paid_on=today)
    assert "amount" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.record_repayment(claim=claim, by=cast.officer_t, amount=1, paid_on=today + timedelta(days=1))
    assert services.claim_outstanding(claim) == 20_000
    sums = totals(decision)
    assert (sums[Account.OWED], sums[Account.REPAID]) == (20_000, 10_000)
    services.write_off_debt(
        claim=claim, by=cast.officer_t, amount=5_000, reason="Beløpet er brukt etter avtale."
    )
    assert totals(decision)[Account.WRITTEN_OFF] == 5_000
    assert services.claim_outstanding(claim) == 15_000
    assert_adds_up(decision)


def test_R14_a_reminder_only_for_an_overdue_claim_that_is_not_paid(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.signer_a.email = "signer@trondheim.example"
    cast.signer_a.save()
    decision = reported(cast, unused={1: (30_000, REPAY)})
    claim = services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    with pytest.raises(services.WrongState):
        services.remind_claim(claim=claim, by=cast.officer_t)
    type(claim).objects.filter(pk=claim.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_claim(claim=claim, by=cast.officer_t)
    claim.refresh_from_db()
    assert claim.reminders == 1
    assert any("30\u00a0000" in message.body or "30 000" in message.body for message in mailoutbox)


def test_R14_the_office_overview_totals_and_the_finance_export(client_for, cast):
    decision = reported(cast, unused={0: (50_000, CARRY), 1: (30_000, REPAY)})
    claim = services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    services.record_repayment(claim=claim, by=cast.officer_t, amount=10_000, paid_on=timezone.localdate())
    round = decision.application.round
    overview = round_overview(round)
    assert overview.totals[Account.CARRIED] == 50_000
    assert overview.totals[Account.OWED] == 20_000
    assert overview.totals[Account.REPAID] == 10_000
    assert overview.outstanding == 20_000
    client = client_for(cast.officer_t)
    page = client.get(reverse("settlement:round_settlement", args=[round.pk]))
    assert page.status_code == 200
    assert "Trondheim" in page.content.decode() and "<svg" in page.content.decode()
    export = client.get(reverse("settlement:round_settlement_export", args=[round.pk]))
    workbook = load_workbook(BytesIO(export.content))
    awards, claims = workbook.worksheets
    assert [c.value for c in awards[2]][3] == decision.granted
    assert claims[2][2].value == claim.reference and claims[2][4].value == 20_000


def another_award_with_money_owed(cast, round, organisation):
    """A second approved award in the same round, with money owed and claimed (made directly)."""
    from tilskudd.applications.models import Application, Line
    from tilskudd.decisions.models import Decision, DecisionLine

    application = Application.objects.create(round=round, organisation=organisation)
    line = Line.objects.create(application=application, kind="competence", rank=1, title="Kurs")
    decision = Decision.objects.create(
        application=application,
        outcome="granted",
        granted=100_000,
        applied=100_000,
        scenario_name="Forslag",
        appeal_text="-",
        prepared_by=cast.officer_t,
        approved_by=cast.approver_t,
        approved_at=timezone.now(),
    )
    award_line = DecisionLine.objects.create(
        decision=decision,
        line=line,
        rank=1,
        kind="competence",
        title="Kurs",
        applied=100_000,
        granted=100_000,
    )
    Entry.objects.create(decision=decision, line=award_line, source="unsettled", target="owed", amount=40_000)
    return decision


def test_R14_the_overview_takes_as_many_queries_for_many_awards_as_for_one(client_for, cast):
    decision = reported(cast, unused={1: (30_000, REPAY)})
    round = decision.application.round
    client = client_for(cast.officer_t)

    def grow():
        services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
        other = another_award_with_money_owed(cast, round, cast.kommune_b)
        services.send_claim(decision=other, by=cast.officer_t, account_number=ACCOUNT)

    assert_queries_constant(client, reverse("settlement:round_settlement", args=[round.pk]), grow)


def test_R12_R14_the_award_page_shows_the_lines_and_lets_each_side_do_its_part(client_for, cast):
    decision = reported(cast, unused={0: (50_000, CARRY), 1: (30_000, REPAY)}, year=THIS_YEAR - 1)
    url = reverse("settlement:award", args=[decision.application_id])
    signer_page = client_for(cast.signer_a).get(url).content.decode()
    carry = CarryOver.objects.get(decision=decision)
    assert reverse("settlement:report_carried", args=[decision.application_id, carry.pk]) in signer_page
    assert reverse("settlement:send_claim", args=[decision.application_id]) not in signer_page
    office_page = client_for(cast.officer_t).get(url).content.decode()
    assert reverse("settlement:send_claim", args=[decision.application_id]) in office_page
    assert reverse("settlement:report_carried", args=[decision.application_id, carry.pk]) not in office_page
    office = client_for(cast.officer_t)
    refused = office.post(
        reverse("settlement:refuse_carry_over", args=[decision.application_id, carry.pk]),
        {f"refuse{carry.pk}-reason": ""},
    )
    assert refused.status_code == 400
    sent = office.post(
        reverse("settlement:send_claim", args=[decision.application_id]),
        {
            "claim-account_number": ACCOUNT,
            "claim-due_on": (timezone.localdate() + timedelta(days=30)).strftime("%d.%m.%Y"),
        },
    )
    assert sent.status_code == 302
    assert decision.claims.count() == 1
    letter = client_for(cast.signer_a).get(
        reverse("settlement:claim_letter", args=[decision.application_id, decision.claims.get().pk])
    )
    assert letter.status_code == 200 and b"".join(letter.streaming_content)[:5] == b"%PDF-"


# --- A share held back until the final report (item 5) -------------------------------------------------


def test_nothing_is_held_back_by_default(cast):
    from tilskudd.decisions import issuing

    decision = award(cast)
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    issuing.record_payment(
        decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=decision.granted
    )
    assert services.held_back([decision]) == {}


def test_a_share_held_back_is_stated_in_the_letter_refused_in_payment_and_released_by_the_report(
    client_for, cast, monkeypatch
):
    from tests.factories import make_round
    from tilskudd.decisions import issuing
    from tilskudd.decisions.letters import letter_html

    round = make_round(cast.office_t, year=2027, carried_over_funds=0)
    with pytest.raises(ValidationError):
        services.set_withheld_share(round=round, by=cast.officer_t, percent=51)
    with pytest.raises(PermissionDenied):
        services.set_withheld_share(round=round, by=cast.officer_n, percent=25)
    services.set_withheld_share(round=round, by=cast.officer_t, percent=25)
    monkeypatch.setattr("tests.test_reporting.make_round", lambda *a, **k: round)
    decision = award(cast)
    held = decision.granted * 25 // 100
    assert services.held_back([decision]) == {decision.pk: held}
    assert "holdes tilbake" in letter_html(decision) or "blir halde tilbake" in letter_html(decision)
    with pytest.raises(services.WrongState):  # the letters state the terms
        services.set_withheld_share(round=round, by=cast.officer_t, percent=0)
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    with pytest.raises(ValidationError) as refused:
        issuing.record_payment(
            decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=decision.granted
        )
    assert "amount" in refused.value.message_dict
    issuing.record_payment(
        decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=decision.granted - held
    )
    payments = client_for(cast.officer_t).get(reverse("decisions:round_payments", args=[round.pk]))
    assert "holdt tilbake" in payments.content.decode()
    obligation = decision.report_obligation
    fill(obligation, cast.signer_a)
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    reporting.submit_report(obligation=obligation, by=cast.signer_a)
    reporting.approve_report(obligation=obligation, by=cast.officer_t)
    assert services.held_back([decision]) == {}
    assert LogEntry.objects.filter(kind="withheld_released", subject_id=decision.pk).exists()
    issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=held)


def test_the_office_sets_the_share_on_the_round_page_and_a_wrong_number_is_refused_next_to_the_field(
    client_for, cast
):
    from tests.factories import make_round

    round = make_round(cast.office_t, year=2027)
    client = client_for(cast.officer_t)
    url = reverse("settlement:set_withheld_share", args=[round.pk])
    refused = client.post(url, {"terms-withheld_percent": "80"})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.content.decode()
    assert services.withheld_share(round.pk) == 0
    assert client.post(url, {"terms-withheld_percent": "25"}).status_code == 302
    assert services.withheld_share(round.pk) == 25
    assert "25\u00a0%" in client.get(
        reverse("settlement:round_settlement", args=[round.pk])
    ).content.decode() or (
        "25 %" in client.get(reverse("settlement:round_settlement", args=[round.pk])).content.decode()
    )


def test_R12_R14_start_pages_say_what_waits_a_claim_to_pay_an_assessment_to_make_a_claim_overdue(
    client_for, cast
):
    decision = reported(cast, unused={0: (50_000, CARRY), 1: (30_000, REPAY)}, year=THIS_YEAR - 1)
    claim = services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    services.report_carried_money(
        carry_over=decision.carry_overs.get(), by=cast.signer_a, used=0, carry_again=True, reason="Forsinket."
    )
    signer_home = client_for(cast.signer_a).get(reverse("home:home")).content.decode()
    assert reverse("settlement:award", args=[decision.application_id]) + f"#claim-{claim.pk}" in signer_home
    assert claim.reference in signer_home
    title = decision.application.round.title
    assert f"tilbake av tilskuddet i {title}: betal" in signer_home  # the claim names its round
    type(claim).objects.filter(pk=claim.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    office_home = client_for(cast.officer_t).get(reverse("home:home")).content.decode()
    settlement_page = reverse("settlement:round_settlement", args=[decision.application.round_id])
    assert settlement_page in office_home
    assert "venter på individuell vurdering" in office_home
    assert "krav om tilbakebetaling har forfalt" in office_home


def test_R13_money_moved_between_lines_shows_as_changed_and_the_ledger_still_adds_up(client_for, cast):
    """The ledger's side of a change request: an approved move of unsettled money between two lines."""
    decision = award(cast)
    first, second = services.ledger_of(decision).lines[:2]
    Entry.objects.create(
        decision=decision, line=first, to_line=second, source="unsettled", target="unsettled", amount=50_000
    )
    current = services.ledger_of(decision)
    assert current.changed == {first.pk: -50_000, second.pk: 50_000}
    assert current.line_accounts(second.pk)[Account.UNSETTLED] == second.granted + 50_000
    assert_adds_up(decision)
    page = client_for(cast.officer_t).get(reverse("settlement:award", args=[decision.application_id]))
    assert (
        'data-changed="-50000"' in page.content.decode() and 'data-changed="50000"' in page.content.decode()
    )


def test_R12_R14_the_public_statistics_show_what_became_of_the_money_per_year(client, cast):
    decision = reported(cast, unused={0: (50_000, CARRY), 1: (30_000, REPAY)})
    claim = services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    services.record_repayment(claim=claim, by=cast.officer_t, amount=10_000, paid_on=timezone.localdate())
    from tilskudd.publication.statistics import statistics

    table = next(t for t in statistics() if "per award year" in t.title or "per tildelingsår" in t.title)
    assert table.rows == [("2027", decision.granted - 80_000, 50_000, 20_000, 10_000, 0)]
    page = client.get(reverse("publication:statistics")).content.decode()
    assert "50\u00a0000" in page and "20\u00a0000" in page


def test_R14_the_award_page_takes_as_many_queries_for_many_claims_as_for_one(client_for, cast):
    decision = reported(cast, unused={1: (30_000, REPAY)})
    services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
    from tilskudd.settlement.models import RepaymentClaim

    def grow():
        for number in range(3):  # more claims on the award, one part-paid
            claim = RepaymentClaim.objects.create(
                decision=decision,
                amount=1_000,
                account_number=ACCOUNT,
                reference=f"9{number}",
                due_on=timezone.localdate(),
                sent_by=cast.officer_t,
                sha256="0" * 64,
            )
        services.record_repayment(claim=claim, by=cast.officer_t, amount=500, paid_on=timezone.localdate())

    assert_queries_constant(
        client_for(cast.officer_t), reverse("settlement:award", args=[decision.application_id]), grow
    )


def test_R12_carried_money_is_accounted_for_once_its_year_has_begun_and_a_further_one_is_never_bare_refused(
    cast,
):
    early = reported(cast, unused={0: (50_000, CARRY)})  # 2027's money, carried to 2028: not begun
    with pytest.raises(services.WrongState):
        services.report_carried_money(
            carry_over=early.carry_overs.get(), by=cast.signer_a, used=0, carry_again=False
        )
    assert totals(early)[Account.CARRIED] == 50_000
    decision = reported(cast, unused={0: (50_000, CARRY)}, year=THIS_YEAR - 1)
    further = services.report_carried_money(
        carry_over=decision.carry_overs.get(),
        by=cast.signer_a,
        used=0,
        carry_again=True,
        reason="Forsinket.",
    )
    with pytest.raises(services.WrongState):  # it waits for the individual assessment of delay and likelihood
        services.refuse_carry_over(carry_over=further, by=cast.officer_t, reason="Nei.")
    further.refresh_from_db()
    assert further.state == CarryOverState.REQUESTED


def test_R14_money_never_paid_out_is_not_claimed_back_and_money_reported_unused_is_not_paid_out(
    cast, monkeypatch
):
    """25 % held back, 75 % paid; the report says 50 % was not used: the recipient holds 25 % more than it may
    keep, so 25 % is claimed, the never-paid 25 % is written off as never paid out, and no more is paid."""
    from tests.factories import make_round
    from tilskudd.decisions import issuing

    round = make_round(cast.office_t, year=2027, carried_over_funds=0)
    services.set_withheld_share(round=round, by=cast.officer_t, percent=25)
    monkeypatch.setattr("tests.test_reporting.make_round", lambda *a, **k: round)
    decision = award(cast)
    granted = decision.granted
    first = services.ledger_of(decision).lines[0]
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    paid = granted - granted * 25 // 100
    issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=paid)
    obligation = decision.report_obligation
    fill(obligation, cast.signer_a)
    unused = min(first.granted, granted // 2)
    line = obligation.lines.get(decision_line=first)
    reporting.update_report(
        obligation=obligation,
        by=cast.signer_a,
        values={line.pk: {"used": first.granted - unused, "unused": unused, "unused_choice": REPAY}},
    )
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    reporting.submit_report(obligation=obligation, by=cast.signer_a)
    reporting.approve_report(obligation=obligation, by=cast.officer_t)
    never_paid = min(granted - paid, unused)
    sums = totals(decision)
    assert (sums[Account.OWED], sums[Account.WRITTEN_OFF]) == (unused - never_paid, never_paid)
    assert services.held_back([decision]) == {}
    assert services.not_to_be_paid([decision]) == {decision.pk: unused}
    with pytest.raises(ValidationError):  # what the report did not use is not paid out
        issuing.record_payment(
            decision=decision, by=cast.officer_t, paid_on=timezone.localdate(), amount=granted - paid
        )
    if unused > never_paid:
        claim = services.send_claim(decision=decision, by=cast.officer_t, account_number=ACCOUNT)
        assert claim.amount == unused - never_paid == paid - (granted - unused)
    assert_adds_up(decision)


def test_P2_the_carried_funds_into_a_year_are_found_by_year_not_by_walking_the_offices_awards(cast):
    """The round page reads them on every view: an index on (to_year, state) finds them directly."""
    from django.db import connection

    from tilskudd.settlement.selectors import carried_over_to

    if connection.vendor != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL's planner chooses by the table's statistics")
    plan = carried_over_to(cast.office_t.pk, THIS_YEAR).explain()
    assert "carry_over_to_year_state" in plan, plan
