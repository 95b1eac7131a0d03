"""Change requests (R13): the window in Europe/Oslo, moves with four eyes, partial approval, refusal,
content and period changes, the ledger after a move, and the report mirroring the amended lines."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.test_reporting import award, fill
from tilskudd.amendments import services
from tilskudd.amendments.models import Amendment, ChangeKind, ChangeState
from tilskudd.amendments.selectors import amended_lines, window_is_open
from tilskudd.caselog.selectors import entries_for
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.ledger import Account
from tilskudd.domain.money import format_kroner
from tilskudd.domain.reporting import line_problems
from tilskudd.reporting import services as reporting
from tilskudd.settlement.models import Entry
from tilskudd.settlement.services import ledger_of

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2027, 10, 15, 12, 0, tzinfo=OSLO)  # the award's year is 2027: its window is October 2027


def lines_of(decision):
    found = {line.kind: line for line in decision.lines.filter(granted__gt=0)}
    return found["competence"], found["bpa"], found["innovation"]


def ask_move(cast, decision, amount=50_000, *, now=OCTOBER, reason="Flere ansatte vil ta videreutdanning."):
    competence, _bpa, innovation = lines_of(decision)
    return services.request_change(
        decision=decision,
        by=cast.signer_a,
        kind=ChangeKind.MOVE,
        line=innovation,
        to_line=competence,
        amount=amount,
        reason=reason,
        now=now,
    )


def approved_move(cast, decision, amount=50_000, granted=None):
    change = ask_move(cast, decision, amount)
    services.prepare_change(
        change=change, by=cast.officer_t, amount=granted or amount, reason="Delvis" if granted else ""
    )
    return services.approve_change(change=change, by=cast.approver_t)


# --- The window ---------------------------------------------------------------------------------------


def test_R13_the_default_window_is_october_of_the_awards_year_in_oslo_time_whole_days(cast):
    decision = award(cast)
    round, kommune = decision.application.round, decision.application.organisation_id
    assert round.change_window_opens is None and round.change_window_closes is None
    first = datetime(2027, 10, 1, 0, 0, tzinfo=OSLO)
    last = datetime(2027, 10, 31, 23, 59, 59, tzinfo=OSLO)
    assert window_is_open(round, kommune, first)
    assert window_is_open(round, kommune, last)
    # 30 September 23:30 UTC is already 1 October in Oslo; 31 October 23:30 UTC is 1 November
    assert window_is_open(round, kommune, datetime(2027, 9, 30, 22, 30, tzinfo=UTC))
    assert window_is_open(
        round, kommune, datetime(2027, 10, 31, 22, 30, tzinfo=UTC)
    )  # 23:30 in Oslo (winter time)
    assert not window_is_open(round, kommune, datetime(2027, 10, 31, 23, 30, tzinfo=UTC))
    assert not window_is_open(round, kommune, first - timedelta(seconds=1))
    assert not window_is_open(round, kommune, last + timedelta(seconds=1))


def test_R13_the_rounds_own_window_replaces_october(cast):
    decision = award(cast)
    round = decision.application.round
    round.change_window_opens, round.change_window_closes = date(2027, 9, 1), date(2027, 9, 15)
    round.save()
    kommune = decision.application.organisation_id
    assert window_is_open(round, kommune, datetime(2027, 9, 15, 23, 0, tzinfo=OSLO))
    assert not window_is_open(round, kommune, OCTOBER)


def test_R13_a_request_outside_the_window_is_refused_by_the_service(cast):
    decision = award(cast)
    with pytest.raises(services.WindowClosed):
        ask_move(cast, decision, now=datetime(2027, 11, 1, 0, 0, tzinfo=OSLO))
    with pytest.raises(services.WindowClosed):
        ask_move(cast, decision, now=datetime(2027, 9, 30, 23, 59, tzinfo=OSLO))
    assert not decision.change_requests.exists()


def test_R13_the_office_opens_a_window_for_one_organisation_with_a_reason(cast):
    decision = award(cast)
    round = decision.application.round
    today = timezone.localdate()
    with pytest.raises(ValidationError) as missing:
        services.open_window(
            round=round, organisation=cast.kommune_a, by=cast.officer_t, opens=today, closes=today, reason=" "
        )
    assert "reason" in missing.value.message_dict
    with pytest.raises(PermissionDenied):
        services.open_window(
            round=round,
            organisation=cast.kommune_a,
            by=cast.officer_n,
            opens=today,
            closes=today,
            reason="Haster",
        )
    with pytest.raises(ValidationError) as no_award:
        services.open_window(
            round=round,
            organisation=cast.kommune_b,
            by=cast.officer_t,
            opens=today,
            closes=today,
            reason="Haster",
        )
    assert "organisation" in no_award.value.message_dict
    assert not window_is_open(round, cast.kommune_a.pk)
    window = services.open_window(
        round=round,
        organisation=cast.kommune_a,
        by=cast.officer_t,
        opens=today,
        closes=today + timedelta(days=7),
        reason="Prosjektleder sluttet",
    )
    assert window_is_open(round, cast.kommune_a.pk)
    change = ask_move(cast, decision, now=timezone.now())
    assert change.state == ChangeState.REQUESTED
    assert entries_for(window).get().reason == "Prosjektleder sluttet"


# --- Moving money: four eyes, partial, refusal ----------------------------------------------------------


def test_R13_only_the_organisations_signer_asks_and_never_more_than_the_lines_unsettled_money(cast):
    decision = award(cast)
    competence, bpa, innovation = lines_of(decision)
    for person in (cast.applicant_a, cast.signer_b, cast.officer_t):
        with pytest.raises(PermissionDenied):
            services.request_change(
                decision=decision,
                by=person,
                kind="move",
                line=innovation,
                to_line=competence,
                amount=1,
                reason="x",
                now=OCTOBER,
            )
    with pytest.raises(ValidationError) as too_much:
        ask_move(cast, decision, innovation.granted + 1)
    assert (
        "Høyst" in too_much.value.message_dict["amount"][0]
        or "most" in too_much.value.message_dict["amount"][0]
    )
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValidationError):
            ask_move(cast, decision, bad)
    with pytest.raises(ValidationError) as same:
        services.request_change(
            decision=decision,
            by=cast.signer_a,
            kind="move",
            line=innovation,
            to_line=innovation,
            amount=1,
            reason="x",
            now=OCTOBER,
        )
    assert "to_line" in same.value.message_dict
    from tilskudd.organisations.models import Organisation

    other = award(cast, organisation=Organisation.objects.get(kommunenummer="5006", valid_to=None), year=2028)
    with pytest.raises(ValidationError) as foreign:
        services.request_change(
            decision=decision,
            by=cast.signer_a,
            kind="move",
            line=innovation,
            to_line=other.lines.first(),
            amount=1,
            reason="x",
            now=OCTOBER,
        )
    assert "to_line" in foreign.value.message_dict
    assert not decision.change_requests.exists()


def test_R13_a_move_is_prepared_by_a_case_officer_and_approved_by_another_person(cast):
    decision = award(cast)
    change = ask_move(cast, decision)
    with pytest.raises(PermissionDenied):
        services.prepare_change(change=change, by=cast.approver_t, amount=50_000)  # a case officer prepares
    with pytest.raises(services.WrongState):
        services.approve_change(change=change, by=cast.approver_t)  # not prepared yet
    services.prepare_change(change=change, by=cast.officer_t, amount=50_000)
    with pytest.raises(PermissionDenied):
        services.approve_change(
            change=change, by=cast.officer_t
        )  # a case officer does not approve money moves
    with pytest.raises(PermissionDenied):
        services.approve_change(change=change, by=cast.approver_n)  # another office
    assert not Entry.objects.filter(decision=decision).exists()
    amendment = services.approve_change(change=change, by=cast.approver_t)
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED and change.decided_by == cast.approver_t
    assert amendment.number == 1 and amendment.letter.read().startswith(b"%PDF")
    entry = Entry.objects.get(decision=decision)
    assert (entry.source, entry.target, entry.amount) == ("unsettled", "unsettled", 50_000)
    assert (entry.line_id, entry.to_line_id) == (change.line_id, change.to_line_id)


def test_R13_the_same_person_cannot_both_prepare_and_approve_a_move(cast):
    from tilskudd.accounts.models import Role

    decision = award(cast)
    change = ask_move(cast, decision)
    services.prepare_change(change=change, by=cast.officer_t, amount=50_000)
    # the same person, now given the approver's role, still cannot approve their own preparation
    type(cast.officer_t).objects.filter(pk=cast.officer_t.pk).update(role=Role.APPROVER)
    cast.officer_t.refresh_from_db()
    cast.officer_t.strong_login = True  # logged in with two steps: what refuses is four eyes
    with pytest.raises(services.FourEyes):
        services.approve_change(change=change, by=cast.officer_t)
    assert not Entry.objects.filter(decision=decision).exists()
    # and the database refuses it too
    from django.db import IntegrityError, transaction

    from tilskudd.amendments.models import ChangeRequest

    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.filter(pk=change.pk).update(
            state="approved", decided_by=cast.officer_t, decided_at=timezone.now()
        )


def test_R13_a_partial_approval_moves_the_smaller_amount_with_the_reason(cast):
    decision = award(cast)
    competence, _bpa, innovation = lines_of(decision)
    change = ask_move(cast, decision, 50_000)
    with pytest.raises(ValidationError) as reasonless:
        services.prepare_change(change=change, by=cast.officer_t, amount=20_000)
    assert "reason" in reasonless.value.message_dict
    with pytest.raises(ValidationError):
        services.prepare_change(
            change=change, by=cast.officer_t, amount=60_000, reason="Mer"
        )  # more than asked
    services.prepare_change(
        change=change, by=cast.officer_t, amount=20_000, reason="Resten trengs i prosjektet."
    )
    services.approve_change(change=change, by=cast.approver_t)
    change.refresh_from_db()
    assert change.state == ChangeState.PARTLY and change.granted_amount == 20_000
    current = ledger_of(decision)
    assert current.line_accounts(innovation.pk)[Account.UNSETTLED] == innovation.granted - 20_000
    assert current.line_accounts(competence.pk)[Account.UNSETTLED] == competence.granted + 20_000


def test_R13_a_refusal_needs_a_reason_and_moves_nothing(cast):
    decision = award(cast)
    change = ask_move(cast, decision)
    with pytest.raises(ValidationError):
        services.refuse_change(change=change, by=cast.officer_t, reason="")
    services.refuse_change(change=change, by=cast.officer_t, reason="Tiltaket er allerede fullfinansiert.")
    change.refresh_from_db()
    assert (
        change.state == ChangeState.REFUSED and change.office_reason == "Tiltaket er allerede fullfinansiert."
    )
    assert not Entry.objects.filter(decision=decision).exists() and not Amendment.objects.exists()
    with pytest.raises(services.WrongState):
        services.prepare_change(change=change, by=cast.officer_t, amount=50_000)
    assert entries_for(decision.application, applicant_view=True).filter(kind="change_refused").exists()


def test_R13_the_approver_can_send_a_prepared_move_back(cast):
    decision = award(cast)
    change = ask_move(cast, decision)
    services.prepare_change(change=change, by=cast.officer_t, amount=50_000)
    services.return_change(change=change, by=cast.approver_t, reason="Sjekk budsjettet først.")
    change.refresh_from_db()
    assert change.state == ChangeState.REQUESTED and change.returned_reason == "Sjekk budsjettet først."
    # the preparation is internal: the applicant sees neither it nor the return
    visible = set(entries_for(decision.application, applicant_view=True).values_list("kind", flat=True))
    assert "change_prepared" not in visible and "change_returned" not in visible


def test_R13_the_ledger_after_moves_still_adds_up_and_no_line_goes_below_zero(cast):
    decision = award(cast)
    competence, bpa, innovation = lines_of(decision)
    approved_move(cast, decision, 50_000)
    # a second request asking for everything left, approved after the first: checked under the lock
    change = services.request_change(
        decision=decision,
        by=cast.signer_a,
        kind="move",
        line=bpa,
        to_line=innovation,
        amount=bpa.granted,
        reason="BPA dekket",
        now=OCTOBER,
    )
    services.prepare_change(change=change, by=cast.officer_t, amount=bpa.granted)
    services.approve_change(change=change, by=cast.approver_t)
    current = ledger_of(decision)
    assert current.totals[Account.UNSETTLED] == decision.granted == current.granted
    assert current.line_accounts(bpa.pk)[Account.UNSETTLED] == 0
    assert (
        current.line_accounts(innovation.pk)[Account.UNSETTLED] == innovation.granted - 50_000 + bpa.granted
    )
    assert current.line_accounts(competence.pk)[Account.UNSETTLED] == competence.granted + 50_000
    # nothing left on BPA: a move prepared earlier for more than is left is refused at approval
    late = services.request_change(
        decision=decision,
        by=cast.signer_a,
        kind="move",
        line=competence,
        to_line=bpa,
        amount=10_000,
        reason="x",
        now=OCTOBER,
    )
    services.prepare_change(change=late, by=cast.officer_t, amount=10_000)
    stale = services.request_change(
        decision=decision,
        by=cast.signer_a,
        kind="move",
        line=competence,
        to_line=innovation,
        amount=competence.granted + 50_000,
        reason="y",
        now=OCTOBER,
    )
    services.prepare_change(change=stale, by=cast.officer_t, amount=competence.granted + 50_000)
    services.approve_change(change=stale, by=cast.approver_t)
    with pytest.raises(ValidationError):
        services.approve_change(change=late, by=cast.approver_t)
    assert ledger_of(decision).totals[Account.UNSETTLED] == decision.granted


def test_R13_the_decision_and_its_lines_stay_as_they_were(cast):
    decision = award(cast)
    before = list(decision.lines.values_list("pk", "title", "granted"))
    granted = decision.granted
    approved_move(cast, decision)
    decision.refresh_from_db()
    assert (
        list(decision.lines.values_list("pk", "title", "granted")) == before and decision.granted == granted
    )


# --- Content and period ---------------------------------------------------------------------------------


def test_R13_a_content_change_is_decided_by_one_case_officer_and_shows_in_the_report(cast):
    decision = award(cast)
    competence, _bpa, innovation = lines_of(decision)
    with pytest.raises(ValidationError) as nothing:
        services.request_change(
            decision=decision, by=cast.signer_a, kind="content", line=competence, reason="x", now=OCTOBER
        )
    assert "new_title" in nothing.value.message_dict
    with pytest.raises(ValidationError) as wrong_kind:
        services.request_change(
            decision=decision,
            by=cast.signer_a,
            kind="content",
            line=innovation,
            new_education_type="bachelor",
            reason="x",
            now=OCTOBER,
        )
    assert "new_education_type" in wrong_kind.value.message_dict
    change = services.request_change(
        decision=decision,
        by=cast.signer_a,
        kind="content",
        line=competence,
        new_title="Bachelor i sykepleie",
        new_education_type="bachelor",
        new_description="To ansatte tar bachelor i stedet for videreutdanning.",
        reason="Behovet har endret seg.",
        now=OCTOBER,
    )
    with pytest.raises(PermissionDenied):
        services.approve_change(change=change, by=cast.approver_t)  # a case officer decides it
    amendment = services.approve_change(change=change, by=cast.officer_t, reason="I tråd med formålet.")
    assert (
        amendment.change.state == ChangeState.APPROVED
        and not Entry.objects.filter(decision=decision).exists()
    )
    line = decision.report_obligation.lines.get(decision_line=competence)
    assert (line.title, line.education_type) == ("Bachelor i sykepleie", "bachelor")
    amended = {item.pk: item for item in amended_lines(decision)}[competence.pk]
    assert amended.title == "Bachelor i sykepleie" and amended.description.startswith("To ansatte")


def test_R13_a_period_extension_sets_a_later_end_date_within_a_year(cast):
    decision = award(cast)
    _competence, _bpa, innovation = lines_of(decision)

    def ask(day):
        return services.request_change(
            decision=decision,
            by=cast.signer_a,
            kind="period",
            line=innovation,
            new_end=day,
            reason="Forsinket oppstart",
            now=OCTOBER,
        )

    for bad in (date(2027, 12, 31), date(2027, 6, 1), date(2029, 1, 1), None):
        with pytest.raises(ValidationError) as refused:
            ask(bad)
        assert "new_end" in refused.value.message_dict
    change = ask(date(2028, 6, 30))
    services.approve_change(change=change, by=cast.officer_t)
    assert {item.pk: item for item in amended_lines(decision)}[innovation.pk].ends == date(2028, 6, 30)
    with pytest.raises(ValidationError):
        ask(date(2028, 6, 30))  # no longer later than the period


# --- The report mirrors the amended lines ------------------------------------------------------------------


def test_R13_the_report_lines_follow_an_approved_move_and_validate_against_the_amended_amount(cast):
    decision = award(cast)
    competence, _bpa, innovation = lines_of(decision)
    obligation = decision.report_obligation
    approved_move(cast, decision, 50_000)
    report = {line.decision_line_id: line for line in obligation.lines.all()}
    assert report[competence.pk].granted == competence.granted + 50_000
    assert report[innovation.pk].granted == innovation.granted - 50_000
    # used + unused = granted is checked against the amended amount
    assert (
        line_problems(
            report[competence.pk].line_kind,
            report[competence.pk].granted,
            {"used": competence.granted + 50_000, "unused": 0},
        )
        == []
    )
    with pytest.raises(reporting.ReportInvalid):
        reporting.update_report(
            obligation=obligation,
            by=cast.signer_a,
            values={report[competence.pk].pk: {"used": competence.granted, "unused": 0}},
        )
    fill(obligation, cast.signer_a)  # all money used, line by line, as amended
    assert entries_for(obligation).filter(kind="report_amended").exists()


def test_R13_no_change_once_the_report_is_submitted(cast):
    from tests.test_reporting import _pdf

    decision = award(cast)
    change = ask_move(cast, decision)
    waiting = ask_move(cast, decision, amount=10_000)
    services.prepare_change(
        change=change, by=cast.officer_t, amount=50_000
    )  # prepared while the report was open
    obligation = decision.report_obligation
    fill(obligation, cast.signer_a)
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    reporting.submit_report(obligation=obligation, by=cast.signer_a)
    with pytest.raises(services.ReportSubmitted):
        ask_move(cast, decision)
    with pytest.raises(services.ReportSubmitted):  # it could never be approved: not offered, and refused
        services.prepare_change(change=waiting, by=cast.officer_t, amount=10_000)
    with pytest.raises(services.ReportSubmitted):
        services.approve_change(change=change, by=cast.approver_t)
    assert not Entry.objects.filter(decision=decision).exists()


def test_R13_a_report_filled_in_before_an_approved_move_is_checked_again_against_the_amended_amounts(cast):
    """The signer filled in every line in full; a move of 50 000 kr is then approved: used no longer matches
    granted on the two lines, and submission is refused until the figures are corrected."""
    from tests.test_reporting import _pdf

    decision = award(cast)
    obligation = decision.report_obligation
    fill(obligation, cast.signer_a)
    reporting.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    approved_move(cast, decision)
    gaps = reporting.submission_gaps(obligation)
    assert gaps is not None and len(gaps.problems) == 2
    with pytest.raises(reporting.ReportIncomplete):
        reporting.submit_report(obligation=obligation, by=cast.signer_a)
    fill(obligation, cast.signer_a)  # the figures typed again, against the amended amounts
    assert reporting.submission_gaps(obligation) is None


# --- Pages ------------------------------------------------------------------------------------------------


@pytest.fixture
def in_october(monkeypatch):
    """The clock in the middle of the award's change window (October 2027, Oslo)."""
    monkeypatch.setattr(timezone, "now", lambda: OCTOBER.astimezone(UTC))


def test_R13_the_signer_asks_on_the_page_the_office_prepares_and_approves_and_the_report_shows_it(
    client_for, cast, in_october
):
    from django.urls import reverse

    decision = award(cast)
    competence, _bpa, innovation = lines_of(decision)
    application = decision.application
    case = client_for(cast.signer_a).get(reverse("applications:application_detail", args=[application.pk]))
    ask_url = reverse("amendments:request", args=[application.pk])
    assert ask_url in case.content.decode()
    page = client_for(cast.signer_a).get(ask_url)
    assert page.status_code == 200 and "Flytt penger mellom tiltak" in page.content.decode()
    # a bad amount is named next to its field, and nothing is stored
    bad = client_for(cast.signer_a).post(
        ask_url,
        {
            "kind": "move",
            "move-line": innovation.pk,
            "move-to_line": competence.pk,
            "move-amount": "99 000 000",
            "move-reason": "Behov",
        },
    )
    assert bad.status_code == 422 and not decision.change_requests.exists()
    assert 'aria-invalid="true"' in bad.content.decode()
    sent = client_for(cast.signer_a).post(
        ask_url,
        {
            "kind": "move",
            "move-line": innovation.pk,
            "move-to_line": competence.pk,
            "move-amount": "50 000",
            "move-reason": "Behov",
        },
    )
    change = decision.change_requests.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("amendments:change", args=[change.pk])

    office = client_for(cast.officer_t)
    listing = office.get(reverse("amendments:round_changes", args=[application.round_id])).content.decode()
    assert "Trondheim" in listing and reverse("amendments:change", args=[change.pk]) in listing
    office.post(
        reverse("amendments:prepare", args=[change.pk]), {"prepare-amount": "50 000", "prepare-reason": ""}
    )
    change.refresh_from_db()
    assert change.state == ChangeState.PREPARED
    # the preparer sees no approve button on their own preparation
    assert (
        reverse("amendments:approve", args=[change.pk])
        not in office.get(reverse("amendments:change", args=[change.pk])).content.decode()
    )
    approver = client_for(cast.approver_t)
    approver.post(reverse("amendments:approve", args=[change.pk]), {})
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED

    letter = client_for(cast.signer_a).get(reverse("amendments:letter", args=[change.pk]))
    case = application.case_number.replace("/", "-")
    assert f'filename="endringsvedtak-{case}-1.pdf"' in letter["Content-Disposition"]
    assert letter.status_code == 200 and b"".join(letter.streaming_content).startswith(b"%PDF")
    report = client_for(cast.signer_a).get(
        reverse("reporting:report_obligation", args=[decision.report_obligation.pk])
    )
    body = report.content.decode()
    from tilskudd.domain.money import format_kroner

    assert format_kroner(competence.granted + 50_000) in body
    assert format_kroner(innovation.granted - 50_000) in body


def test_R13_the_workbook_carries_the_amended_granted_amounts(cast):
    from tests.test_reporting_workbook import _book
    from tilskudd.reporting.workbook import build_workbook

    decision = award(cast)
    competence, _bpa, _innovation = lines_of(decision)
    approved_move(cast, decision, 50_000)
    book = _book(build_workbook(decision.report_obligation))
    values = [cell.value for row in book["Kompetanse"].iter_rows() for cell in row]
    assert competence.granted + 50_000 in values and competence.granted not in values


def test_R13_another_organisation_or_office_gets_404(client_for, cast):
    from django.urls import reverse

    decision = award(cast)
    change = ask_move(cast, decision)
    services.prepare_change(change=change, by=cast.officer_t, amount=50_000)
    services.approve_change(change=change, by=cast.approver_t)
    for person in (cast.signer_b, cast.outsider, cast.officer_n, cast.approver_n):
        client = client_for(person)
        for url in (
            reverse("amendments:change", args=[change.pk]),
            reverse("amendments:letter", args=[change.pk]),
            reverse("amendments:request", args=[decision.application_id]),
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert client.post(
            reverse("amendments:refuse", args=[change.pk]), {"refuse-reason": "x"}
        ).status_code in (403, 404)
    assert (
        client_for(cast.officer_n)
        .get(reverse("amendments:round_changes", args=[decision.application.round_id]))
        .status_code
        == 404
    )


def test_R13_the_office_list_takes_the_same_number_of_queries_for_more_requests(client_for, cast):
    from django.urls import reverse

    from tests.helpers import assert_queries_constant

    decision = award(cast)
    ask_move(cast, decision, 10_000)

    def grow():
        approved_move(cast, decision, 20_000)
        services.request_change(
            decision=decision,
            by=cast.signer_a,
            kind="period",
            line=lines_of(decision)[2],
            new_end=date(2028, 3, 1),
            reason="Sen start",
            now=OCTOBER,
        )

    assert_queries_constant(
        client_for(cast.officer_t),
        reverse("amendments:round_changes", args=[decision.application.round_id]),
        grow,
    )


# --- The letters ------------------------------------------------------------------------------------------


def test_R13_the_amendment_letter_is_pdf_a_and_says_what_was_moved_and_why_in_the_recipients_language(cast):
    from tests.test_letters import xmp
    from tests.test_receipts import normalise, pdf_info, pdf_text
    from tilskudd.amendments.letters import render_amendment_pdf

    decision = award(cast)
    competence, _bpa, innovation = lines_of(decision)
    change = ask_move(cast, decision, 50_000)
    services.prepare_change(
        change=change, by=cast.officer_t, amount=30_000, reason="Resten trengs i prosjektet."
    )
    amendment = services.approve_change(change=change, by=cast.approver_t)
    pdf = amendment.letter.read()
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == amendment.sha256 and len(pdf) == amendment.size
    assert re.search(rb"pdfaid:part(>|=\")2", xmp(pdf)) and re.search(
        rb"pdfaid:conformance(>|=\")B", xmp(pdf)
    )
    assert decision.application.case_number in pdf_info(pdf, "Title")
    text = pdf_text(pdf)
    assert "Vedtak om endring" in text and "delvis godkjent" in text
    assert normalise(format_kroner(30_000)) in text and normalise(format_kroner(50_000)) in text
    assert "Resten trengs i prosjektet." in text and "Flere ansatte vil ta videreutdanning." in text
    assert normalise(format_kroner(competence.granted + 30_000)) in text  # the line as amended
    # a nynorsk organisation gets nynorsk
    type(cast.kommune_a).objects.filter(pk=cast.kommune_a.pk).update(written_language="nn")
    amendment.language = "nn"
    assert "Søknaden om å flytte" in pdf_text(render_amendment_pdf(amendment))
    assert innovation.title in text
    # the award letter's letterhead, references and signature (pdf/_letter.css): two fonts, no italic third
    from tests.test_receipts import pdf_objects_text

    assert set(re.findall(rb"/BaseFont ?/[A-Z]{6}\+([\w-]+)", pdf_objects_text(pdf))) == {
        b"DejaVu-Sans",
        b"DejaVu-Sans-Bold",
    }


def test_R13_the_award_letter_names_the_change_window_october_by_default(cast):
    from tests.test_receipts import pdf_text
    from tilskudd.decisions.letters import render_letter_pdf

    decision = award(cast)
    text = pdf_text(render_letter_pdf(decision))
    assert "1. oktober 2027" in text and "31. oktober 2027" in text


@pytest.mark.django_db(transaction=True)
def test_R13_two_moves_approved_at_once_never_take_more_than_the_line_holds(cast):
    """Each move fits the line alone, not both together: the decision's row lock lets one through."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL (DATABASE_URL)")
    decision = award(cast)
    _competence, _bpa, innovation = lines_of(decision)
    amount = innovation.granted - 10_000
    changes = []
    for _ in range(2):
        change = ask_move(cast, decision, amount)
        services.prepare_change(change=change, by=cast.officer_t, amount=amount)
        changes.append(change)
    start, outcomes = threading.Barrier(2), []

    def approve(change):
        try:
            start.wait()
            services.approve_change(change=change, by=cast.approver_t)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(change,)) for change in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["approved", "refused"]
    current = ledger_of(decision)
    assert current.line_accounts(innovation.pk)[Account.UNSETTLED] == 10_000
    assert current.totals[Account.UNSETTLED] == decision.granted
    assert Entry.objects.filter(decision=decision).count() == 1
