"""The API's pages in a real browser: the tokens page (axe, CSP) and Swagger UI under the strict CSP."""

import pytest

from tests.browser.conftest import check_accessibility, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signer_makes_a_token_and_sees_it_once(page, cast):
    login(page, "signer_a")
    page.goto(page.base_url + "/api/tokens/")
    check_accessibility(page, "api_tokens")
    page.fill("#id_name", "Sak/arkiv")
    page.select_option("#id_scope", "write")
    page.click("main form button[type=submit]")
    token = page.text_content("#new-token")
    assert token.startswith("kkit_")
    check_accessibility(page, "api_token_shown")
    page.goto(page.base_url + "/api/tokens/")
    assert token not in page.content()


def test_the_docs_render_from_local_assets_without_breaking_the_csp(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page.base_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".opblock").count() >= 15  # every operation listed
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], csp
    assert all(url.startswith(page.base_url) or url.startswith("data:") for url in requested), requested
