"""The demo's reporting story (issue 11): Steinkjer reports on its 2025 grant through the workbook,
the office returns it once and then approves it, and Steinkjer's 2027 application goes in; Orkland
inherits the report Meldal never sent."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.test_reporting_workbook import _book, _save
from tilskudd.accounts.models import User
from tilskudd.applications import services as applications
from tilskudd.applications.hooks import unreported_awards
from tilskudd.applications.models import Application
from tilskudd.organisations.models import Organisation
from tilskudd.reporting import services
from tilskudd.reporting.models import ReportObligation
from tilskudd.reporting.workbook import SHEETS, WorkbookRefused, build_workbook

pytestmark = pytest.mark.django_db


def _fill_all(obligation) -> bytes:
    book = _book(build_workbook(obligation))
    for kind, (name, columns) in SHEETS.items():
        sheet = book[name]
        for line in obligation.lines.filter(kind=kind):
            row = next(r for r in range(7, 60) if sheet[f"A{r}"].value == line.pk)
            for column in columns:
                cell = sheet[f"{column.letter}{row}"]
                if column.field == "used":
                    cell.value = line.granted
                elif column.field == "unused":
                    cell.value = 0
                elif column.kind == "count":
                    cell.value = 4
                elif column.kind == "choice" and column.field != "unused_choice":
                    cell.value = next(iter(column.choices.values()))
                elif column.kind == "text" and column.field != "carry_over_reason":
                    cell.value = "Gjennomført som planlagt."
    return _save(book)


def test_R4_R11b_steinkjer_reports_in_the_workbook_is_returned_once_approved_and_then_applies(reference_data):
    call_command("load_demo", stdout=io.StringIO())
    stine = User.objects.get(username="steinkjer")
    obligation = ReportObligation.objects.get(organisation=stine.organisation, round__year=2025)
    assert obligation.lines.count() == 3 and obligation.submitted_at is None
    draft = Application.objects.get(organisation=stine.organisation, round__year=2027)
    assert [p.code for p in applications.submission_problems(draft)] == ["report_missing"]

    content = _fill_all(obligation)
    book = _book(content)
    book["Kompetanse"]["E7"] = "fire"  # the one error it is told about
    with pytest.raises(WorkbookRefused) as refused:
        services.import_workbook(
            obligation=obligation, by=stine, upload=SimpleUploadedFile("r.xlsx", _save(book))
        )
    assert [e["text"] for e in refused.value.errors] == ["Ark «Kompetanse», celle E7: skriv et helt tall"]
    services.import_workbook(obligation=obligation, by=stine, upload=SimpleUploadedFile("r.xlsx", content))
    services.add_report_attachment(
        obligation=obligation, by=stine, upload=SimpleUploadedFile("revisor.pdf", b"%PDF-1.4 revisor")
    )
    services.submit_report(obligation=obligation, by=stine)
    officer, approver = User.objects.get(username="saksbehandler"), User.objects.get(username="godkjenner")
    services.return_report(obligation=obligation, by=officer, reason="Legg ved signert revisoruttalelse.")
    services.submit_report(obligation=obligation, by=stine)
    services.approve_report(obligation=obligation, by=approver)

    application, submitted = applications.submit(application=draft, by=stine)
    assert submitted and application.status == "submitted"

    orkland = Organisation.objects.get(kind="kommune", kommunenummer="5059", valid_to__isnull=True)
    inherited = unreported_awards(orkland, draft.round)
    assert len(inherited) == 1 and "Meldal" in inherited[0].round_title and "2019" in inherited[0].round_title
