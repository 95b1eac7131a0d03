"""The organisation's auditor in a real browser (issue 16, R11): the start page with the organisation's
reports only, the statement uploaded and confirmed on the draft, and every page checked with axe, also
at 390 px."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import check_accessibility, login
from tests.conftest import _password_hash
from tests.factories import make_round
from tests.test_reporting import award
from tilskudd.accounts.models import Role, User
from tilskudd.reporting.models import ReportObligation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_auditor_sees_only_the_organisations_reports_and_uploads_and_confirms_the_statement(
    page, cast, tmp_path
):
    obligation = award(cast).report_obligation
    obligation.round.report_audit_threshold = 1  # the award needs the auditor's statement
    obligation.round.save(update_fields=["report_audit_threshold"])
    bodo = ReportObligation.objects.create(
        organisation=cast.kommune_b,
        round=make_round(cast.office_n, year=2027),
        awarded=500_000,
        due=timezone.now(),
    )
    User.objects.create(
        username="auditor_a",
        password=_password_hash(),
        first_name="Rita",
        last_name="Revisor",
        role=Role.AUDITOR,
        organisation=cast.kommune_a,
    )
    login(page, "auditor_a")
    assert page.locator("h1").inner_text() == "Rapporter fra Trondheim kommune"
    assert page.locator("table.auditor-reports tbody tr").count() == 1
    check_accessibility(page, "auditor_start")

    page.click("#next-steps >> text=Åpne rapporten")
    assert page.locator("#report-form").count() == 0  # read only: no form for the lines
    check_accessibility(page, "auditor_report")
    statement = tmp_path / "revisoruttalelse.pdf"
    statement.write_bytes(b"%PDF-1.4 revisor")
    page.set_input_files("#attachments input[type=file]", str(statement))
    page.click("#attachments button:has-text('Last opp uttalelsen')")
    page.wait_for_selector("text=Uttalelsen din er lastet opp")
    page.click("#attachments button:has-text('Bekreft som min uttalelse')")
    page.wait_for_selector("[data-confirmed=auditor]")
    assert "Revisor har bekreftet uttalelsen (Rita Revisor," in page.inner_text("#attachments")
    check_accessibility(page, "auditor_report_confirmed")

    page.goto(page.base_url + reverse("home:home"))
    assert "Bekreftet" in page.inner_text("table.auditor-reports")
    response = page.goto(page.base_url + reverse("reporting:report_obligation", args=[bodo.pk]))
    assert response.status == 404
