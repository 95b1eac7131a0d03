"""Assessment, allocation and decisions through the office's pages (R7–R10b)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import close_call, make_round, submitted_application
from tests.helpers import assert_queries_constant, page_queries
from tilskudd.accounts.models import Role, User
from tilskudd.assessment import services
from tilskudd.assessment.models import Assessment, KommuneRecord, Override, Scenario
from tilskudd.assessment.summary import cache as summary_cache
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.organisations.models import Organisation, OrganisationKind


@pytest.fixture
def oversubscribed(cast):
    """Trøndelag 2027 with 1 000 000 kr against 1 700 000 kr applied for (two applications)."""
    round = make_round(cast.office_t, fresh_funds=1_000_000, carried_over_funds=0)
    a = submitted_application(round, cast.kommune_a, by=cast.signer_a)  # 850 000
    b = submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    return close_call(round), a, b


def _proposal(round, user):
    return services.proposal(services.saved_scenario(round=round, scenario_id=None, by=user))


def test_R9_the_proposal_never_exceeds_the_funds_and_explains_each_line(client_for, cast, oversubscribed):
    round, a, b = oversubscribed
    body = client_for(cast.officer_t).get(reverse("assessment:allocation", args=[round.pk])).content.decode()
    proposal = _proposal(round, cast.officer_t)
    assert proposal.allocation.total <= round.total_funds
    for item in proposal.lines:
        assert item.result.amount <= item.line.amount
        assert f'id="line-{item.line.pk}"' in body
    assert "Gjenstår" in body


def test_R7_the_offices_record_feeds_the_tier(client_for, cast, oversubscribed):
    round, a, _ = oversubscribed
    innovation = a.lines.get(kind="innovation")
    before = next(i for i in _proposal(round, cast.officer_t).lines if i.line.pk == innovation.pk).tier.tier
    client_for(cast.officer_t).post(
        reverse("assessment:kommune_records", args=[round.pk]),
        {
            f"k{cast.kommune_a.pk}-leve_hele_livet": "fulfils",
            f"k{cast.kommune_a.pk}-note": "Vedtatt plan 2026",
        },
    )
    after = next(i for i in _proposal(round, cast.officer_t).lines if i.line.pk == innovation.pk)
    assert after.tier.tier == max(1, before - 1)
    assert "leve_hele_livet" in after.tier.reasons


def test_an_ineligible_line_needs_a_reason_and_gets_nothing(client_for, cast, oversubscribed):
    round, a, _ = oversubscribed
    line = a.lines.get(kind="innovation")
    client = client_for(cast.officer_t)
    url = reverse("assessment:line_assess", args=[round.pk, line.pk])
    refused = client.post(url, {"eligible": "no", "version": "0"})
    assert 'id="id_ineligible_reason_error"' in refused.content.decode()
    assert not Assessment.objects.filter(line=line).exists()
    client.post(url, {"eligible": "no", "ineligible_reason": "Ordinær utviklingsdrift", "version": "0"})
    item = next(i for i in _proposal(round, cast.officer_t).lines if i.line.pk == line.pk)
    assert item.result.amount == 0


def test_two_officers_assessing_the_same_line_the_second_is_told(client_for, cast, oversubscribed):
    round, a, _ = oversubscribed
    line = a.lines.get(kind="competence")
    colleague = User.objects.create(username="officer_t2", role=Role.CASE_OFFICER, office=cast.office_t)
    services.assess_line(line=line, by=colleague, data={"comment": "Godt tiltak"}, version=0)
    response = client_for(cast.officer_t).post(
        reverse("assessment:line_assess", args=[round.pk, line.pk]),
        {"eligible": "yes", "comment": "Min vurdering", "version": "0"},
    )
    body = response.content.decode()
    assert "En kollega lagret en vurdering" in body
    assert "Min vurdering" in body  # what was typed is kept on screen
    assert Assessment.objects.get(line=line).comment == "Godt tiltak"


def test_an_override_with_a_reason_changes_the_line_and_the_remaining_funds(client_for, cast, oversubscribed):
    round, a, _ = oversubscribed
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    line = a.lines.get(kind="bpa")
    client = client_for(cast.officer_t)
    without_reason = client.post(
        reverse("assessment:override_set", args=[round.pk, scenario.pk, line.pk]), {"amount": "10 000"}
    )
    assert without_reason.status_code == 302 and not Override.objects.exists()
    client.post(
        reverse("assessment:override_set", args=[round.pk, scenario.pk, line.pk]),
        {"amount": "10 000", "reason": "Halv gruppe"},
    )
    item = next(i for i in services.proposal(scenario).lines if i.line.pk == line.pk)
    assert item.result.amount == 10_000
    body = client.get(
        reverse("assessment:allocation", args=[round.pk]) + f"?scenario={scenario.pk}"
    ).content.decode()
    assert "Halv gruppe" in body


def test_scenarios_are_saved_side_by_side_and_compared(client_for, cast, oversubscribed):
    round, _, _ = oversubscribed
    client = client_for(cast.officer_t)
    client.get(reverse("assessment:allocation", args=[round.pk]))
    response = client.post(
        reverse("assessment:scenario_create", args=[round.pk]),
        {
            "name": "Innovasjon maks 40 %",
            "tier_1": "proportional",
            "tier_2": "proportional",
            "tier_3": "ranked",
            "innovation_share": "40",
        },
    )
    capped = Scenario.objects.get(round=round, name="Innovasjon maks 40 %")
    assert response["Location"].endswith(f"?scenario={capped.pk}")
    proposal = services.proposal(capped)
    assert proposal.allocation.per_kind.get("innovation", 0) <= round.total_funds * 40 // 100
    first = round.scenarios.first()
    body = client.get(
        reverse("assessment:allocation", args=[round.pk]), {"scenario": first.pk, "compare": capped.pk}
    ).content.decode()
    assert "Hvem vinner og hvem taper" in body


def test_R10_four_eyes_and_the_applicant_sees_only_approved_decisions(client_for, cast, oversubscribed):
    round, a, _ = oversubscribed
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    client = client_for(cast.officer_t)
    client.post(reverse("decisions:decisions_prepare", args=[round.pk]), {"scenario": scenario.pk})
    decision = Decision.objects.get(application=a)
    assert decision.lines.count() == 3
    applicant_page = (
        client_for(cast.signer_a)
        .get(reverse("applications:application_detail", args=[a.pk]))
        .content.decode()
    )
    assert 'id="decision"' not in applicant_page

    # the preparer's own approval is refused
    response = client_for(cast.officer_t).post(
        reverse("decisions:decision_approve", args=[round.pk, decision.pk]), follow=True
    )
    assert "En annen person ved embetet må godkjenne det" in response.content.decode()
    decision.refresh_from_db()
    assert not decision.is_approved
    with pytest.raises(decisions.FourEyes):
        decisions.approve(decision=decision, by=cast.officer_t)
    # an officer of another office cannot approve either
    with pytest.raises(PermissionDenied):
        decisions.approve(decision=decision, by=cast.approver_n)

    client_for(cast.approver_t).post(
        reverse("decisions:decisions_approve_all", args=[round.pk]), {"decisions": str(decision.pk)}
    )
    decision.refresh_from_db()
    assert decision.is_approved and decision.approved_by == cast.approver_t
    applicant_page = (
        client_for(cast.signer_a)
        .get(reverse("applications:application_detail", args=[a.pk]))
        .content.decode()
    )
    assert 'id="decision"' in applicant_page

    # approved decisions are final
    with pytest.raises(decisions.AlreadyDecided):
        decisions.approve(decision=decision, by=cast.approver_t)
    granted = decision.granted
    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    assert Decision.objects.get(pk=decision.pk).granted == granted


def test_R10b_no_appeal_by_default_and_configurable_per_applicant_kind(cast, oversubscribed):
    round, a, b = oversubscribed
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    assert not Decision.objects.get(application=a).appeal_allowed
    assert "kan ikke påklages" in Decision.objects.get(application=a).appeal_text
    round.appeal_allowed_kinds = ["fylkeskommune"]
    round.save()
    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    assert Decision.objects.get(application=b).appeal_allowed
    assert "kan påklages" in Decision.objects.get(application=b).appeal_text


def test_P2_allocation_page_queries_are_constant_in_the_number_of_lines(client_for, cast):
    round = make_round(cast.office_t)
    kommuner = list(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")[:30])
    signers = [User.objects.create(username=f"s{o.pk}", role=Role.SIGNER, organisation=o) for o in kommuner]
    for org, signer in list(zip(kommuner, signers, strict=True))[:3]:
        submitted_application(round, org, by=signer)
    client = client_for(cast.officer_t)

    def grow():
        for org, signer in list(zip(kommuner, signers, strict=True))[3:]:
            submitted_application(round, org, by=signer)

    count = assert_queries_constant(
        client, reverse("assessment:allocation", args=[round.pk]), grow, forget=summary_cache.clear
    )
    print(f"allocation: {count} queries for 9 and for 90 lines")


def test_P2_allocation_page_queries_are_constant_in_the_number_of_amounts_set_by_hand(
    client_for, cast, oversubscribed
):
    """Each row names who set its amount: the people are read with the overrides, not once a row."""
    round, a, b = oversubscribed
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    lines = list(a.lines.all()) + list(b.lines.all())
    officers = [
        User.objects.create(username=f"officer_t{n}", role=Role.CASE_OFFICER, office=cast.office_t)
        for n in range(len(lines))
    ]
    services.set_override(
        round=round, scenario_id=scenario.pk, line=lines[0], by=officers[0], amount=1_000, reason="Skjønn"
    )
    client = client_for(cast.officer_t)

    def grow():
        for line, officer in list(zip(lines, officers, strict=True))[1:]:
            services.set_override(
                round=round, scenario_id=scenario.pk, line=line, by=officer, amount=1_000, reason="Skjønn"
            )

    url = reverse("assessment:allocation", args=[round.pk]) + f"?scenario={scenario.pk}"
    assert_queries_constant(client, url, grow, forget=summary_cache.clear)


def test_the_unsaved_default_scenario_links_to_the_page_without_a_scenario(client_for, cast, oversubscribed):
    round, _a, _b = oversubscribed
    url = reverse("assessment:allocation", args=[round.pk])
    page = client_for(cast.officer_t).get(url).content.decode()
    assert "scenario=None" not in page
    assert f'href="{url}" aria-current="page">Forslag</a>' in page
    assert not Scenario.objects.filter(round=round).exists()  # looking saves nothing


def test_a_first_scenario_named_as_the_default_is_created_not_reported_as_existing(
    client_for, cast, oversubscribed
):
    round, _a, _b = oversubscribed
    response = client_for(cast.officer_t).post(
        reverse("assessment:scenario_create", args=[round.pk]),
        {
            "name": "Forslag",
            "tier_1": "ranked",
            "tier_2": "ranked",
            "tier_3": "ranked",
            "innovation_share": "40",
        },
        follow=True,
    )
    assert "finnes allerede" not in response.content.decode()
    assert Scenario.objects.get(round=round).kind_share_caps == {"innovation": 40}


def test_a_scenario_that_is_refused_leaves_no_default_saved_beside_it(cast, oversubscribed):
    round, _a, _b = oversubscribed
    with pytest.raises(ValidationError):
        services.create_scenario(round=round, by=cast.officer_t, name="Stor", max_amount=10**11)
    line = _a.lines.first()
    with pytest.raises(ValidationError):
        services.set_override(
            round=round, scenario_id=0, line=line, by=cast.officer_t, amount=10**11, reason="x"
        )
    assert not Scenario.objects.filter(round=round).exists()


def test_a_scenario_of_another_round_is_not_found(client_for, cast, oversubscribed):
    round, a, _b = oversubscribed
    elsewhere = services.saved_scenario(
        round=make_round(cast.office_t, year=2028), scenario_id=None, by=cast.officer_t
    )
    with pytest.raises(Http404):
        services.saved_scenario(round=round, scenario_id=elsewhere.pk, by=cast.officer_t)
    url = reverse("assessment:override_set", args=[round.pk, elsewhere.pk, a.lines.first().pk])
    response = client_for(cast.officer_t).post(url, {"amount": "1000", "reason": "Skjønn"})
    assert response.status_code == 404
    assert not Override.objects.exists()


def test_saving_a_kommune_record_reads_it_once_locked_and_updates_it_in_place(cast, oversubscribed):
    round, _a, _b = oversubscribed
    values = {"leve_hele_livet": "", "needs_qualification": True, "note": "Første"}
    first = services.save_kommune_record(
        round=round, organisation=cast.kommune_a, by=cast.officer_t, **values
    )
    with CaptureQueriesContext(connection) as captured:
        again = services.save_kommune_record(
            round=round, organisation=cast.kommune_a, by=cast.officer_t, **(values | {"note": "Andre"})
        )
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and "kommunerecord" in q["sql"]
    ]
    assert len(reads) == 1
    assert again.pk == first.pk and KommuneRecord.objects.get().note == "Andre"


def test_the_allocation_table_is_paged_but_its_figures_count_every_line(
    client_for, cast, oversubscribed, monkeypatch
):
    """Issue 13: a round of 900 lines shows a page of rows; totals, the unspent sentence and charts stay whole."""
    from tilskudd.assessment import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    round, a, b = oversubscribed
    url = reverse("assessment:allocation", args=[round.pk])
    client = client_for(cast.officer_t)
    proposal = services.proposal(services.default_scenario(round))
    rows = [i.line.pk for i in proposal.lines]
    assert len(rows) == 4
    first = client.get(url).content.decode()
    assert first.count('id="line-') == 2
    assert "Side 1 av 2" in first and "page=2" in first
    assert "Viser 4 av 4 tiltak." in first  # the filter's count, not the page's
    proposed = f"{proposal.allocation.total:,}".replace(",", "\u00a0")
    assert proposed in first.split('class="figures"')[1].split("</div>\n</div>")[0]  # the whole proposal
    second = client.get(url, {"page": 2}).content.decode()
    on_first = {pk for pk in rows if f'id="line-{pk}"' in first}
    on_second = {pk for pk in rows if f'id="line-{pk}"' in second}
    assert on_first | on_second == set(rows) and not on_first & on_second
    # returning to a line (after an action on it) opens the page that has it
    target = next(iter(on_second))
    assert f'id="line-{target}"' in client.get(url, {"line": target}).content.decode()
    # filters narrow every page, and the pagination keeps them
    only_bpa = client.get(url, {"kind": "bpa"}).content.decode()
    assert "Viser 1 av 4 tiltak." in only_bpa and "Side 1 av" not in only_bpa
    competence = client.get(url, {"kind": "competence", "page": "1"}).content.decode()
    assert "Viser 2 av 4 tiltak." in competence and "Side 1 av" not in competence  # two fit one page
    # grouped by applicant, a page holds whole applicants: Trondheim's three measures stay together
    grouped = client.get(url, {"group": "applicant"}).content.decode()
    assert all(f'id="line-{line.pk}"' in grouped for line in a.lines.all())
    assert "Side 1 av 2" in grouped and "group=applicant&amp;page=2" in grouped
    (b_line,) = b.lines.all()
    back = client.get(url, {"group": "applicant", "line": b_line.pk}).content.decode()
    assert f'id="line-{b_line.pk}"' in back and "Side 2 av 2" in back
    assert "Side 2 av 2" in client.get(url, {"page": "99"}).content.decode()  # a page past the end: the last
    assert "Side 1 av 2" in client.get(url, {"page": "x"}).content.decode()


def test_the_override_form_is_loaded_on_demand_and_the_action_returns_to_the_same_view(
    client_for, cast, oversubscribed
):
    round, a, _ = oversubscribed
    line = a.lines.get(kind="bpa")
    client = client_for(cast.officer_t)
    page = client.get(reverse("assessment:allocation", args=[round.pk]), {"kind": "bpa"}).content.decode()
    assert 'name="reason"' not in page  # no form per row in the page itself
    form_url = reverse("assessment:override_form", args=[round.pk, 0, line.pk])
    assert f'hx-get="{form_url}?back=kind%3Dbpa"' in page
    fragment = client.get(
        form_url, {"back": "kind=bpa&evil=1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and 'name="reason"' in fragment
    proposed = next(
        i for i in services.proposal(services.default_scenario(round)).lines if i.line.pk == line.pk
    )
    assert f'value="{proposed.result.amount}"' in fragment
    assert 'name="back" value="kind=bpa"' in fragment  # only the page's own parameters are carried
    whole = client.get(form_url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in whole and 'name="reason"' in whole
    response = client.post(
        reverse("assessment:override_set", args=[round.pk, 0, line.pk]),
        {"amount": "10 000", "reason": "Halv gruppe", "back": "kind=bpa&page=3"},
    )
    scenario = round.scenarios.get()
    assert response.url == (
        reverse("assessment:allocation", args=[round.pk])
        + f"?kind=bpa&scenario={scenario.pk}&line={line.pk}#line-{line.pk}"
    )
    assert "Halv gruppe" in client.get(response.url).content.decode()


def test_P2_the_override_form_queries_are_constant_in_the_number_of_lines(client_for, cast):
    round = make_round(cast.office_t)
    kommuner = list(Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")[:12])
    signers = [User.objects.create(username=f"s{o.pk}", role=Role.SIGNER, organisation=o) for o in kommuner]
    first = submitted_application(round, kommuner[0], by=signers[0])

    def grow():
        for org, signer in list(zip(kommuner, signers, strict=True))[1:]:
            submitted_application(round, org, by=signer)

    url = reverse("assessment:override_form", args=[round.pk, 0, first.lines.first().pk])
    assert_queries_constant(client_for(cast.officer_t), url, grow, forget=summary_cache.clear)


def _round_with_decisions(cast, year: int, applicants: int):
    round = make_round(cast.office_t, year=year)
    kommuner = Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50").order_by("pk")
    for organisation in kommuner[:applicants]:
        signer = User.objects.create(
            username=f"s{year}-{organisation.pk}", role=Role.SIGNER, organisation=organisation
        )
        submitted_application(round, organisation, by=signer)
    close_call(round)
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    return round


def test_P2_decisions_and_payments_pages_take_as_many_queries_for_many_decisions_as_for_few(client_for, cast):
    few, many = _round_with_decisions(cast, 2030, 2), _round_with_decisions(cast, 2031, 12)
    assert Decision.objects.filter(application__round=many).count() == 12
    client = client_for(cast.officer_t)
    for name in ("decisions:round_decisions", "decisions:round_payments"):
        client.get(reverse(name, args=[few.pk]))  # warm per-process caches out of the count
        assert page_queries(client, reverse(name, args=[few.pk])) == page_queries(
            client, reverse(name, args=[many.pk])
        ), name


def test_P2_kommune_records_page_takes_as_many_queries_for_many_records_as_for_none(client_for, cast):
    round = make_round(cast.office_t)
    url = reverse("assessment:kommune_records", args=[round.pk])

    def grow():
        for organisation in Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50"):
            KommuneRecord.objects.create(
                organisation=organisation, year=round.year, note="Plan vedtatt", updated_by=cast.officer_t
            )

    assert_queries_constant(client_for(cast.officer_t), url, grow)
    page = client_for(cast.officer_t).get(url).content.decode()
    assert page.count('value="Plan vedtatt"') == KommuneRecord.objects.filter(year=round.year).count() > 10


def test_R7_a_refused_kommune_records_form_shows_what_was_typed_and_saves_nothing(client_for, cast):
    round = make_round(cast.office_t)
    a = cast.kommune_a.pk
    b = (
        Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50")
        .exclude(pk=a)
        .first()
        .pk
    )
    refused = client_for(cast.officer_t).post(
        reverse("assessment:kommune_records", args=[round.pk]),
        {f"k{a}-leve_hele_livet": "fulfils", f"k{a}-needs_qualification": "on", f"k{b}-note": "x" * 501},
    )
    body = refused.content.decode()
    assert refused.status_code == 200 and not KommuneRecord.objects.filter(year=round.year).exists()
    assert f'id="id_k{b}-note" aria-invalid="true"' in body and f'id="id_k{b}-note_error"' in body
    assert f'id="id_k{a}-needs_qualification" checked' in body  # what was typed stays
    a_select = body.split(f'name="k{a}-leve_hele_livet"')[1].split("</select>")[0]
    assert 'value="fulfils" selected' in a_select
