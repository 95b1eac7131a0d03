"""Issue 16's story in a real browser, as a new user would try it.

Trondheim's administrator invites a colleague by e-mail; the colleague follows the link, logs in
through ID-porten (the local OpenID provider on the live server), accepts, and drafts an
application as a writer, but cannot submit it; the administrator makes them signer, and they
submit. (The auditor's and the approver's parts: test_auditor_in_browser.py and
test_twofactor_in_browser.py.)
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.factories import make_round
from tilskudd.accounts.models import Membership, Role
from tilskudd.applications.models import Application, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PID = "24048012345"


@pytest.fixture
def tasks_run_at_once(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


def _log_out(page):
    page.click("header button:has-text('Logg ut')")
    page.wait_for_url(page.base_url + "/")


def _id_porten(page, oidc_provider):
    page.click("main a:has-text('Logg inn med ID-porten')")
    oidc_provider.log_in_in_browser(page, pid=PID, given_name="Kari", family_name="Kollega")


def test_an_invited_colleague_logs_in_with_id_porten_drafts_and_submits_once_made_signer(
    page, cast, oidc_provider, tasks_run_at_once
):
    round = make_round(cast.office_t, year=2027)

    # The administrator invites a colleague to write applications.
    login(page, "org_admin_a")
    page.goto(page.base_url + reverse("organisations:organisation_people", args=[cast.kommune_a.pk]))
    page.fill("#id_email", "kari.kollega@trondheim.example")
    page.check("input[name=role][value=applicant]")
    page.click("main button[type=submit]:has-text('Send invitasjonen')")
    assert page.locator("#invitasjoner", has_text="kari.kollega@trondheim.example").is_visible()
    link = re.search(r"https?://[^/\s]+(/invitasjon/[^/\s]+/)", mail.outbox[-1].body).group(1)
    _log_out(page)

    # The colleague follows the link, logs in through ID-porten for the first time, and accepts.
    page.goto(page.base_url + link)
    page.wait_for_url(re.compile(r"/logg-inn/\?next="))
    _id_porten(page, oidc_provider)
    page.wait_for_url(page.base_url + link)
    assert page.locator("main", has_text="kari.kollega@trondheim.example").is_visible()
    check_accessibility(page, "issue16_invitation")
    page.click("main button:has-text('Godta invitasjonen')")
    page.wait_for_url(page.base_url + "/")
    kari = oidc_provider.user_for(pid=PID)
    assert kari.get_full_name() == "Kari Kollega"
    assert Membership.objects.get(user=kari).role == Role.APPLICANT
    assert page.locator("header", has_text="Trondheim kommune").is_visible()

    # As a writer she starts an application and fills it in ...
    page.goto(page.base_url + reverse("rounds:round_list"))
    page.click(f"text={round.title}")
    page.click("main form button[type=submit]")  # start the application
    page.wait_for_url(re.compile(r"/soknader/\d+/$"))
    application = Application.objects.get(round=round, organisation=cast.kommune_a)
    page.fill("#id_contact_name", "Kari Kollega")
    page.fill("#id_contact_email", "kari.kollega@trondheim.example")
    page.fill("#id_leader_name", "Leif Leder")
    with page.expect_response(
        lambda r: r.request.method == "POST" and "Kommunedirekt" in (r.request.post_data or "")
    ):
        page.fill("#id_leader_title", "Kommunedirektør")
    page.wait_for_selector("text=Lagret kl.")
    page.click("button[name=kind][value=competence]")
    page.fill("#id_title", "Videreutdanning psykisk helse")
    page.check("#id_education_type_3")
    page.fill("#id_subject_field", "Psykisk helse og rus")
    page.check("#id_mental_health")
    page.check("#id_target_group_1")
    page.fill("#id_employees_count", "3")
    page.fill("#id_amount_applied", "60 000")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/soknader/\d+/"))
    # ... but cannot submit it: the page says who does, and offers no button.
    submit_url = page.base_url + reverse("applications:application_submit", args=[application.pk])
    page.goto(submit_url)
    check_accessibility(page, "issue16_writer_submit")
    assert page.locator("main button:has-text('Send inn søknaden')").count() == 0
    assert page.locator("main", has_text="leder med budsjettansvar").first.is_visible()
    _log_out(page)

    # The administrator makes her signer.
    login(page, "org_admin_a")
    membership = Membership.objects.get(user=kari, ended_at__isnull=True)
    page.goto(page.base_url + reverse("organisations:role", args=[membership.pk]))
    page.check("input[name=change-role][value=signer]")
    page.click("main button:has-text('Bytt rolle')")
    assert page.locator("main", has_text="signeringsrett").first.is_visible()
    _log_out(page)

    # She logs in through ID-porten again (the same person, the same user) and submits.
    page.goto(page.base_url + reverse("accounts:login"))
    _id_porten(page, oidc_provider)
    page.wait_for_url(page.base_url + "/")
    assert oidc_provider.user_for(pid=PID).pk == kari.pk
    page.goto(submit_url)
    page.click("main button:has-text('Send inn søknaden')")
    page.wait_for_url(re.compile(r"/kvittering/$"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and application.submitted_by_id == kari.pk
