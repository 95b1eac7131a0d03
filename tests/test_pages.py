"""Start pages per role, the language switch, and organisation details."""

import pytest
from django.urls import reverse

from tests.helpers import assert_queries_constant
from tilskudd.organisations.models import Organisation, OrganisationKind


def test_the_public_front_page_is_in_bokmal_by_default(client, reference_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in body
    assert "Logg inn" in body
    assert "Hopp til hovedinnhold" in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nn", "Hopp til hovudinnhald"), ("en", "Skip to main content"), ("nb", "Hopp til hovedinnhold")],
)
def test_the_language_switch_changes_the_language(client, reference_data, language, expected):
    response = client.post(reverse("accounts:set_language"), {"language": language, "next": "/"}, follow=True)
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert expected in body


def test_applicant_start_page_names_the_organisation_and_office(client_for, cast):
    body = client_for(cast.applicant_a).get("/").content.decode()
    assert cast.kommune_a.display_name in body  # named as letters name it
    assert "Statsforvalteren i Trøndelag" in body
    # an applicant cannot register the organisation number; the signer can
    assert reverse("organisations:organisation_edit", args=[cast.kommune_a.pk]) not in body
    assert (
        reverse("organisations:organisation_edit", args=[cast.kommune_a.pk])
        in client_for(cast.signer_a).get("/").content.decode()
    )


def test_case_officer_start_page_shows_the_office_and_its_kommuner(client_for, cast):
    body = client_for(cast.officer_t).get("/").content.decode()
    assert "Statsforvalteren i Trøndelag" in body
    assert "38" in body
    assert reverse("organisations:office_detail", args=[cast.office_t.pk]) in body


def test_national_start_page_lists_every_office(client_for, cast):
    body = client_for(cast.national).get("/").content.decode()
    assert body.count('href="/embeter/') == 10


def test_signer_registers_a_valid_organisation_number(client_for, cast):
    client = client_for(cast.signer_a)
    url = reverse("organisations:organisation_edit", args=[cast.kommune_a.pk])
    response = client.post(url, {"organisasjonsnummer": "942 110 464", "written_language": "nn"})
    assert response.status_code == 302
    cast.kommune_a.refresh_from_db()
    assert cast.kommune_a.organisasjonsnummer == "942110464"
    assert cast.kommune_a.written_language == "nn"


def test_a_wrong_check_digit_is_refused_next_to_the_field_and_nothing_is_saved(client_for, cast):
    client = client_for(cast.signer_a)
    url = reverse("organisations:organisation_edit", args=[cast.kommune_a.pk])
    response = client.post(url, {"organisasjonsnummer": "942110465", "written_language": "nn"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_organisasjonsnummer_error"' in body
    assert "MOD11" in body
    assert 'href="#id_organisasjonsnummer"' in body  # the error summary links to the field
    assert 'value="942110465"' in body  # what was typed is kept
    cast.kommune_a.refresh_from_db()
    assert cast.kommune_a.organisasjonsnummer == ""
    assert cast.kommune_a.written_language == "nb"


def _add_organisations(fylke, count=200):
    return lambda: Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.STATE, name=f"Høgskole {i}", fylke=fylke) for i in range(count)
    )


def test_P2_office_page_queries_do_not_grow_with_the_number_of_organisations(client_for, cast):
    url = reverse("organisations:office_detail", args=[cast.office_t.pk])
    assert_queries_constant(client_for(cast.officer_t), url, _add_organisations(cast.kommune_a.fylke))


def test_P2_national_start_page_queries_do_not_grow(client_for, cast):
    assert_queries_constant(client_for(cast.national), "/", _add_organisations(cast.kommune_b.fylke))
