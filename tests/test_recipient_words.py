"""Words the recipient understands (issue 10, item 5): status, names, orders and groups.

The application's status follows its approved decision; the applicant's order of its
lines and the office's priority group are named apart; organisations are named as in
Norwegian letters; the English interface shows no Norwegian status or explanation.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import close_call, make_round, submitted_application
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import services as decisions
from tilskudd.decisions.letters import letter_html
from tilskudd.decisions.models import Decision
from tilskudd.organisations import events as organisation_events
from tilskudd.organisations import services as organisation_services
from tilskudd.organisations.models import Organisation, formal_name

pytestmark = pytest.mark.django_db


def decided(cast, *, fresh_funds=800_000, approve=True):
    round = make_round(cast.office_t, fresh_funds=fresh_funds, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    line = application.lines.get(rank=1)
    assessment.set_override(
        round=round,
        scenario_id=scenario.pk,
        line=line,
        by=cast.officer_t,
        amount=30_000,
        reason="Delvis drift",
    )
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    if approve:
        decisions.approve_round(round=round, by=cast.approver_t)
    return round, application


def english(client):
    client.cookies["sprak"] = "en"
    return client


# --- The status follows the decision ------------------------------------------------


def test_the_status_follows_the_approved_decision_on_the_case_page(client_for, cast):
    _, application = decided(cast)
    assert Decision.objects.get(application=application).outcome == "partly"
    url = reverse("applications:application_detail", args=[application.pk])
    body = client_for(cast.signer_a).get(url).content.decode()
    assert ">Delvis innvilget</span>" in body
    assert ">Sendt inn</span>" not in body


def test_the_status_stays_submitted_until_the_decision_is_approved(client_for, cast):
    _, application = decided(cast, approve=False)
    url = reverse("applications:application_detail", args=[application.pk])
    body = client_for(cast.officer_t).get(url).content.decode()
    assert ">Sendt inn</span>" in body and "innvilget</span>" not in body


def test_the_offices_list_shows_the_decided_status(client_for, cast):
    round, _ = decided(cast, fresh_funds=36_110_000)
    body = client_for(cast.officer_t).get(reverse("rounds:round_manage", args=[round.pk])).content.decode()
    assert 'data-color="info">Delvis innvilget</span>' in body
    assert ">Sendt inn</span>" not in body


def test_the_english_interface_shows_no_norwegian_status_or_explanation(client_for, cast):
    _, application = decided(cast)
    url = reverse("applications:application_detail", args=[application.pk])
    body = english(client_for(cast.signer_a)).get(url).content.decode()
    assert ">Partly granted</span>" in body
    assert "Delvis innvilget" not in body
    assert "the amount has been set by the County Governor at 30,000" in body
    assert "fastsatt av Statsforvalteren" not in body and "Begrunnelse" not in body
    assert "Reason: Delvis drift." in body


def test_R10b_the_appeal_sentence_is_in_the_readers_language_and_the_letter_keeps_the_recipients(
    client_for, cast
):
    cast.kommune_a.written_language = "nn"
    cast.kommune_a.save(update_fields=["written_language"])
    _, application = decided(cast)
    decision = Decision.objects.get(application=application)
    nynorsk = "Vedtaket kan ikkje påklagast."
    assert decision.appeal_text.startswith(nynorsk)  # the letter's sentence, in the recipient's language
    url = reverse("applications:application_detail", args=[application.pk])
    pages = {}
    for language in ("en", "nb", "nn"):
        client = client_for(cast.signer_a)
        client.cookies["sprak"] = language
        body = client.get(url).content.decode()
        start = body.index('id="decision"')
        pages[language] = body[start : body.index("</section>", start)]
    assert "The decision cannot be appealed. A grant to a municipality" in pages["en"]
    assert "påklag" not in pages["en"]
    assert "Vedtaket kan ikke påklages. Et tilskudd til en kommune" in pages["nb"]
    assert nynorsk in pages["nn"] and "kan ikke påklages" not in pages["nn"]
    # The letter: nynorsk, whatever the reader's language.
    assert decision.appeal_text in letter_html(decision)


# --- Orders and groups, and no internal wording for the applicant --------------------------


def test_the_applicant_sees_its_own_order_and_the_recipients_explanation(client_for, cast):
    _, application = decided(cast)
    url = reverse("applications:application_detail", args=[application.pk])
    body = client_for(cast.signer_a).get(url).content.decode()
    panel = body[body.index('id="decision"') : body.index("</section>", body.index('id="decision"'))]
    assert "Deres rekkefølge" in panel
    assert ">Prioritet<" not in panel
    assert "Begrunnelse: Delvis drift." in panel
    assert "Innvilget: 30" in panel and "Innvilget fullt: 30" not in panel
    assert "saksbehandler" not in panel.lower()
    office_panel = client_for(cast.officer_t).get(url).content.decode()
    assert "Søkerens rekkefølge" in office_panel


def test_the_signer_is_told_the_acceptance_deadline(client_for, cast):
    round, application = decided(cast)
    body = client_for(cast.signer_a).get(reverse("applications:application_detail", args=[application.pk]))
    assert "Frist for å ta imot tildelingen:" in body.content.decode()


# --- Names as in Norwegian letters ----------------------------------------------------


@pytest.mark.parametrize(
    "kind, name, expected",
    [
        ("kommune", "Trondheim - Tråante", "Trondheim kommune"),
        ("kommune", "Guovdageaidnu - Kautokeino", "Kautokeino kommune"),  # the Norwegian form, not the first
        ("kommune", "Gáivuotna - Kåfjord - Kaivuono", "Kåfjord kommune"),
        ("kommune", "Nordreisa - Ráisa - Raisi", "Nordreisa kommune"),
        ("kommune", "Bodø", "Bodø kommune"),
        ("fylkeskommune", "Trøndelag fylkeskommune", "Trøndelag fylkeskommune"),
        (
            "state",
            "Norges teknisk-naturvitenskapelige universitet (NTNU)",
            "Norges teknisk-naturvitenskapelige universitet (NTNU)",
        ),
    ],
)
def test_organisations_are_named_as_in_norwegian_letters(kind, name, expected):
    assert formal_name(kind, name) == expected


def test_every_kommune_with_parallel_names_has_a_norwegian_letter_name(reference_data):
    for kommune in Organisation.objects.filter(kind="kommune", name__contains=" - "):
        assert " - " not in kommune.display_name and kommune.display_name.endswith(" kommune")
    assert Organisation.objects.get(kommunenummer="5612").display_name == "Kautokeino kommune"


def test_pages_use_the_letter_name(client_for, cast):
    body = client_for(cast.signer_a).get(
        reverse("organisations:organisation_detail", args=[cast.kommune_a.pk])
    )
    text = body.content.decode()
    assert "<h1" in text and ">Trondheim kommune</h1>" in text
    assert "Trondheim - Tråante" in text  # the official name is still shown, below


# --- The recipient's postal address -------------------------------------------------------


def test_the_signer_keeps_the_postal_address_and_the_change_is_logged(client_for, cast):
    url = reverse("organisations:organisation_edit", args=[cast.kommune_a.pk])
    response = client_for(cast.signer_a).post(
        url,
        {
            "organisasjonsnummer": "",
            "written_language": "nb",
            "postal_address": "Postboks 2300 Torgarden",
            "postal_code": "7004",
            "postal_town": "Trondheim",
        },
    )
    assert response.status_code == 302
    cast.kommune_a.refresh_from_db()
    assert cast.kommune_a.postal_lines == ["Postboks 2300 Torgarden", "7004 TRONDHEIM"]
    entry = entries_for(cast.kommune_a).get(kind=organisation_events.DETAILS_CHANGED.code)
    assert {change["field"] for change in entry.changes} == {"postal_address", "postal_code", "postal_town"}


@pytest.mark.parametrize(
    "address, field",
    [
        (
            {"postal_address": "Postboks 2300 Torgarden", "postal_code": "", "postal_town": "Trondheim"},
            "postal_code",
        ),
        (
            {"postal_address": "Postboks 2300 Torgarden", "postal_code": "70a4", "postal_town": "Trondheim"},
            "postal_code",
        ),
        ({"postal_address": "", "postal_code": "7004", "postal_town": "Trondheim"}, "postal_address"),
    ],
)
def test_a_half_or_wrong_postal_address_is_refused_next_to_the_field(client_for, cast, address, field):
    url = reverse("organisations:organisation_edit", args=[cast.kommune_a.pk])
    response = client_for(cast.signer_a).post(
        url, {"organisasjonsnummer": "", "written_language": "nb", **address}
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    cast.kommune_a.refresh_from_db()
    assert cast.kommune_a.postal_lines == []


def test_half_a_postal_address_is_refused_by_the_service_too(cast):
    with pytest.raises(ValidationError) as refused:
        organisation_services.update_organisation_details(
            organisation=cast.kommune_a,
            by=cast.signer_a,
            organisasjonsnummer="",
            written_language="nb",
            postal_address="Postboks 2300 Torgarden",
        )
    assert set(refused.value.message_dict) == {"postal_code", "postal_town"}
    cast.kommune_a.refresh_from_db()
    assert cast.kommune_a.postal_lines == []
