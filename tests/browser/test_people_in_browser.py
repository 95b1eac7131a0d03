"""Self-administration in a real browser (issue 16): Trondheim's administrator invites a colleague, who
logs in from the link and accepts; the administrator makes the writer a signer. axe (WCAG 2.1 A/AA)
and reflow at 1280 and 390 px on every page on the way, no CSP violations."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tilskudd.accounts.models import Membership, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tasks_run_at_once(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


def test_an_administrator_invites_a_colleague_who_accepts_and_is_made_signer(page, cast, tasks_run_at_once):
    from tests.conftest import _password_hash

    login(page, "org_admin_a")
    check_accessibility(page, "home_org_admin")
    page.click("#next-steps a[href$='/personer/']")
    check_accessibility(page, "people")
    page.fill("#id_email", "kari@trondheim.example")
    page.click("main button[type=submit]:has-text('Send invitasjonen')")
    assert page.locator(".ds-error-summary").is_visible()  # no role chosen: said at the top and by the field
    check_accessibility(page, "people_error")
    page.check("input[name=role][value=applicant]")
    page.click("main button[type=submit]:has-text('Send invitasjonen')")
    assert page.locator("#invitasjoner", has_text="kari@trondheim.example").is_visible()
    check_accessibility(page, "people_invited")
    path = re.search(r"https?://[^/\s]+(/invitasjon/[^/\s]+/)", mail.outbox[-1].body).group(1)

    page.click("header button:has-text('Logg ut')")
    User.objects.create(username="kari", first_name="Kari", last_name="Kollega", password=_password_hash())
    page.goto(page.base_url + path)  # not logged in: to the login page, and back
    page.fill("#id_username", "kari")
    page.fill("#id_password", "correct horse battery staple")
    page.click("main button[type=submit]")
    page.wait_for_url(page.base_url + path)
    assert page.locator("main", has_text="kari@trondheim.example").is_visible()
    check_accessibility(page, "invitation")
    page.click("main button:has-text('Godta invitasjonen')")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("main", has_text="skrivetilgang").first.is_visible()

    page.goto(page.base_url + path)
    check_accessibility(page, "invitation_accepted")
    page.goto(page.base_url + reverse("accounts:invitation", args=["x" * 43]))
    check_accessibility(page, "invitation_unknown")

    page.click("header button:has-text('Logg ut')")
    login(page, "org_admin_a")
    kari = Membership.objects.get(user__username="kari")
    page.goto(page.base_url + reverse("organisations:role", args=[kari.pk]))
    check_accessibility(page, "role")
    page.check("input[name=change-role][value=signer]")
    page.click("main button:has-text('Bytt rolle')")
    assert page.locator("main", has_text="signeringsrett").first.is_visible()
    assert User.objects.get(username="kari").role == Role.SIGNER


def test_the_office_administrators_pages(page, cast):
    login(page, "office_admin_t")
    check_accessibility(page, "home_office_admin")
    page.goto(page.base_url + reverse("organisations:office_people", args=[cast.office_t.pk]))
    assert page.locator("#administratorer").is_visible()
    check_accessibility(page, "office_people")
    page.goto(page.base_url + reverse("organisations:organisation_people", args=[cast.kommune_a.pk]))
    check_accessibility(page, "people_for_the_office")
