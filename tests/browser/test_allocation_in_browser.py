"""Assessment, allocation and decisions in a real browser, each page checked with axe."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.factories import close_call, make_round, submitted_application
from tilskudd.assessment import services
from tilskudd.decisions.models import Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_overrides_a_line_and_sees_the_remaining_funds_change(page, cast):
    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)  # 850 000 applied
    login(page, "officer_t")
    page.goto(page.base_url + reverse("assessment:allocation", args=[round.pk]))
    remaining = page.locator(".figure--accent .figure__value")
    assert remaining.inner_text().replace("\u00a0", " ") == "1 150 000 kr"
    check_accessibility(page, "allocation")
    line = application.lines.get(kind="bpa")
    row = page.locator(f"#line-{line.pk}")
    row.locator("summary").click()
    row.locator("input[name=amount]").fill("10 000")
    row.locator("input[name=reason]").fill("Halv gruppe")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert (
        page.locator(".figure--accent .figure__value").inner_text().replace("\u00a0", " ") == "1 180 000 kr"
    )
    assert "Halv gruppe" in page.locator(f"#line-{line.pk}").inner_text()

    page.goto(
        page.base_url
        + reverse("assessment:line_assess", args=[round.pk, application.lines.get(kind="innovation").pk])
    )
    check_accessibility(page, "line_assess")
    page.goto(page.base_url + reverse("assessment:kommune_records", args=[round.pk]))
    check_accessibility(page, "kommune_records")


def test_a_paged_allocation_by_keyboard_opens_a_lines_form_and_returns_to_its_page(page, cast, monkeypatch):
    """Issue 10 item 8 at a real round's size: a page of the rows, the form fetched when opened, back to the row."""
    from tilskudd.assessment import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)  # four lines: two pages
    round = make_round(cast.office_t, fresh_funds=1_000_000, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    login(page, "officer_t")
    page.goto(page.base_url + reverse("assessment:allocation", args=[round.pk]))
    remaining = page.locator(".figure--accent .figure__value").inner_text()
    page.click("nav.pagination >> text=Neste")
    assert "Side 2 av 2" in page.locator("nav.pagination").inner_text()
    assert page.locator(".figure--accent .figure__value").inner_text() == remaining  # figures of every line
    row = page.locator("tr[id^=line-]").last
    line_id = row.get_attribute("id")
    assert row.locator("input[name=reason]").count() == 0  # not in the page until asked for
    row.locator("summary").focus()
    page.keyboard.press("Enter")
    reason = row.locator("input[name=reason]")
    reason.wait_for()
    check_accessibility(page, "allocation_paged_form_open")
    row.locator("input[name=amount]").fill("5 000")
    reason.fill("Skjønn")
    reason.press("Enter")
    page.wait_for_url(f"**#{line_id}")
    assert "Side 2 av 2" in page.locator("nav.pagination").inner_text()  # the page that has the line
    assert "Skjønn" in page.locator(f"#{line_id}").inner_text()
    assert page.locator(".sticky-figures .ds-alert").is_visible()  # the confirmation is in view
    box = page.locator(f"#{line_id}").bounding_box()
    figures = page.locator(".sticky-figures").bounding_box()
    assert box["y"] >= figures["y"] + figures["height"] - 1  # the row is not under the sticky figures


def test_decisions_page_and_the_applicant_sees_the_approved_decision(page, cast):
    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    from tilskudd.decisions import services as decisions

    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    login(page, "approver_t")
    page.goto(page.base_url + reverse("decisions:round_decisions", args=[round.pk]))
    check_accessibility(page, "round_decisions")
    one = Decision.objects.get(application=application)
    page.goto(page.base_url + reverse("decisions:decision_approve", args=[round.pk, one.pk]))
    check_accessibility(page, "approve_one")
    page.goto(page.base_url + reverse("decisions:round_decisions", args=[round.pk]))
    page.click("text=Se over og godkjenn")  # first the summary of what is approved
    page.wait_for_url("**/godkjenn-alle/")
    assert "Innvilget i alt" in page.locator("main").inner_text()
    assert not Decision.objects.get(application=application).is_approved
    check_accessibility(page, "approve_all_summary")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/vedtak/")
    assert Decision.objects.get(application=application).is_approved
    with page.expect_navigation():
        page.click("text=Logg ut")
    login(page, "signer_a")
    page.goto(page.base_url + reverse("applications:application_detail", args=[application.pk]))
    assert page.locator("#decision").is_visible()
    check_accessibility(page, "application_with_decision")


def test_letters_acceptance_and_payment_pages(page, cast):
    from tilskudd.decisions import issuing

    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    from tilskudd.decisions import services as decisions

    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    decision = Decision.objects.get(application=application)
    issuing.issue_letter(decision)

    login(page, "signer_a")
    page.goto(page.base_url + reverse("applications:application_detail", args=[application.pk]))
    page.check("#id_accept_conditions")
    page.fill("#id_account_number", "1234 56 78904")
    page.click("#decision form button[type=submit]")
    assert page.locator("#id_account_number_error").is_visible()
    check_accessibility(page, "acceptance_error")
    page.fill("#id_account_number", "1234 56 78903")
    page.check("#id_accept_conditions")
    page.click("#decision form button[type=submit]")
    page.wait_for_load_state()
    assert "1234 56 78903" in page.locator("#decision").inner_text()  # shown the way banks print it
    check_accessibility(page, "accepted")
    page.click("text=Logg ut")

    login(page, "officer_t")
    page.goto(page.base_url + reverse("decisions:round_payments", args=[round.pk]))
    check_accessibility(page, "payments")
    page.goto(page.base_url + reverse("decisions:round_decisions", args=[round.pk]))
    check_accessibility(page, "round_decisions_with_letters")


def test_R10c_after_the_acceptance_deadline_the_signer_is_told_and_the_office_gives_a_new_one(page, cast):
    from datetime import time, timedelta

    from django.utils import timezone

    from tilskudd.decisions import services as decisions
    from tilskudd.domain.deadlines import deadline_on

    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = services.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=services.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    weeks_ago = timezone.localdate() - timedelta(weeks=round.acceptance_weeks, days=1)
    Decision.objects.filter(application=application).update(
        approved_at=deadline_on(weeks_ago, time(12)), acceptance_due=timezone.localdate() - timedelta(days=1)
    )
    case_page = page.base_url + reverse("applications:application_detail", args=[application.pk])

    login(page, "signer_a")
    page.goto(case_page)
    assert page.locator("#acceptance-closed").is_visible()
    assert page.locator("#id_account_number").count() == 0
    check_accessibility(page, "acceptance_closed")
    page.click("text=Logg ut")

    login(page, "officer_t")
    page.goto(page.base_url + "/")
    assert page.locator("#next-steps a", has_text="fristen for å ta imot er ute").first.is_visible()
    page.goto(case_page)
    page.fill("#id_until", "01.01.2001")
    page.fill("#id_reason", "Kommunen fikk ikke brevet.")
    page.click("#acceptance-extension button[type=submit]")
    assert page.locator("#id_until_error").is_visible()
    check_accessibility(page, "acceptance_extension_error")
    page.fill("#id_until", (timezone.localdate() + timedelta(days=14)).strftime("%d.%m.%Y"))
    page.click("#acceptance-extension button[type=submit]")
    page.wait_for_load_state()
    assert "Kommunen fikk ikke brevet." in page.locator("#decision").inner_text()
    check_accessibility(page, "acceptance_extended")
