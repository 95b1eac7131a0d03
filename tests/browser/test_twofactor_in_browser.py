"""Two-step login in a real browser: an approver without it is stopped at the approve button, sets it up
from the QR page (the code computed here from the key shown for typing), logs in again with a code and
approves. Every page checked with axe at 1280 and 390 px, and for CSP violations."""

import time
from base64 import b32decode

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility
from tests.factories import close_call, make_round, submitted_application
from tests.helpers import app_code
from tilskudd.assessment import services as assessment
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def password_step(page, username: str):
    page.goto(page.base_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def code_after(key: str, last_t: int) -> str:
    """The app's code for the first step the server will still take (never the one set-up used)."""
    now = int(time.time()) // 30
    return app_code(key, steps=max(now, last_t + 1) - now)


def test_an_approver_sets_up_two_step_login_logs_in_with_a_code_and_approves(page, cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decision = Decision.objects.get(application=application)
    approve_one = page.base_url + reverse("decisions:decision_approve", args=[round.pk, decision.pk])

    # The password alone: logged in, sent to set-up; the approval page says why there is no button.
    password_step(page, "approver_t")
    page.wait_for_url("**/konto/to-trinn/sett-opp/**")
    page.goto(approve_one)
    notice = page.locator("#two-step-notice")
    assert notice.is_visible() and page.locator("form.submit-form").count() == 0
    check_accessibility(page, "approve_one_needs_two_step")

    # Set-up, from the approval page's notice and back to it.
    notice.get_by_role("link").click()
    page.wait_for_url("**/konto/to-trinn/sett-opp/**")
    assert page.get_by_role("img", name="QR-kode for autentiseringsappen").is_visible()
    check_accessibility(page, "two_step_setup")
    typed = page.locator("#secret").inner_text().replace(" ", "")
    key = b32decode(typed).hex()  # what an app that cannot scan is given
    page.fill("#id_code", "000000" if app_code(key) != "000000" else "111111")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#id_code_error")
    check_accessibility(page, "two_step_setup_wrong_code")
    page.fill("#id_code", app_code(key))
    page.click("main form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    check_accessibility(page, "two_step_recovery_codes")
    page.click("text=Jeg har tatt vare på kodene")
    page.wait_for_url(approve_one)
    assert page.locator("form.submit-form").is_visible()

    # Logging in again takes a code; then the approval goes through.
    with page.expect_navigation():
        page.click("text=Logg ut")
    password_step(page, "approver_t")
    page.wait_for_url("**/konto/to-trinn/kode/")
    check_accessibility(page, "two_step_code")
    last_t = TOTPDevice.objects.get(user=cast.approver_t).last_t
    page.fill("#id_code", code_after(key, last_t))
    page.click("main form button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("#two-step-notice").count() == 0
    page.goto(page.base_url + reverse("decisions:round_decisions", args=[round.pk]))
    page.click("text=Se over og godkjenn")
    page.wait_for_url("**/godkjenn-alle/")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/vedtak/")
    assert Decision.objects.get(application=application).approved_by == cast.approver_t

    page.goto(page.base_url + reverse("accounts:two_step"))
    check_accessibility(page, "two_step_overview")
