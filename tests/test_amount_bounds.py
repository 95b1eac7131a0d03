"""Amounts and counts are bounded (issue 9, point 3).

A BPA line of per-person amount × persons in the 10^18 range once passed submission; the
office's round page then failed for everyone (integer overflow in the sum), irreparably since
the application was frozen. Now forms, services and the database hold every amount and count
to a ceiling, submission refuses what slipped through before, and an administrator can repair
old data with a logged correction.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.factories import close_call, make_application, make_round, submitted_application
from tilskudd.applications import services
from tilskudd.applications.models import BudgetItem, Line
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.domain.lines import MAX_PERSONS, bpa_amount, line_ceiling
from tilskudd.domain.money import MAX_AMOUNT, NBSP, AmountError
from tilskudd.rounds import services as round_services
from tilskudd.rounds.models import Round


@pytest.fixture
def round_t(cast):
    return make_round(cast.office_t, year=2027)  # 56 961 396 kr in all


def _field_error(body: str, field: str) -> str:
    """The message shown next to a field (web/forms/field.html), spaces made plain."""
    start = body.index(f'id="id_{field}_error"')
    return body[start : body.index("</div>", start)].replace(NBSP, " ")


def _bpa_line(round, cast):
    application = make_application(round, cast.kommune_a, by=cast.applicant_a, kinds=("bpa",), complete=False)
    return application, application.lines.get()


# --- Forms: a clear message next to the field --------------------------------------------------------------


def test_a_bpa_line_in_the_10_to_the_18_range_is_refused_next_to_its_fields(client_for, cast, round_t):
    application, line = _bpa_line(round_t, cast)
    response = client_for(cast.applicant_a).post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"amount_per_person": "1 000 000 000 000", "persons_count": "1000000", "persons_untrained": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Beløpet kan være høyst 1 000 000 000 kr." in _field_error(body, "amount_per_person")
    assert "Tallet kan være høyst 10 000." in _field_error(body, "persons_count")
    line.refresh_from_db()
    assert line.amount_per_person is None and line.persons_count is None


def test_a_bpa_line_asking_for_more_than_the_rounds_funds_is_refused_next_to_the_amount(
    client_for, cast, round_t
):
    application, line = _bpa_line(round_t, cast)
    response = client_for(cast.applicant_a).post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"amount_per_person": "100 000", "persons_count": "1000", "persons_untrained": "0"},
    )
    message = _field_error(response.content.decode(), "amount_per_person")
    assert "Beløp per person × antall personer blir 100 000 000 kr, som er mer enn 56 961 396 kr." in message
    line.refresh_from_db()
    assert line.amount_applied is None


def test_an_autosave_out_of_bounds_says_which_field_and_why(client_for, cast, round_t):
    application, line = _bpa_line(round_t, cast)
    response = client_for(cast.applicant_a).post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"amount_per_person": "100 000", "persons_count": "1000"},
        HTTP_HX_REQUEST="true",
    )
    assert "Beløp per person (kr): Beløp per person × antall personer" in response.content.decode()


def test_round_funds_above_a_milliard_are_refused_next_to_the_field(client_for, cast):
    from tests.test_rounds import _round_post

    client = client_for(cast.officer_t)
    response = client.post(
        reverse("rounds:round_create"),
        _round_post(fresh_funds="900 000 000", carried_over_funds="200 000 000"),
    )
    message = _field_error(response.content.decode(), "carried_over_funds")
    assert "Friske og overførte midler kan til sammen være høyst 1 000 000 000 kr." in message
    response = client.post(reverse("rounds:round_create"), _round_post(fresh_funds="5 000 000 000 000"))
    assert "høyst 1 000 000 000 kr" in _field_error(response.content.decode(), "fresh_funds")
    assert not Round.objects.filter(year=2028).exists()


def test_an_allocation_scenario_cannot_cap_above_a_milliard(client_for, cast, round_t):
    with pytest.raises(ValidationError) as refused:
        assessment.create_scenario(round=round_t, by=cast.officer_t, name="Stor", max_amount=10**11)
    assert set(refused.value.message_dict) == {"max_amount"}
    response = client_for(cast.officer_t).post(
        reverse("assessment:scenario_create", args=[round_t.pk]),
        {
            "name": "Stor",
            "tier_1": "proportional",
            "tier_2": "proportional",
            "tier_3": "ranked",
            "max_amount": "100 000 000 000",
        },
        follow=True,
    )
    assert "høyst 1\u00a0000\u00a0000\u00a0000\u00a0kr" in response.content.decode()
    assert not round_t.scenarios.filter(name="Stor").exists()


# --- Services: refused even when a form is bypassed -------------------------------------------------------


def test_update_line_refuses_out_of_range_values_even_when_the_form_is_bypassed(cast, round_t):
    application, line = _bpa_line(round_t, cast)
    with pytest.raises(ValidationError) as refused:
        services.update_line(
            line=line, by=cast.applicant_a, data={"amount_per_person": 10**12, "persons_count": 10**6}
        )
    assert set(refused.value.message_dict) == {"amount_per_person", "persons_count"}
    with pytest.raises(ValidationError) as refused:  # each factor fine, the product is not
        services.update_line(
            line=line, by=cast.applicant_a, data={"amount_per_person": 10**6, "persons_count": 5000}
        )
    assert set(refused.value.message_dict) == {"amount_per_person"}
    line.refresh_from_db()
    assert (line.amount_per_person, line.persons_count, line.amount_applied) == (None, None, None)

    competence = Line.objects.create(application=application, kind="competence", rank=2)
    with pytest.raises(ValidationError) as refused:
        services.update_line(
            line=competence,
            by=cast.applicant_a,
            data={"amount_applied": 60_000_000, "employees_count": 10**6},
        )
    assert set(refused.value.message_dict) == {"amount_applied", "employees_count"}

    innovation = Line.objects.create(application=application, kind="innovation", rank=3)
    with pytest.raises(ValidationError) as refused:
        services.update_line(
            line=innovation,
            by=cast.applicant_a,
            data={"own_financing": 10**10},
            budget_items=[("Prosjektleder", 10**10)],
        )
    assert set(refused.value.message_dict) == {"own_financing", "budget"}
    assert not BudgetItem.objects.filter(line=innovation).exists()


def test_an_application_asks_for_at_most_a_milliard_in_all(cast):
    round = make_round(cast.office_t, fresh_funds=600_000_000, carried_over_funds=400_000_000)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a, complete=False)
    first = application.lines.get()
    services.update_line(line=first, by=cast.applicant_a, data={"amount_applied": 600_000_000})
    second = Line.objects.create(application=application, kind="competence", rank=2)
    with pytest.raises(ValidationError) as refused:
        services.update_line(line=second, by=cast.applicant_a, data={"amount_applied": 600_000_000})
    assert "1\u00a0200\u00a0000\u00a0000\u00a0kr" in refused.value.message_dict["amount_applied"][0]
    services.update_line(line=second, by=cast.applicant_a, data={"amount_applied": 400_000_000})


def test_submission_refuses_a_line_above_the_rounds_funds(client_for, cast):
    """A line saved before the office lowered the round's funds is caught before the application freezes."""
    round = make_round(cast.office_t, fresh_funds=1_000_000, carried_over_funds=0)
    application = make_application(round, cast.kommune_a, by=cast.signer_a, kinds=("innovation",))  # 750 000
    Round.objects.filter(pk=round.pk).update(fresh_funds=500_000)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit(application=application, by=cast.signer_a)
    assert [p.code for p in refused.value.problems] == ["line_out_of_bounds"]
    page = (
        client_for(cast.signer_a)
        .get(reverse("applications:application_submit", args=[application.pk]))
        .content.decode()
    )
    assert 'data-code="line_out_of_bounds"' in page
    assert "har beløp eller antall over det som kan søkes om: søkt beløp" in page


def test_bpa_amount_never_exceeds_the_ceiling():
    assert bpa_amount(100_000, MAX_PERSONS) == MAX_AMOUNT
    for per_person, persons in [
        (10**12, 10**6),
        (MAX_AMOUNT + 1, 1),
        (1, MAX_PERSONS + 1),
        (100_001, MAX_PERSONS),
    ]:
        with pytest.raises(AmountError):
            bpa_amount(per_person, persons)
    assert line_ceiling(56_961_396) == 56_961_396 and line_ceiling(0) == line_ceiling(10**12) == MAX_AMOUNT


# --- The database: the last line of defence ----------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"amount_applied": MAX_AMOUNT + 1},
        {"amount_per_person": MAX_AMOUNT + 1},
        {"own_financing": MAX_AMOUNT + 1},
        {"employees_count": 100_001},
        {"persons_count": MAX_PERSONS + 1},
        {"persons_untrained": MAX_PERSONS + 1},
        {"amount_per_person": MAX_AMOUNT, "persons_count": 2},  # the product
    ],
)
def test_the_database_refuses_amounts_and_counts_out_of_bounds(cast, round_t, values):
    application = make_application(
        round_t, cast.kommune_a, by=cast.applicant_a, kinds=("bpa",), complete=False
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.filter(application=application).update(**values)


def test_the_database_refuses_round_funds_above_a_milliard(cast, round_t):
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=round_t.pk).update(fresh_funds=MAX_AMOUNT, carried_over_funds=1)
    with pytest.raises(ValidationError):
        round_services.update_round(round=round_t, by=cast.officer_t, data={"fresh_funds": 2 * MAX_AMOUNT})
    round_t.refresh_from_db()
    assert round_t.fresh_funds == 36_110_000


def test_the_round_page_sums_the_largest_applications_allowed(client_for, cast):
    round = make_round(cast.office_t, fresh_funds=MAX_AMOUNT, carried_over_funds=0)
    for organisation, signer in ((cast.kommune_a, cast.signer_a), (cast.fylkeskommune, cast.fylke_user)):
        application = make_application(round, organisation, by=signer)
        services.update_line(line=application.lines.get(), by=signer, data={"amount_applied": MAX_AMOUNT})
        services.submit(application=application, by=signer)
    response = client_for(cast.officer_t).get(reverse("rounds:round_manage", args=[round.pk]))
    assert response.status_code == 200
    assert "2\u00a0000\u00a0000\u00a0000\u00a0kr" in response.content.decode()


# --- Repair: an administrator corrects frozen data, logged -------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="stores the old, unbounded data past the constraints"
)
def test_an_administrator_repairs_a_frozen_line_and_the_round_page_works_again(client_for, cast, round_t):
    application = submitted_application(round_t, cast.kommune_a, by=cast.signer_a)
    bpa, competence = application.lines.get(kind="bpa"), application.lines.get(kind="competence")
    with connection.cursor() as cursor:  # the data as it was before the bounds: 10^19 kr in all
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        Line.objects.filter(pk=bpa.pk).update(
            amount_per_person=5 * 10**14, persons_count=10_000, amount_applied=5 * 10**18
        )
        Line.objects.filter(pk=competence.pk).update(amount_applied=5 * 10**18)
        cursor.execute("PRAGMA ignore_check_constraints = OFF")
    client = client_for(cast.officer_t)
    with pytest.raises(Exception, match="overflow"):  # what the office met: a 500 on its own round page
        client.get(reverse("rounds:round_manage", args=[round_t.pk]))

    call_command(
        "repair_amount", line=competence.pk, amount="60 000", by="admin", reason="Tastefeil: 60 000 kr"
    )
    call_command(
        "repair_amount", line=bpa.pk, amount="40 000", persons=8, by="admin", reason="8 personer à 5 000 kr"
    )

    bpa.refresh_from_db()
    assert (bpa.amount_per_person, bpa.persons_count, bpa.amount_applied) == (5_000, 8, 40_000)
    response = client.get(reverse("rounds:round_manage", args=[round_t.pk]))
    assert response.status_code == 200 and "850\u00a0000\u00a0kr" in response.content.decode()
    corrections = entries_for(application).filter(kind="corrected")
    assert [e.actor for e in corrections] == [cast.admin, cast.admin]
    assert "8 personer à 5 000 kr" in corrections.last().reason
    assert (
        "5\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000\u00a0kr" in corrections.first().detail
    )  # before
    application.refresh_from_db()
    assert application.snapshot["total"] == 850_000  # the snapshot stays the record of what was submitted
    page = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert "Rettet av en administrator" in page


def test_repair_amount_is_for_administrators_with_a_reason_and_not_for_approved_decisions(cast, round_t):
    application = submitted_application(round_t, cast.kommune_a, by=cast.signer_a)
    line = application.lines.get(kind="competence")
    with pytest.raises(CommandError, match="not an administrator"):
        call_command("repair_amount", line=line.pk, amount="1", by="officer_t", reason="x")
    with pytest.raises(CommandError, match="reason"):
        call_command("repair_amount", line=line.pk, amount="1", by="admin", reason="  ")
    with pytest.raises(CommandError, match="amount_applied"):
        call_command("repair_amount", line=line.pk, amount="2 000 000 000", by="admin", reason="x")

    close_call(round_t)
    scenario = assessment.saved_scenario(round=round_t, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    call_command("repair_amount", line=line.pk, amount="50 000", by="admin", reason="Feil beløp")
    assert not Decision.objects.filter(application=application).exists()  # the draft goes, to be made again
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round_t, by=cast.approver_t)
    with pytest.raises(CommandError, match="godkjent vedtak"):
        call_command("repair_amount", line=line.pk, amount="40 000", by="admin", reason="Feil beløp igjen")
