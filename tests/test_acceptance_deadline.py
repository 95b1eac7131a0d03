"""R10c: the award letter states an acceptance deadline, and the service keeps it.

The deadline is a day in Europe/Oslo (``Round.acceptance_weeks`` after the letter's date,
default three weeks) and the whole of that day counts. After it the signer can no longer
accept in the system; the page says so and whom to contact. The office can give one
decision a new deadline with a reason (logged on the case); the office's start page
counts the awards whose deadline has passed without acceptance.
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_round, submitted_application
from tilskudd.assessment import services as assessment
from tilskudd.caselog.models import Entry
from tilskudd.decisions import issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.letters import acceptance_deadline
from tilskudd.decisions.models import Acceptance, AcceptanceExtension, Decision
from tilskudd.domain import deadlines
from tilskudd.domain.deadlines import OSLO, acceptance_deadline_from, deadline_on, is_on_or_before
from tilskudd.home.overview import office_overview

pytestmark = pytest.mark.django_db

ACCOUNT = "12345678903"


def award(cast, *, letter_day: date | None = None, fylke: bool = False, year: int = 2027) -> Decision:
    """An approved award to Trondheim (or Trøndelag fylkeskommune), its letter dated ``letter_day`` at noon."""
    round = make_round(cast.office_t, year=year, fresh_funds=800_000, carried_over_funds=0)
    if fylke:
        application = submitted_application(
            round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",)
        )
    else:
        application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    decision = Decision.objects.get(application=application)
    if letter_day is not None:
        approved_at = deadline_on(letter_day, time(12))
        Decision.objects.filter(pk=decision.pk).update(
            approved_at=approved_at, acceptance_due=acceptance_deadline_from(approved_at, 3)
        )
        decision.refresh_from_db()
    assert decision.granted > 0
    return decision


def oslo(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=OSLO)


# --- The deadline is a whole day in Oslo ----------------------------------------------------


def test_R10c_a_deadline_day_covers_the_whole_day_in_oslo():
    day = date(2027, 3, 31)  # summer time: Oslo is UTC+2
    assert is_on_or_before(oslo(day, time(23, 59, 59, 999999)), day)
    assert not is_on_or_before(oslo(day + timedelta(days=1), time(0, 0)), day)
    assert is_on_or_before(datetime(2027, 3, 31, 21, 59, tzinfo=OSLO).astimezone(OSLO), day)
    with pytest.raises(ValueError):
        is_on_or_before(datetime(2027, 3, 31, 12), day)


# --- Before, on and after the deadline ------------------------------------------------------


def test_R10c_the_signer_accepts_before_the_deadline(cast):
    decision = award(cast)
    deadline = acceptance_deadline(decision)
    assert deadline == timezone.localdate() + timedelta(weeks=3)
    acceptance = issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    assert acceptance.decision_id == decision.pk


def test_R10c_the_whole_last_day_counts_and_the_next_morning_is_too_late(cast):
    decision = award(cast, letter_day=date(2027, 3, 10))
    last_day = acceptance_deadline(decision)
    assert last_day == date(2027, 3, 31)
    late = oslo(last_day + timedelta(days=1), time(0, 0))
    with pytest.raises(issuing.AcceptanceClosed) as closed:
        issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT, now=late)
    assert closed.value.deadline == last_day
    assert not Acceptance.objects.filter(decision=decision).exists()
    in_time = oslo(last_day, time(23, 59, 59))
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT, now=in_time)
    assert Acceptance.objects.filter(decision=decision).exists()


def test_R10c_after_the_deadline_the_signer_cannot_accept_and_the_page_says_whom_to_contact(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=3, days=1))
    with pytest.raises(issuing.AcceptanceClosed):
        issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    client = client_for(cast.signer_a)
    url = reverse("applications:application_detail", args=[decision.application_id])
    body = client.get(url).content.decode()
    assert 'id="acceptance-closed"' in body
    assert "Den er ute, så tildelingen kan ikke lenger tas imot her" in body
    assert f"Kontakt {cast.office_t.name} for å be om ny frist" in body
    assert 'name="account_number"' not in body  # no form to fill in for nothing
    posted = client.post(
        reverse("decisions:decision_accept", args=[decision.application_id]),
        {"accept_conditions": "on", "account_number": ACCOUNT},
    )
    assert posted.status_code == 302  # a page loaded before midnight, sent after: told, nothing stored
    assert not Acceptance.objects.filter(decision=decision).exists()
    assert "Fristen for å ta imot tildelingen er ute." in client.get(url).content.decode()
    home = client.get(reverse("home:home")).content.decode()
    assert "og er ute: kontakt" in home


def test_R10c_the_english_page_says_the_deadline_has_passed(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=3, days=1))
    client = client_for(cast.signer_a)
    client.cookies["sprak"] = "en"
    body = client.get(
        reverse("applications:application_detail", args=[decision.application_id])
    ).content.decode()
    assert "It has passed, so the award can no longer be accepted here." in body


def test_R10c_the_deadline_is_the_letters_and_editing_the_round_afterwards_does_not_move_it(cast):
    decision = award(cast)
    assert decision.acceptance_due == timezone.localdate() + timedelta(weeks=3)
    round = decision.application.round
    round.acceptance_weeks = 1
    round.save(update_fields=["acceptance_weeks"])
    decision = Decision.objects.get(pk=decision.pk)
    assert acceptance_deadline(decision) == timezone.localdate() + timedelta(weeks=3)
    assert issuing.acceptance_is_open(decision, timezone.now() + timedelta(weeks=2))


# --- A new deadline from the office ------------------------------------------------------------


def test_R10c_the_office_gives_a_new_deadline_with_a_reason_and_the_signer_can_accept_again(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=4))
    before = acceptance_deadline(decision)
    new_day = timezone.localdate() + timedelta(days=14)
    response = client_for(cast.officer_t).post(
        reverse("decisions:acceptance_extend", args=[decision.application_id]),
        {"until": new_day.strftime("%d.%m.%Y"), "reason": "Brevet kom bort i posten."},
    )
    assert response.status_code == 302
    extension = AcceptanceExtension.objects.get(decision=decision)
    assert (extension.until, extension.reason, extension.granted_by) == (
        new_day,
        "Brevet kom bort i posten.",
        cast.officer_t,
    )
    entry = Entry.objects.filter(kind="acceptance_extended").get()
    assert entry.reason == "Brevet kom bort i posten." and entry.visible_to_applicant
    assert (
        entry.changes[0]["before"] == before.isoformat() and entry.changes[0]["after"] == new_day.isoformat()
    )
    body = (
        client_for(cast.signer_a)
        .get(reverse("applications:application_detail", args=[decision.application_id]))
        .content.decode()
    )
    assert 'id="acceptance-closed"' not in body and 'name="account_number"' in body
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)


def test_R10c_the_new_deadline_is_the_whole_day_in_force_and_replaces_an_earlier_one(client_for, cast):
    decision = award(cast, letter_day=date(2027, 3, 10))
    now = oslo(date(2027, 4, 2), time(9))
    issuing.grant_acceptance_extension(
        decision=decision, by=cast.officer_t, until=date(2027, 4, 9), reason="Syk leder", now=now
    )
    issuing.grant_acceptance_extension(
        decision=decision, by=cast.approver_t, until=date(2027, 4, 16), reason="Fortsatt syk", now=now
    )
    decision = Decision.objects.select_related("acceptance_extension").get(pk=decision.pk)
    assert issuing.acceptance_deadline_in_force(decision) == date(2027, 4, 16)
    assert acceptance_deadline(decision) == date(2027, 3, 31)  # the letter's own deadline stays as written
    assert deadlines.acceptance_deadline_in_force(  # as the payments list reads it, from the columns
        decision.acceptance_extension.until,
        decision.acceptance_due,
        decision.approved_at,
        decision.application.round.acceptance_weeks,
    ) == date(2027, 4, 16)
    payments = client_for(cast.officer_t).get(
        reverse("decisions:round_payments", args=[decision.application.round_id])
    )
    assert "Frist 16. april 2027" in payments.content.decode()
    with pytest.raises(issuing.AcceptanceClosed):
        issuing.accept(
            decision=decision, by=cast.signer_a, account_number=ACCOUNT, now=oslo(date(2027, 4, 17), time(0))
        )
    issuing.accept(
        decision=decision, by=cast.signer_a, account_number=ACCOUNT, now=oslo(date(2027, 4, 16), time(23, 59))
    )
    assert [e.reason for e in Entry.objects.filter(kind="acceptance_extended").order_by("pk")] == [
        "Syk leder",
        "Fortsatt syk",
    ]


@pytest.mark.parametrize(
    "until, reason, field",
    [
        (date(2027, 4, 1), "Glemt", "until"),  # before today
        (date(2027, 3, 31), "Glemt", "until"),  # the deadline in force already
        (date(2028, 4, 3), "Glemt", "until"),  # more than a year ahead
        (date(2027, 4, 9), "  ", "reason"),
    ],
)
def test_R10c_a_new_deadline_is_refused_next_to_the_field(cast, until, reason, field):
    decision = award(cast, letter_day=date(2027, 3, 3))  # deadline 24 March
    if until == date(2027, 3, 31):
        issuing.grant_acceptance_extension(
            decision=decision,
            by=cast.officer_t,
            until=until,
            reason="Først",
            now=oslo(date(2027, 3, 30), time(9)),
        )
    with pytest.raises(ValidationError) as refused:
        issuing.grant_acceptance_extension(
            decision=decision,
            by=cast.officer_t,
            until=until,
            reason=reason,
            now=oslo(date(2027, 4, 2), time(9)),
        )
    assert list(refused.value.message_dict) == [field]


def test_R10c_no_new_deadline_for_an_accepted_award_or_from_another_office(cast):
    decision = award(cast)
    with pytest.raises(PermissionDenied):
        issuing.grant_acceptance_extension(
            decision=decision, by=cast.officer_n, until=timezone.localdate() + timedelta(weeks=5), reason="x"
        )
    issuing.accept(decision=decision, by=cast.signer_a, account_number=ACCOUNT)
    with pytest.raises(ValidationError):
        issuing.grant_acceptance_extension(
            decision=decision, by=cast.officer_t, until=timezone.localdate() + timedelta(weeks=5), reason="x"
        )
    assert not AcceptanceExtension.objects.exists()


def test_R10c_the_extension_form_shows_its_errors_next_to_the_fields(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=4))
    response = client_for(cast.officer_t).post(
        reverse("decisions:acceptance_extend", args=[decision.application_id]),
        {"until": "01.01.2001", "reason": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_until_error"' in body or 'id="id_reason_error"' in body
    assert not AcceptanceExtension.objects.exists()


def test_R10c_the_signer_sees_no_extension_form_and_cannot_post_one(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=4))
    client = client_for(cast.signer_a)
    url = reverse("applications:application_detail", args=[decision.application_id])
    assert 'id="acceptance-extension"' not in client.get(url).content.decode()
    response = client.post(
        reverse("decisions:acceptance_extend", args=[decision.application_id]),
        {"until": (timezone.localdate() + timedelta(days=7)).strftime("%d.%m.%Y"), "reason": "Selv"},
    )
    assert response.status_code in (403, 404)
    assert not AcceptanceExtension.objects.exists()


# --- The office's start page -------------------------------------------------------------------------


def _overdue_step(overview) -> list[str]:
    return [s.text for r in overview["rounds"] for s in r.steps if "fristen for å ta imot er ute" in s.text]


def test_R10c_the_office_start_page_counts_awards_past_their_acceptance_deadline(client_for, cast):
    decision = award(cast, letter_day=timezone.localdate() - timedelta(weeks=3, days=1))
    with CaptureQueriesContext(connection) as one:
        overview = office_overview(cast.officer_t, cast.office_t)
    assert _overdue_step(overview) == ["1 tildeling er ikke tatt imot, og fristen for å ta imot er ute."]
    body = client_for(cast.officer_t).get(reverse("home:home")).content.decode()
    assert "1 tildeling er ikke tatt imot, og fristen for å ta imot er ute." in body
    # given a new deadline, it is no longer overdue: it waits like any other
    issuing.grant_acceptance_extension(
        decision=decision, by=cast.officer_t, until=timezone.localdate(), reason="Ny leder"
    )
    overview = office_overview(cast.officer_t, cast.office_t)
    assert _overdue_step(overview) == []
    assert any("er ikke akseptert av mottakeren ennå" in s.text for r in overview["rounds"] for s in r.steps)
    # the count is one query however many awards are overdue, in however many rounds
    award(cast, letter_day=timezone.localdate() - timedelta(weeks=5), fylke=True, year=2028)
    with CaptureQueriesContext(connection) as more:
        overview = office_overview(cast.officer_t, cast.office_t)
    assert _overdue_step(overview) == ["1 tildeling er ikke tatt imot, og fristen for å ta imot er ute."]
    assert len(more) == len(one)


# --- The demo -----------------------------------------------------------------------------------------


def test_R10c_the_demos_decided_round_can_still_be_accepted(reference_data):
    """Trøndelag 2025: Steinkjer's award is approved when the demo is loaded, so its three weeks run from then."""
    import io

    from django.core.management import call_command

    from tilskudd.accounts.models import User

    call_command("load_demo", stdout=io.StringIO())
    stine = User.objects.get(username="steinkjer")
    decision = Decision.objects.get(
        application__organisation=stine.organisation, application__round__year=2025
    )
    assert issuing.acceptance_deadline_in_force(decision) == timezone.localdate() + timedelta(weeks=3)
    issuing.accept(decision=decision, by=stine, account_number=ACCOUNT)
    assert Acceptance.objects.filter(decision=decision, accepted_by=stine).exists()
    # the office's start page has nothing overdue in the demo
    officer = User.objects.get(username="saksbehandler")
    assert _overdue_step(office_overview(officer, officer.office)) == []
