"""Reporting in a real browser (R11, R11b): the report beside the letter, autosave under the strict
CSP, the workbook upload with its errors, the office's list and handling; every page checked with axe,
also at 390 px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.test_reporting import _pdf, award
from tests.test_reporting_workbook import _book, _save, filled
from tilskudd.reporting import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R11_the_signer_reports_in_the_form_and_the_workbook_and_the_office_returns_and_approves(
    page, cast, tmp_path
):
    obligation = award(cast).report_obligation
    competence = obligation.lines.get(kind="competence")
    login(page, "signer_a")
    url = page.base_url + reverse("reporting:report_obligation", args=[obligation.pk])
    page.goto(url)
    check_accessibility(page, "report_form")

    # saved as you type (htmx), and a bad value is named next to its field
    with page.expect_response(
        lambda r: r.request.method == "POST" and "completed" in (r.request.post_data or "")
    ):
        page.fill(f"#id_l{competence.pk}-completed", "4")
    page.wait_for_selector("text=Lagret kl.")
    competence.refresh_from_db()
    assert competence.completed == 4
    page.fill(f"#id_l{competence.pk}-used", "99 000 000")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#error-summary")
    check_accessibility(page, "report_form_error")

    # the workbook with one error: every problem named by sheet and cell, nothing saved
    book = _book(filled(obligation))
    book["Kompetanse"]["E7"] = "tre"
    bad = tmp_path / "rapport.xlsx"
    bad.write_bytes(_save(book))
    page.goto(url)
    page.set_input_files("#id_workbook", str(bad))
    page.click("#workbook form button[type=submit]")
    page.wait_for_selector("#workbook-errors")
    assert "Ark «Kompetanse», celle E7: skriv et helt tall" in page.inner_text("#workbook-errors")
    check_accessibility(page, "report_workbook_errors")
    good = tmp_path / "rapport-rettet.xlsx"
    good.write_bytes(filled(obligation))
    page.set_input_files("#id_workbook", str(good))
    page.click("#workbook form button[type=submit]")
    page.wait_for_selector("text=Regnearket er lest inn")
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    page.goto(url)
    page.click("text=Send inn rapporten >> nth=-1")
    page.wait_for_selector("text=Rapporten er sendt inn")

    # the office: the list per round, the report beside the letter, return with a reason, approve
    page.context.clear_cookies()
    login(page, "officer_t")
    page.goto(page.base_url + reverse("reporting:round_reports", args=[obligation.round_id]))
    check_accessibility(page, "round_reports")
    page.click("text=Trondheim")
    check_accessibility(page, "report_office")
    page.fill("#id_return-reason", "Fordel BPA-tallene på opplæringstype.")
    page.click("text=Returner rapporten")
    page.wait_for_selector("text=Rapporten er returnert")
    obligation.refresh_from_db()
    assert obligation.return_reason == "Fordel BPA-tallene på opplæringstype."
    services.submit_report(obligation=obligation, by=cast.signer_a)
    page.goto(url)
    page.click("text=Godkjenn rapporten")
    page.wait_for_selector("text=Rapporten er godkjent.")
    obligation.refresh_from_db()
    assert obligation.approved_by == cast.officer_t

    # 390 px: the letter and the report stack, nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide[:8]
    check_accessibility(page, "report_approved_390")
