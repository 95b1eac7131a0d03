"""R1: an office configures, publishes and follows its round; the public sees open calls."""

from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_application, make_round, submitted_application
from tests.helpers import assert_queries_constant
from tilskudd.accounts.models import Role, User
from tilskudd.applications import services
from tilskudd.organisations.models import Organisation, OrganisationKind
from tilskudd.rounds import services as services_round
from tilskudd.rounds.models import Round


def _round_post(**overrides):
    data = {
        "year": "2028",
        "application_deadline": "2028-03-01T23:59",
        "report_deadline": "2028-02-01T23:59",
        "change_window_opens": "2028-10-01",
        "change_window_closes": "2028-10-31",
        "fresh_funds": "36 110 000",
        "carried_over_funds": "20 851 396 kr",
        "call_text": "Tilskuddet skal bidra til kompetanse og innovasjon.",
        "score_scale_max": "5",
        "allowed_kommune": ["competence", "bpa", "innovation"],
        "allowed_fylkeskommune": ["competence"],
        "allowed_state": ["competence"],
        "limit_innovation": "5",
    }
    data.update(
        {
            f"weight_{c}": "1"
            for c in (
                "needs",
                "goals",
                "organisation",
                "gains",
                "anchoring",
                "involvement",
                "implementation",
                "method",
                "novelty",
                "evaluation",
            )
        }
    )
    data.update(overrides)
    return data


def test_R1_a_case_officer_creates_configures_and_publishes_a_round(client_for, cast):
    client = client_for(cast.officer_t)
    response = client.post(reverse("rounds:round_create"), _round_post(weight_novelty="3"))
    assert response.status_code == 302
    round = Round.objects.get(office=cast.office_t, year=2028)
    assert round.total_funds == 56_961_396
    local = timezone.localtime(round.application_deadline)
    assert (local.day, local.month, local.hour, local.minute) == (1, 3, 23, 59)
    assert round.line_limits == {"innovation": 5}
    assert round.criterion_weights["novelty"] == 3
    assert round.allowed_line_kinds["fylkeskommune"] == ["competence"]
    # not public until published
    assert client.get(reverse("rounds:round_detail", args=[round.pk])).status_code == 404
    client.post(reverse("rounds:round_publish", args=[round.pk]))
    client.logout()
    public = client.get(reverse("rounds:round_list")).content.decode()
    assert "Trøndelag 2028" in public
    detail = client.get(reverse("rounds:round_detail", args=[round.pk])).content.decode()
    assert "1. mars 2028 kl. 23:59" in detail
    assert "56\u00a0961\u00a0396\u00a0kr" in detail


def test_R1_bad_round_input_is_explained_and_kept(client_for, cast):
    client = client_for(cast.officer_t)
    response = client.post(
        reverse("rounds:round_create"),
        _round_post(fresh_funds="36,5 mill", change_window_closes="2028-09-01"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_fresh_funds_error"' in body and 'value="36,5 mill"' in body
    assert 'id="id_change_window_closes_error"' in body
    assert not Round.objects.filter(year=2028).exists()


def test_R1_one_round_per_office_and_year(client_for, cast):
    make_round(cast.office_t, year=2028)
    response = client_for(cast.officer_t).post(reverse("rounds:round_create"), _round_post())
    assert response.status_code == 200
    assert "Embetet ditt har allerede en tilskuddsrunde for dette året." in response.content.decode()
    assert 'id="id_year_error"' in response.content.decode()
    assert Round.objects.filter(office=cast.office_t, year=2028).count() == 1
    other = make_round(cast.office_t, year=2029)
    response = client_for(cast.officer_t).post(
        reverse("rounds:round_edit", args=[other.pk]), _round_post(year="2028")
    )
    assert "Embetet ditt har allerede en tilskuddsrunde for dette året." in response.content.decode()
    other.refresh_from_db()
    assert other.year == 2029


def test_R1_earmarks_are_round_configuration(client_for, cast):
    round = make_round(cast.office_t)
    client = client_for(cast.officer_t)
    client.post(
        reverse("rounds:earmark_add", args=[round.pk]),
        {"name": "Avlastning for pårørende", "amount": "2 000 000", "themes": ["respite"]},
    )
    earmark = round.earmarks.get()
    assert (earmark.amount, earmark.themes) == (2_000_000, ["respite"])


def test_case_officer_sees_submitted_applications_with_totals_and_filters(client_for, cast):
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    draft = make_application(round, cast.fylkeskommune, by=cast.fylke_user)
    client = client_for(cast.officer_t)
    url = reverse("rounds:round_manage", args=[round.pk])
    body = client.get(url).content.decode()
    # office staff do not read drafts: only how many there are and what they ask for so far
    assert cast.kommune_a.display_name in body and "Trøndelag fylkeskommune" not in body
    assert "1 organisasjon skriver på en søknad (så langt 60\u00a0000\u00a0kr)" in body
    services.share_with_office(application=draft, by=cast.fylke_user, shared=True)
    body = client.get(url).content.decode()
    assert cast.kommune_a.display_name in body and "Trøndelag fylkeskommune" in body
    assert "850\u00a0000\u00a0kr" in body  # applied for in submitted applications
    only_innovation = client.get(url, {"kind": "innovation"}).content.decode()
    assert cast.kommune_a.display_name in only_innovation and "Trøndelag fylkeskommune" not in only_innovation
    only_drafts = client.get(url, {"status": "draft"}).content.decode()
    assert "Trøndelag fylkeskommune" in only_drafts and cast.kommune_a.display_name not in only_drafts
    by_theme = client.get(url, {"theme": "respite"}).content.decode()
    assert cast.kommune_a.display_name in by_theme


def test_P2_round_page_queries_are_constant_from_5_to_200_applications(client_for, cast):
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=30))
    kommuner = list(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")[:5])
    signers = {}

    def signer(org):
        if org.pk not in signers:
            signers[org.pk] = User.objects.create(username=f"s{org.pk}", role=Role.SIGNER, organisation=org)
        return signers[org.pk]

    for org in kommuner:
        submitted_application(round, org, by=signer(org), kinds=("competence", "innovation"))

    def grow():
        extra = Organisation.objects.bulk_create(
            Organisation(kind=OrganisationKind.STATE, name=f"Høgskole {i}", fylke=cast.kommune_a.fylke)
            for i in range(195)
        )
        for org in extra:
            make_application(round, org, by=signer(org), kinds=("competence",))

    count = assert_queries_constant(  # the list is kept per state of the round's applications
        client_for(cast.officer_t), reverse("rounds:round_manage", args=[round.pk]), grow, forget=cache.clear
    )
    print(f"round_manage: {count} queries for 5 and for 200 applications")


def test_P2_application_page_queries_do_not_grow_with_lines(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(
        round, cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa", "innovation")
    )

    def grow():
        for _ in range(20):
            services.add_line(application=application, by=cast.signer_a, kind="innovation")

    count = assert_queries_constant(
        client_for(cast.signer_a), reverse("applications:application_detail", args=[application.pk]), grow
    )
    print(f"application_detail: {count} queries for 3 and for 23 lines")


def test_R1_the_letters_budget_basis_acceptance_weeks_and_copies_are_round_configuration(client_for, cast):
    client = client_for(cast.officer_t)
    client.post(reverse("rounds:round_create"), _round_post())
    round = Round.objects.get(office=cast.office_t, year=2028)
    assert (round.budget_chapter, round.budget_post, round.acceptance_weeks) == (761, 68, 3)  # the defaults
    assert round.copy_recipients == ["Helsedirektoratet"]

    response = client.post(
        reverse("rounds:round_edit", args=[round.pk]),
        _round_post(
            budget_chapter="762", budget_post="21", acceptance_weeks="4", copy_to=" Helsedirektoratet ,KS,"
        ),
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert (round.budget_chapter, round.budget_post, round.acceptance_weeks) == (762, 21, 4)
    assert round.copy_to == "Helsedirektoratet, KS"

    refused = client.post(reverse("rounds:round_edit", args=[round.pk]), _round_post(acceptance_weeks="27"))
    assert refused.status_code == 200
    assert 'id="id_acceptance_weeks_error"' in refused.content.decode()
    round.refresh_from_db()
    assert round.acceptance_weeks == 4


def test_R1_the_public_calls_list_is_kept_but_shows_an_edit_and_a_passed_deadline_at_once(client_for, cast):
    """The calls list's body is kept in the cache (P2): keyed by what it shows, so nothing shown is stale."""
    round = make_round(cast.office_t, year=2028, fresh_funds=1_000_000, carried_over_funds=0)
    url = reverse("rounds:round_list")
    anonymous = client_for(None)
    first = anonymous.get(url).content.decode()
    assert "1\u00a0000\u00a0000\u00a0kr" in first
    services_round.update_round(round=round, by=cast.officer_t, data={"fresh_funds": 2_000_000})
    edited = anonymous.get(url).content.decode()
    assert "2\u00a0000\u00a0000\u00a0kr" in edited and "1\u00a0000\u00a0000\u00a0kr" not in edited
    # the deadline passes: the round leaves the open calls for the earlier rounds
    Round.objects.filter(pk=round.pk).update(application_deadline=timezone.now() - timedelta(minutes=1))
    closed = anonymous.get(url).content.decode()
    assert "2\u00a0000\u00a0000\u00a0kr" not in closed and "Trøndelag 2028" in closed
    # an applicant's own office is marked, another's is not: the body is kept per office
    Round.objects.filter(pk=round.pk).update(application_deadline=timezone.now() + timedelta(days=1))
    assert 'class="highlight"' in client_for(cast.signer_a).get(url).content.decode()
    assert 'class="highlight"' not in client_for(None).get(url).content.decode()


def test_P2_the_public_calls_list_takes_as_many_queries_for_many_rounds_as_for_one(client, cast):
    make_round(cast.office_t, year=2028)

    def grow():
        for year in range(2029, 2035):
            make_round(cast.office_n, year=year)

    assert_queries_constant(client, reverse("rounds:round_list"), grow)
