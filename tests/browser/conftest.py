"""Browser tests: Playwright for Python driving Debian's chromium against the live server.

Never ``playwright install``: the browser is /usr/bin/chromium from Debian's packages
(scripts/ensure-chromium installs it). axe-core comes from npm (package-lock.json).
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# WCAG 2.0 and 2.1 A and AA, and axe's best practices (landmarks, headings, unique regions, ...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.console_errors = []

    def remember_errors(message):
        if message.type == "error":
            where = message.location.get("url")
            page.console_errors.append(f"{message.text} at {where}")

    page.on("console", remember_errors)
    page.base_url = live_server.url
    yield page
    context.close()


def login(page, username: str, password: str = "correct horse battery staple"):
    """Log in through the login page; those who must use two-step login (approvers) also write a code
    from a fresh authenticator app, as they would (test_twofactor_in_browser.py sets one up by hand)."""
    from tests.helpers import app_code, verified_app
    from tilskudd.accounts.access import second_factor_required
    from tilskudd.accounts.models import User

    user = User.objects.filter(username=username).first()
    app = verified_app(user) if user is not None and second_factor_required(user) else None
    page.goto(page.base_url + "/logg-inn/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    if app is not None:
        page.wait_for_url("**/konto/to-trinn/kode/")
        page.fill("#id_code", app_code(app.key))
        page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + "/")


PHONE_WIDTH = 390


def check_reflow(page, name: str) -> None:
    """WCAG 1.4.10 Reflow: at a phone's 390 px the document never scrolls sideways.

    Wide tables scroll inside their own region (``.table-scroll``); the page itself must fit.
    The viewport is put back afterwards, so the test goes on at the width it had.
    """
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            page.screenshot(path=str(ARTIFACTS / f"{name}_390.png"), full_page=True)
        wide = page.evaluate(
            """(limit) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.table-scroll'))
                .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
            PHONE_WIDTH,
        )
        assert width <= PHONE_WIDTH, f"{name}: the page is {width} px wide at {PHONE_WIDTH} px: {wide}"
    finally:
        page.set_viewport_size(size)


def run_axe(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line each (rule, impact, help, first targets)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


def check_accessibility(page, name: str) -> None:
    """At 1280 px and again at a phone's 390 px: a screenshot of each, axe-core's WCAG 2.0/2.1 A and AA rules
    and its best practices; at 390 px also that the page reflows (nothing scrolls sideways).

    No rule is switched off, the Django admin's pages included (tests/browser/test_admin_in_browser.py).
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # Our own code must keep the CSP; read the console before axe runs (axe itself may set inline styles).
    csp = [text for text in page.console_errors if "Content Security Policy" in text]
    assert csp == [], f"{name}: the page broke its Content-Security-Policy: {csp}"
    found = [f"[{page.viewport_size['width']} px] {v}" for v in run_axe(page)]
    check_reflow(page, name)
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE_WIDTH, "height": size["height"]})
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}_{PHONE_WIDTH}.png"), full_page=True)
        found += [f"[{PHONE_WIDTH} px] {v}" for v in run_axe(page)]
    finally:
        page.set_viewport_size(size)
    assert found == [], f"{name}: axe found violations:\n" + "\n".join(found)
    page.console_errors.clear()
