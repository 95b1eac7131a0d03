"""Change requests in a real browser (R13): the signer asks on "Søk om endring", the case officer prepares,
the approver approves; every page checked with axe, also at 390 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import check_accessibility, login
from tests.test_reporting import award
from tilskudd.amendments import services
from tilskudd.amendments.models import ChangeState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R13_the_signer_asks_to_move_money_and_two_people_at_the_office_approve_it(page, cast):
    decision = award(cast)
    round = decision.application.round
    today = timezone.localdate()
    services.open_window(
        round=round,
        organisation=cast.kommune_a,
        by=cast.officer_t,
        opens=today,
        closes=today + timedelta(days=7),
        reason="Haster",
    )
    lines = {line.kind: line for line in decision.lines.all()}
    login(page, "signer_a")
    page.goto(page.base_url + reverse("applications:application_detail", args=[decision.application_id]))
    page.click("text=Søk om endring")
    check_accessibility(page, "change_request")
    page.select_option("#id_move-line", str(lines["innovation"].pk))
    page.select_option("#id_move-to_line", str(lines["competence"].pk))
    page.fill("#id_move-amount", "99 000 000")
    page.fill("#id_move-reason", "Flere vil ta videreutdanning.")
    page.click("#move button[type=submit]")
    page.wait_for_selector("#error-summary")
    check_accessibility(page, "change_request_error")
    page.fill("#id_move-amount", "50 000")
    page.click("#move button[type=submit]")
    page.wait_for_selector("text=Søknaden er sendt til Statsforvalteren")
    check_accessibility(page, "change_page_signer")
    change = decision.change_requests.get()

    page.context.clear_cookies()
    login(page, "officer_t")
    page.goto(page.base_url + reverse("amendments:round_changes", args=[round.pk]))
    check_accessibility(page, "round_changes")
    page.click("table >> text=Trondheim")
    check_accessibility(page, "change_page_officer")
    page.fill("#id_prepare-amount", "40 000")
    page.fill("#id_prepare-reason", "10 000 trengs fortsatt i prosjektet.")
    page.click("text=Forbered til godkjenning")
    page.wait_for_selector("text=Forberedt. En annen person")

    page.context.clear_cookies()
    login(page, "approver_t")
    page.goto(page.base_url + reverse("amendments:change", args=[change.pk]))
    check_accessibility(page, "change_page_approver")
    page.click("#main-content form[action$='godkjenn/'] button, form[action$='godkjenn/'] button")
    page.wait_for_selector("text=Endringen er godkjent")
    change.refresh_from_db()
    assert change.state == ChangeState.PARTLY and change.granted_amount == 40_000
    check_accessibility(page, "change_page_approved")
