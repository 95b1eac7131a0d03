"""The public award pages, open data page, statistics and the national text in a real browser (axe, CSP)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.factories import close_call, make_round, submitted_application
from tilskudd.assessment import services as assessment
from tilskudd.decisions import services as decisions
from tilskudd.publication.selectors import awards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decided(cast):
    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    return round


def test_public_award_pages_open_data_and_statistics(page, cast, decided):
    for name, url in (
        ("award_list", reverse("publication:award_list")),
        ("award_detail", reverse("publication:award_detail", args=[awards().get(kind="innovation").pk])),
        ("organisation_awards", reverse("publication:organisation_awards", args=[cast.kommune_a.pk])),
        ("open_data", reverse("publication:open_data")),
        ("statistics", reverse("publication:statistics")),
        ("office_statistics", reverse("publication:office_statistics", args=[cast.office_t.pk])),
    ):
        page.goto(page.base_url + url)
        check_accessibility(page, name)
    page.set_viewport_size({"width": 390, "height": 800})
    for url in (reverse("publication:award_list"), reverse("publication:statistics")):
        page.goto(page.base_url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url


def test_statistics_for_a_chosen_office_and_year(page, cast, decided):
    """The choice (issue 14): picked in the form, kept in the address; the bars labelled with their year
    and kind on a phone, where the table is below the chart; at 1280 px every table fits beside its chart."""
    page.goto(page.base_url + reverse("publication:statistics"))
    page.select_option("#s-office", str(cast.office_t.pk))
    page.select_option("#s-year", str(decided.year))
    page.click("main form.filters button[type=submit]")
    page.wait_for_url(f"**/statistikk/?office={cast.office_t.pk}&year={decided.year}")
    assert f"{cast.office_t.name}, {decided.year}" in page.locator("h1").inner_text()
    overflowing = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert overflowing == 0  # no table needs sideways scrolling at 1280 px
    check_accessibility(page, "statistics_office_year")
    page.set_viewport_size({"width": 390, "height": 800})
    years = page.locator("figure").first.locator(".chart__label")
    assert years.all_inner_texts() == [str(decided.year)] and years.first.is_visible()
    label, bars = years.first.bounding_box(), page.locator("figure").first.locator(".chart__bars").first
    assert label["y"] < bars.bounding_box()["y"]  # the year above its bars


def test_the_national_reader_edits_the_scheme_text(page, cast, decided):
    login(page, "national")
    page.goto(page.base_url + reverse("publication:scheme_text"))
    check_accessibility(page, "scheme_text")
    page.fill("#id_purpose", "Kompetent, stabil og tilstrekkelig bemanning")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(page.base_url + reverse("rounds:round_detail", args=[decided.pk]))
    assert "Kompetent, stabil og tilstrekkelig bemanning" in page.locator("main").inner_text()
    check_accessibility(page, "round_detail_with_scheme_text")


def test_the_office_publishes_a_rounds_refusals(page, cast, decided):
    """From the round page's actions to the setting (axe), and the refused measure on the public list."""
    from tilskudd.decisions.models import DecisionLine

    refused = DecisionLine.objects.filter(decision__application__round=decided).order_by("pk").first()
    DecisionLine.objects.filter(pk=refused.pk).update(granted=0)  # one measure granted nothing
    from tilskudd.publication.summary import refresh_round

    refresh_round(decided.pk)
    login(page, "officer_t")
    page.goto(page.base_url + reverse("rounds:round_manage", args=[decided.pk]))
    page.click("main a:text-is('Publisering')")
    page.wait_for_url(page.base_url + reverse("publication:round_publication", args=[decided.pk]))
    check_accessibility(page, "round_publication")
    page.check("#id_publish_refusals")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(page.base_url + reverse("publication:award_detail", args=[refused.pk]))
    assert "Avslått" in page.locator("main").inner_text()
