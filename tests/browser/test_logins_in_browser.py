"""The person's active logins in a real browser (axe, also at 390 px), and ending another one."""

import pytest

from tests.browser.conftest import check_accessibility, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_ends_the_login_on_another_browser(browser, page, cast):
    other = browser.new_context(viewport={"width": 390, "height": 800}, locale="nb-NO").new_page()
    other.base_url = page.base_url
    login(other, "signer_a")
    login(page, "signer_a")
    page.click(".site-header__who a[href='/konto/']")  # the name in the header: "Min konto"
    page.click("main >> text=Aktive innlogginger")
    page.wait_for_url(page.base_url + "/konto/okter/")
    assert page.locator("#logins tbody tr").count() == 2
    assert page.locator("#logins .ds-tag").inner_text() == "denne enheten"
    check_accessibility(page, "logins")
    page.click("#logins button[type=submit]")
    assert "Innloggingen er avsluttet" in page.inner_text("main")
    assert page.locator("#logins tbody tr").count() == 1
    other.reload()  # the start page, now as anyone sees it, saying why
    assert "denne innloggingen er avsluttet" in other.inner_text("main")
    assert other.locator("header a[href='/logg-inn/']").count() == 1
    other.goto(other.base_url + "/konto/okter/")
    assert "/logg-inn/?next=/konto/okter/" in other.url
    other.context.close()
