"""The application journey in a real browser, every new page checked with axe."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import check_accessibility, login
from tests.factories import make_application, make_round, past_deadline, submitted_application
from tilskudd.applications.models import Application, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signer_fills_in_one_line_of_each_kind_ranks_attaches_and_submits(page, cast, tmp_path):
    round = make_round(cast.office_t, year=2027)
    login(page, "signer_a")
    page.goto(page.base_url + reverse("rounds:round_list"))
    check_accessibility(page, "round_list")
    page.click(f"text={round.title}")
    check_accessibility(page, "round_detail")
    page.click("main form button[type=submit]")  # start the application
    page.wait_for_url(re.compile(r"/soknader/\d+/$"))
    application = Application.objects.get(round=round, organisation=cast.kommune_a)

    # contact and anchoring, saved as you type (htmx, under the strict CSP)
    page.fill("#id_contact_name", "Kari Kontakt")
    page.fill("#id_contact_email", "kari@trondheim.example")
    page.fill("#id_leader_name", "Leif Leder")
    with page.expect_response(
        lambda r: r.request.method == "POST" and "Kommunedirekt" in (r.request.post_data or "")
    ):
        page.fill("#id_leader_title", "Kommunedirektør")
    page.wait_for_selector("text=Lagret kl.")
    application.refresh_from_db()
    assert application.leader_title == "Kommunedirektør"
    check_accessibility(page, "application_draft")

    # competence
    page.click("button[name=kind][value=competence]")
    page.fill("#id_title", "Videreutdanning psykisk helse")
    page.check("#id_education_type_3")
    page.fill("#id_subject_field", "Psykisk helse og rus")
    page.check("#id_mental_health")
    page.check("#id_target_group_1")
    page.fill("#id_employees_count", "3")
    page.fill("#id_amount_applied", "60 000")
    check_accessibility(page, "line_competence")
    page.click("main form button[type=submit]")
    # BPA: the amount follows per person × persons as the applicant types
    page.click("button[name=kind][value=bpa]")
    page.fill("#id_title", "Arbeidslederopplæring")
    page.check("#id_bpa_training_type_0")
    page.fill("#id_amount_per_person", "5 000")
    page.fill("#id_persons_count", "8")
    page.fill("#id_persons_untrained", "5")
    page.wait_for_selector("#bpa-amount >> text=40\u00a0000\u00a0kr")
    check_accessibility(page, "line_bpa")
    page.click("main form button[type=submit]")
    # innovation
    page.click("button[name=kind][value=innovation]")
    page.fill("#id_title", "Fleksibel avlastning")
    page.fill("#id_purpose", "Avlastning etter behov")
    page.fill("#id_description", "Nye avlastningsmodeller")
    page.check("input[name=themes][value=respite]")
    page.fill("#id_amount_applied", "750 000")
    page.fill("#id_budget", "Prosjektleder; 500 000\nOpplæring; 250 000")
    page.fill("#id_dissemination", "Nettverksmøter")
    for field in page.locator("textarea[name^=criterion_]").all():
        field.fill("Beskrevet")
    check_accessibility(page, "line_innovation")
    page.click("main form button[type=submit]")

    # rank: innovation first
    page.locator("tr", has_text="Fleksibel avlastning").locator("button[value=up]").click()
    page.locator("tr", has_text="Fleksibel avlastning").locator("button[value=up]").click()
    first_row = page.locator("table.lines-table tbody tr").first.inner_text()
    assert "Fleksibel avlastning" in first_row
    assert "850\u00a0000\u00a0kr" in page.locator("table.lines-table tfoot").inner_text()

    # attach a PDF
    pdf = tmp_path / "budsjett.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% budsjett\n")
    page.set_input_files("#id_file", str(pdf))
    page.click("text=Last opp")
    assert page.get_by_role("link", name="budsjett.pdf").is_visible()

    page.click("text=Kontroller og send inn")
    check_accessibility(page, "submit_ready")
    page.click("text=Send inn søknaden")
    page.wait_for_url(re.compile(r"/kvittering/$"))
    check_accessibility(page, "receipt")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert [line["title"] for line in application.snapshot["lines"]][0] == "Fleksibel avlastning"


def test_submission_refused_after_the_deadline_shows_the_deadline(page, cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    application = make_application(round, cast.kommune_a, by=cast.signer_a)
    login(page, "signer_a")
    page.goto(page.base_url + reverse("applications:application_submit", args=[application.pk]))
    assert "1. mars 2022 kl. 23:59" in page.locator(".ds-error-summary").inner_text()
    assert page.locator("text=Send inn søknaden").is_disabled()
    check_accessibility(page, "submit_refused")


def test_case_officer_pages(page, cast):
    round = make_round(cast.office_t, year=2027)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    login(page, "officer_t")
    page.goto(page.base_url + reverse("rounds:round_office_list"))
    check_accessibility(page, "round_office_list")
    page.goto(page.base_url + reverse("rounds:round_manage", args=[round.pk]))
    check_accessibility(page, "round_manage")
    page.click(f"text={cast.kommune_a.display_name}")  # letters and pages name it "Trondheim kommune"
    check_accessibility(page, "application_as_officer")
    page.goto(page.base_url + reverse("rounds:round_edit", args=[round.pk]))
    check_accessibility(page, "round_edit")
    page.goto(page.base_url + reverse("rounds:round_create"))
    page.fill("#id_fresh_funds", "mange penger")
    page.click("main form button[type=submit]")
    assert page.locator("#id_fresh_funds_error").is_visible()
    check_accessibility(page, "round_create_error")
    page.goto(page.base_url + reverse("applications:round_extension", args=[round.pk]))
    check_accessibility(page, "round_extension")
