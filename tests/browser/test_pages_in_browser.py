"""Every page type, in a real browser: screenshot, axe (WCAG 2.1 A/AA), no CSP violations."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages(page, reference_data):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    check_accessibility(page, "home_public")
    page.goto(page.base_url + reverse("home:accessibility"))
    check_accessibility(page, "accessibility")
    page.goto(page.base_url + "/finnes-ikke/")
    check_accessibility(page, "not_found")


def test_on_a_phone_the_services_name_keeps_its_long_word_on_one_line(page, reference_data):
    # At the largest heading size "innovasjonstilskudd" did not fit 390 px and broke as "innovasjonstils / kudd".
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(page.base_url + "/")
    lines = page.evaluate(
        """() => {
            const text = document.querySelector('main h1').firstChild;
            const start = text.textContent.indexOf('innovasjonstilskudd');
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + 'innovasjonstilskudd'.length);
            return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
        }"""
    )
    assert lines == 1


def test_login_with_an_error_shows_the_error_summary(page, cast):
    page.goto(page.base_url + reverse("accounts:login"))
    check_accessibility(page, "login")
    page.fill("#id_username", "signer_a")
    page.fill("#id_password", "wrong")
    page.click("main button[type=submit]")
    assert page.locator(".ds-error-summary").is_visible()
    check_accessibility(page, "login_error")


def test_the_skip_link_moves_focus_to_the_main_content(page, reference_data):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "ds-skip-link"
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main", timeout=5000)  # the fragment navigation may land a moment after the key
    assert page.url.endswith("#main")


@pytest.mark.parametrize("language", ["nn", "en"])
def test_language_switch_in_the_browser(page, reference_data, language):
    page.goto(page.base_url + "/")
    page.click(f"button[name=language][value={language}]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    check_accessibility(page, f"home_public_{language}")


# What each role's start page must offer as the next step, with the demo-like data below.
NEXT_STEP = {
    "applicant_a": "Fortsett med søknaden",
    "signer_a": "Fortsett med søknaden",
    "fylke_user": "Les utlysningen og start søknaden",
    "officer_t": "tiltak venter på vurdering",
    "approver_t": "vedtak venter på din godkjenning",
    "national": None,
    "admin": None,
}


@pytest.mark.parametrize("who", list(NEXT_STEP))
def test_start_page_of_every_role_shows_the_next_step(page, cast, who):
    from tests.factories import close_call, make_application, make_round, submitted_application
    from tilskudd.assessment import services as assessment
    from tilskudd.decisions import services as decisions

    open_round = make_round(cast.office_t, year=2027)
    make_application(open_round, cast.kommune_a, by=cast.signer_a, complete=False)
    closed = make_round(cast.office_t, year=2026, fresh_funds=800_000, carried_over_funds=0)
    submitted_application(closed, cast.kommune_a, by=cast.signer_a)
    close_call(closed)
    if who == "approver_t":
        scenario = assessment.saved_scenario(round=closed, scenario_id=None, by=cast.officer_t)
        decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    login(page, who)
    assert page.locator("h1").is_visible()
    if NEXT_STEP[who]:
        step = page.locator("#next-steps a", has_text=NEXT_STEP[who]).first
        assert step.is_visible(), f"{who}: the next step is not on the start page"
        href = step.get_attribute("href")
        check_accessibility(page, f"start_{who}")
        step.click()
        page.wait_for_load_state()
        assert page.url.split("#")[0].endswith(href.split("#")[0]), f"{who}: the step leads to {page.url}"
    else:
        check_accessibility(page, f"start_{who}")


def test_organisation_pages(page, cast):
    login(page, "signer_a")
    page.goto(page.base_url + reverse("organisations:organisation_detail", args=[cast.kommune_a.pk]))
    check_accessibility(page, "organisation_detail")
    page.click("text=Endre opplysninger")
    page.fill("#id_organisasjonsnummer", "942 110 465")
    page.click("main button[type=submit]")
    assert "MOD11" in page.locator("#id_organisasjonsnummer_error").inner_text()
    check_accessibility(page, "organisation_edit_error")
    page.fill("#id_organisasjonsnummer", "942 110 464")
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + reverse("organisations:organisation_detail", args=[cast.kommune_a.pk]))
    assert "942 110 464" in page.locator("main").inner_text()
    check_accessibility(page, "organisation_saved")


def test_office_page(page, cast):
    login(page, "officer_t")
    page.goto(page.base_url + reverse("organisations:office_detail", args=[cast.office_t.pk]))
    assert page.locator("tbody tr").count() >= 39
    check_accessibility(page, "office_detail")


def test_password_reset_logout_and_forbidden_pages(page, cast):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    page.goto(page.base_url + reverse("accounts:password_reset"))
    check_accessibility(page, "password_reset")
    page.fill("#id_email", cast.signer_a.email or "signer@kommune.example")
    page.click("main button[type=submit]")
    page.wait_for_url("**" + reverse("accounts:password_reset_done"))
    check_accessibility(page, "password_reset_done")
    uid = urlsafe_base64_encode(force_bytes(cast.signer_a.pk))
    token = default_token_generator.make_token(cast.signer_a)
    page.goto(page.base_url + reverse("accounts:password_reset_confirm", args=[uid, token]))
    assert page.locator("#id_new_password1").is_visible()
    check_accessibility(page, "password_reset_confirm")
    page.fill("#id_new_password1", "a new horse battery staple")
    page.fill("#id_new_password2", "a new horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url("**" + reverse("accounts:password_reset_complete"))
    check_accessibility(page, "password_reset_complete")

    login(page, "signer_a", "a new horse battery staple")
    response = page.goto(page.base_url + reverse("rounds:round_office_list"))  # a case officer's page
    assert response.status == 403 and page.locator("h1").is_visible()
    check_accessibility(page, "forbidden")
    page.goto(page.base_url + reverse("accounts:logout"))
    check_accessibility(page, "logout_confirm")
