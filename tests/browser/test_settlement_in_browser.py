"""The money after the award in a real browser: the office claims back what is owed and records a part
payment with the keyboard-usable forms; both sides' pages pass axe and reflow (issue 12)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.test_settlement import CARRY, REPAY, reported
from tilskudd.domain.ledger import Account
from tilskudd.settlement import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R14_the_office_claims_and_records_a_part_payment_and_the_signer_sees_it(page, cast):
    decision = reported(cast, unused={0: (50_000, CARRY), 1: (30_000, REPAY)})
    award_url = page.base_url + reverse("settlement:award", args=[decision.application_id])
    login(page, "officer_t")
    page.goto(page.base_url + reverse("settlement:round_settlement", args=[decision.application.round_id]))
    check_accessibility(page, "settlement_round")
    page.goto(award_url)
    check_accessibility(page, "settlement_award_office")
    page.fill("#id_claim-account_number", "1234 56 78903")
    page.click("#claims button[type=submit]")
    page.wait_for_load_state()
    claim = decision.claims.get()
    page.fill(f"#id_repay{claim.pk}-amount", "10 000")
    page.click(f"#claim-{claim.pk} form button[type=submit]")
    page.wait_for_load_state()
    assert services.ledger_of(decision).totals[Account.REPAID] == 10_000
    assert "20\u00a0000" in page.locator(f"#claim-{claim.pk}").inner_text()
    check_accessibility(page, "settlement_award_after_payment")
    page.context.clear_cookies()
    login(page, "signer_a")
    page.goto(award_url)
    check_accessibility(page, "settlement_award_signer")
    assert "Krav med KID" in page.locator("main").inner_text()
