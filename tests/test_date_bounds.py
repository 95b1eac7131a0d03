"""Dates are sane (issue 9, point 8).

A round deadline in year 0001 gave a 500 (its local midnight cannot be turned into UTC), and
payment dates 0001-01-01 and 9999-12-31 were accepted. Round dates and extensions lie in the
years 2000–2100; a payment is dated from a week before its decision was approved to a year ahead.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_round, submitted_application
from tests.test_rounds import _round_post
from tilskudd.applications import services as application_services
from tilskudd.assessment import services as assessment
from tilskudd.decisions import issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision, Payment
from tilskudd.domain.deadlines import OSLO
from tilskudd.rounds import services as round_services
from tilskudd.rounds.models import Extension, Round

YEARS_MESSAGE = "Velg en dato mellom årene 2000 og 2100."


def _field_error(body: str, field: str) -> str:
    start = body.index(f'id="id_{field}_error"')
    return body[start : body.index("</div>", start)]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("application_deadline", "0001-01-01T00:00"),
        ("application_deadline", "9999-12-31T23:59"),
        ("report_deadline", "0001-01-01T00:00"),
        ("report_deadline", "9999-12-31T23:59"),
        ("change_window_opens", "0001-01-01"),
        ("change_window_closes", "9999-12-31"),
    ],
)
def test_round_dates_in_year_0001_or_9999_are_refused_with_a_message_not_a_500(
    client_for, cast, field, value
):
    response = client_for(cast.officer_t).post(reverse("rounds:round_create"), _round_post(**{field: value}))
    assert response.status_code == 200
    assert YEARS_MESSAGE in _field_error(response.content.decode(), field)
    assert not Round.objects.filter(office=cast.office_t).exists()


@pytest.mark.parametrize(
    "moment",
    [datetime(1, 1, 1, tzinfo=OSLO), datetime(9999, 12, 31, 23, 59, tzinfo=OSLO)],
    ids=["0001", "9999"],
)
def test_create_and_update_round_refuse_dates_outside_2000_to_2100(cast, moment):
    data = {"year": 2028, "application_deadline": moment, "fresh_funds": 1_000_000}
    with pytest.raises(ValidationError) as refused:
        round_services.create_round(by=cast.officer_t, data=data)
    assert refused.value.message_dict == {"application_deadline": [YEARS_MESSAGE]}
    round = make_round(cast.office_t)
    for name, value in (("report_deadline", moment), ("change_window_opens", moment.date())):
        with pytest.raises(ValidationError) as refused:
            round_services.update_round(round=round, by=cast.officer_t, data={name: value})
        assert list(refused.value.message_dict) == [name]
    round.refresh_from_db()
    assert round.report_deadline is None and round.change_window_opens is None


@pytest.mark.parametrize("until", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_extension_until_year_0001_or_9999_is_refused_with_a_message(client_for, cast, until):
    round = make_round(cast.office_t)
    response = client_for(cast.officer_t).post(
        reverse("applications:round_extension", args=[round.pk]),
        {"organisation": cast.kommune_a.pk, "until": until, "reason": "Sykdom"},
    )
    assert response.status_code == 200
    assert YEARS_MESSAGE in _field_error(response.content.decode(), "until")
    assert not Extension.objects.exists()


def test_grant_extension_refuses_insane_dates_even_when_the_form_is_bypassed(cast):
    round = make_round(cast.office_t)
    for until in (
        datetime(9999, 12, 31, 23, 59, tzinfo=OSLO),
        round.application_deadline - timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as refused:
            application_services.grant_extension(
                round=round, organisation=cast.kommune_a, by=cast.officer_t, until=until, reason="Sykdom"
            )
        assert list(refused.value.message_dict) == ["until"]
    assert not Extension.objects.exists()


@pytest.fixture
def accepted(cast):
    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    decision = Decision.objects.get(application=application)
    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    return round, decision


@pytest.mark.parametrize("paid_on", ["0001-01-01", "9999-12-31"])
def test_payment_dates_0001_and_9999_are_refused_next_to_the_field(client_for, cast, accepted, paid_on):
    round, decision = accepted
    response = client_for(cast.officer_t).post(
        reverse("decisions:round_payments", args=[round.pk]),
        {"decision": decision.pk, "paid_on": paid_on, "amount": "1 000"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    error = body[body.index(f'id="paid-on-{decision.pk}-error"') :]
    assert YEARS_MESSAGE in error[: error.index("</div>")]
    assert f'value="{paid_on}"' in body  # what was typed stays in its row
    assert not Payment.objects.exists()


def test_a_payment_is_dated_from_a_week_before_approval_to_a_year_ahead(client_for, cast, accepted):
    round, decision = accepted
    approved_on, today = timezone.localdate(decision.approved_at), timezone.localdate()
    for paid_on in (
        date(1, 1, 1),
        date(9999, 12, 31),
        approved_on - timedelta(days=8),
        today + timedelta(days=366),
    ):
        with pytest.raises(ValidationError) as refused:
            issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=paid_on, amount=1_000)
        assert list(refused.value.message_dict) == ["paid_on"]
    response = client_for(cast.officer_t).post(
        reverse("decisions:round_payments", args=[round.pk]),
        {"decision": decision.pk, "paid_on": (today + timedelta(days=400)).isoformat(), "amount": "1 000"},
    )
    assert "Betalingsdatoen må være mellom" in response.content.decode()
    for paid_on in (approved_on - timedelta(days=7), today + timedelta(days=365)):
        issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=paid_on, amount=1_000)
    assert Payment.objects.count() == 2
