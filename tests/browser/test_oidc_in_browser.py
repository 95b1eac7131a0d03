"""Login through ID-porten in a real browser, against the local provider on the live server (issue 16)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility
from tilskudd.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PID = "01017012345"


def test_a_person_logs_in_through_the_provider_and_out_again(page, oidc_provider, reference_data):
    # a page that needs a login sends the visitor to the login page, which remembers where they were going
    page.goto(page.base_url + reverse("accounts:account"))
    page.wait_for_url("**/logg-inn/?next=/konto/")
    check_accessibility(page, "login_with_provider")

    page.click("main a:has-text('Logg inn med ID-porten')")
    oidc_provider.log_in_in_browser(page, pid=PID, given_name="Kari", family_name="Nordmann")

    page.wait_for_url(page.base_url + reverse("accounts:account"))
    assert page.locator("header").get_by_text("Kari Nordmann").is_visible()
    user = oidc_provider.user_for(pid=PID)
    assert user.get_full_name() == "Kari Nordmann" and user.role == Role.NONE

    # logging out ends the provider's session too, and lands on the start page
    page.click("header button:has-text('Logg ut')")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("header a:has-text('Logg inn')").is_visible()
    assert oidc_provider.server.logouts and oidc_provider.server.logouts[-1]["id_token_hint"]

    # a token that does not hold up: a page that says so, and still logged out
    page.goto(page.base_url + reverse("accounts:login"))
    page.click("main a:has-text('Logg inn med ID-porten')")
    oidc_provider.log_in_in_browser(page, pid=PID, fault="expired")
    page.wait_for_url("**/oidc/callback/**")
    assert page.locator("h1").inner_text() == "Innloggingen gikk ikke gjennom"
    assert page.locator("header a:has-text('Logg inn')").is_visible()
    check_accessibility(page, "login_refused")
