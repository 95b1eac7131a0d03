"""The case's journal and the round's Noark 5 extraction page in a real browser: axe and reflow (issue 17)."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, check_reflow, login
from tests.test_archive_noark import _full_case
from tilskudd.archive.models import Extraction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_reads_the_journal_and_starts_the_rounds_extraction(page, cast):
    application = _full_case(cast)
    login(page, "officer_t")
    page.goto(page.base_url + reverse("applications:application_detail", args=[application.pk]))
    journal = page.locator("#journal")
    assert "Kvittering for innsendt søknad" in journal.inner_text()
    assert journal.locator("tbody tr").count() >= 7
    check_accessibility(page, "archive_case_journal")
    check_reflow(page, "archive_case_journal")

    page.goto(page.base_url + reverse("archive:round_extractions", args=[application.round_id]))
    check_accessibility(page, "archive_round_extractions")
    page.click("#extraction-progress button[type=submit]")
    page.wait_for_load_state()
    assert Extraction.objects.filter(round=application.round).exists()
    assert page.locator("#extraction-progress progress").count() == 1
    check_accessibility(page, "archive_round_extraction_running")
