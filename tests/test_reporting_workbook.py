"""R11b: the report as the Excel workbook the kommuner know, read back into the same stored report.

Every bad workbook is refused with its sheet and cell named, all problems at once, and
nothing stored ("nothing stored" is checked against the report lines and the case log).
"""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.test_reporting import _pdf, award
from tilskudd.caselog.models import Entry
from tilskudd.reporting import services
from tilskudd.reporting.models import REPORT_LINE_FIELDS, ReportLine
from tilskudd.reporting.workbook import ID_SHEET, WorkbookRefused, build_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def obligation(cast):
    return award(cast).report_obligation


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled(obligation) -> bytes:
    """The downloaded workbook with every white cell filled in as a kommune would."""
    book = _book(build_workbook(obligation))
    competence, bpa, innovation = book["Kompetanse"], book["BPA"], book["Innovasjon"]
    granted = {line.kind: line.granted for line in obligation.lines.all()}
    competence["E7"], competence["F7"], competence["G7"] = 3, 1, 0
    competence["H7"], competence["I7"] = granted["competence"], 0
    bpa["E7"], bpa["F7"], bpa["G7"], bpa["H7"] = "Brukere og arbeidsledere", 6, 1, 2
    bpa["I7"], bpa["J7"], bpa["K7"], bpa["L7"] = (
        granted["bpa"] - 10_000,
        10_000,
        "Søke om overføring",
        "Kurs i mars.",
    )
    innovation["E7"], innovation["F7"], innovation["G7"] = (
        "Pågår",
        "Færre innleggelser.",
        "Nettverksmøte i regionen.",
    )
    innovation["H7"], innovation["I7"] = granted["innovation"], 0
    return _save(book)


def _upload(content: bytes, name="rapport.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _stored(obligation):
    return (
        list(
            ReportLine.objects.filter(obligation=obligation).order_by("pk").values_list(*REPORT_LINE_FIELDS)
        ),
        Entry.objects.count(),
        type(obligation).objects.get(pk=obligation.pk).version,
    )


def refused(obligation, by, content: bytes, name="rapport.xlsx") -> list[dict]:
    before = _stored(obligation)
    with pytest.raises(WorkbookRefused) as error:
        services.import_workbook(obligation=obligation, by=by, upload=_upload(content, name))
    assert _stored(obligation) == before, "a refused workbook stored something"
    return error.value.errors


def _texts(errors) -> list[str]:
    return [e["text"] for e in errors]


# --- The prefilled workbook --------------------------------------------------------------------


def test_R11b_the_workbook_is_prefilled_locked_and_validated(obligation):
    book = _book(build_workbook(obligation))
    assert book.sheetnames == ["Veiledning", "Kompetanse", "BPA", "Innovasjon", ID_SHEET]
    assert book[ID_SHEET].sheet_state == "hidden"
    guide = book["Veiledning"]
    assert guide["B3"].value == obligation.round.title and guide["B4"].value == "Trondheim - Tråante"
    assert guide["B5"].value == obligation.decision.application.case_number
    competence = book["Kompetanse"]
    line = obligation.lines.get(kind="competence")
    assert (competence["A7"].value, competence["B7"].value, competence["D7"].value) == (
        line.pk,
        line.title,
        line.granted,
    )
    assert competence.protection.sheet and competence["D7"].protection.locked
    assert not competence["E7"].protection.locked and not competence["H7"].protection.locked
    kinds = {v.type for v in book["BPA"].data_validations.dataValidation}
    assert {"whole", "list"} <= kinds


def test_R11b_the_signer_downloads_fills_uploads_and_submits_the_same_report(client_for, cast, obligation):
    client = client_for(cast.signer_a)
    response = client.get(reverse("reporting:report_workbook", args=[obligation.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert _book(response.content)["Kompetanse"]["A7"].value == obligation.lines.get(kind="competence").pk
    response = client.post(
        reverse("reporting:report_workbook_upload", args=[obligation.pk]),
        {"workbook": _upload(filled(obligation))},
    )
    assert response.status_code == 302
    bpa = obligation.lines.get(kind="bpa")
    assert (bpa.bpa_training_type, bpa.work_leaders_trained, bpa.unused, bpa.unused_choice) == (
        "work_leaders",
        6,
        10_000,
        "carry_over",
    )
    innovation = obligation.lines.get(kind="innovation")
    assert (innovation.innovation_status, innovation.sharing) == ("ongoing", "Nettverksmøte i regionen.")
    assert Entry.objects.filter(subject_id=obligation.pk, kind="report_imported").exists()
    # the web form shows what the workbook brought; the next download carries it too
    page = client.get(reverse("reporting:report_obligation", args=[obligation.pk])).content.decode()
    assert "Nettverksmøte i regionen." in page
    again = _book(client.get(reverse("reporting:report_workbook", args=[obligation.pk])).content)
    assert (
        again["BPA"]["L7"].value == "Kurs i mars." and again["BPA"]["E7"].value == "Brukere og arbeidsledere"
    )
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    assert client.post(reverse("reporting:report_submit", args=[obligation.pk])).status_code == 302
    obligation.refresh_from_db()
    assert obligation.submitted_at is not None


def test_R11b_the_import_takes_under_a_second(cast, obligation):
    content = filled(obligation)
    started = time.perf_counter()
    services.import_workbook(obligation=obligation, by=cast.signer_a, upload=_upload(content))
    assert time.perf_counter() - started < 1.0


def test_R11b_only_the_organisation_uploads_and_not_after_submission(cast, obligation):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_workbook(obligation=obligation, by=cast.officer_t, upload=_upload(filled(obligation)))


# --- Bad workbooks: each named by sheet and cell, all at once, nothing stored --------------------


def test_R11b_text_in_a_number_cell_names_the_sheet_and_cell(client_for, cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["E7"] = "tre"
    response = client_for(cast.signer_a).post(
        reverse("reporting:report_workbook_upload", args=[obligation.pk]), {"workbook": _upload(_save(book))}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Ark «Kompetanse», celle E7: skriv et helt tall" in body and "Ingenting ble lagret" in body
    assert obligation.lines.get(kind="competence").completed is None


def test_R11b_every_problem_is_named_at_once(cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["E7"] = "tre"
    book["Kompetanse"]["F7"] = -2
    book["BPA"]["I7"] = 10_000_000  # used more than granted
    book["Innovasjon"]["E7"] = "Nesten ferdig"
    errors = refused(obligation, cast.signer_a, _save(book))
    cells = {(e["sheet"], e["cell"]) for e in errors}
    assert {("Kompetanse", "E7"), ("Kompetanse", "F7"), ("BPA", "I7"), ("Innovasjon", "E7")} <= cells
    assert "Ark «Kompetanse», celle F7: tallet kan ikke være negativt" in _texts(errors)
    assert any(
        t.startswith("Ark «BPA», celle I7: Beløpet kan ikke være mer enn det som ble innvilget")
        for t in _texts(errors)
    )


def test_R11b_used_and_unused_that_do_not_add_up_are_named(cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["I7"] = 1
    errors = refused(obligation, cast.signer_a, _save(book))
    assert [(e["sheet"], e["cell"]) for e in errors] == [("Kompetanse", "I7")]


@pytest.mark.parametrize("formula", ['=HYPERLINK("https://example.com","klikk")', "=1+1"])
def test_R11b_a_formula_in_any_cell_is_refused(cast, obligation, formula):
    book = _book(filled(obligation))
    book["Innovasjon"]["F7"] = formula
    book["Veiledning"]["C20"] = formula
    errors = refused(obligation, cast.signer_a, _save(book))
    assert ("Innovasjon", "F7") in {(e["sheet"], e["cell"]) for e in errors}
    assert "Ark «Innovasjon», celle F7: formler er ikke tillatt; skriv verdien" in _texts(errors)


def test_R11b_a_changed_granted_amount_on_the_sheet_is_refused(cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["D7"] = 9_999_999
    errors = refused(obligation, cast.signer_a, _save(book))
    assert [(e["sheet"], e["cell"]) for e in errors] == [("Kompetanse", "D7")]


@pytest.mark.parametrize("change", ["granted", "line_id"])
def test_R11b_a_changed_id_or_amount_in_the_identity_breaks_the_signature(cast, obligation, change):
    book = _book(filled(obligation))
    identity = book[ID_SHEET]
    if change == "granted":
        identity["B6"] = identity["B6"].value + 100_000  # the sheet's own amounts are left as they were
    else:
        identity["A6"] = identity["A6"].value + 1000
    errors = refused(obligation, cast.signer_a, _save(book))
    assert errors[0]["sheet"] == ID_SHEET and "identitet" in errors[0]["text"]


def test_R11b_a_changed_line_id_on_the_sheet_is_named(cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["A7"] = 999_999
    errors = refused(obligation, cast.signer_a, _save(book))
    assert ("Kompetanse", "A7") in {(e["sheet"], e["cell"]) for e in errors}


def test_R11b_a_workbook_for_another_report_or_organisation_is_refused(cast, obligation):
    from tests.test_reporting import award as another_award

    other = another_award(cast, year=2026).report_obligation
    errors = refused(obligation, cast.signer_a, filled(other))
    assert "en annen rapport eller organisasjon" in errors[0]["text"]


@pytest.mark.parametrize("sheet", ["Kompetanse", ID_SHEET])
def test_R11b_a_missing_or_renamed_sheet_is_named(cast, obligation, sheet):
    book = _book(filled(obligation))
    book[sheet].title = "Ark1"
    errors = refused(obligation, cast.signer_a, _save(book))
    assert errors[0]["sheet"] == sheet and "mangler eller har fått nytt navn" in errors[0]["text"]


def test_R11b_extra_rows_are_refused(cast, obligation):
    book = _book(filled(obligation))
    book["Kompetanse"]["B8"] = "Et nytt tiltak"
    book["Kompetanse"]["E8"] = 4
    errors = refused(obligation, cast.signer_a, _save(book))
    assert errors[0]["sheet"] == "Kompetanse" and errors[0]["cell"] == "B8"
    assert "ekstra rader" in errors[0]["text"]


@pytest.mark.parametrize(
    "content, name",
    [
        (b"%PDF-1.4 not a workbook", "rapport.xlsx"),
        (b"Linje;Brukt\n1;100\n", "rapport.csv"),
        (b"PK\x03\x04 broken zip", "rapport.xlsx"),
        (b"", "rapport.xlsx"),
    ],
)
def test_R11b_a_file_that_is_not_a_workbook_is_refused(cast, obligation, content, name):
    errors = refused(obligation, cast.signer_a, content, name)
    assert len(errors) == 1 and errors[0]["text"]


def test_R11b_an_over_large_file_is_refused_without_parsing(cast, obligation):
    errors = refused(obligation, cast.signer_a, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 10))
    assert "5 MB" in errors[0]["text"]


def test_R11b_a_zip_bomb_is_refused_from_its_declared_size(cast, obligation):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(io.BytesIO(filled(obligation))) as real:
            for item in real.infolist():
                archive.writestr(item, real.read(item.filename))
        archive.writestr("xl/media/padding.bin", b"\0" * (30 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    errors = refused(obligation, cast.signer_a, out.getvalue())
    assert "pakkes ut til langt mer" in errors[0]["text"]


def test_R11b_a_macro_workbook_is_refused(cast, obligation):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        with zipfile.ZipFile(io.BytesIO(filled(obligation))) as real:
            for item in real.infolist():
                archive.writestr(item, real.read(item.filename))
        archive.writestr("xl/vbaProject.bin", b"macro")
    errors = refused(obligation, cast.signer_a, out.getvalue())
    assert "makroer" in errors[0]["text"]


def test_R11b_a_workbook_declared_macro_enabled_is_refused_as_attachments_are(cast, obligation):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, zipfile.ZipFile(io.BytesIO(filled(obligation))) as real:
        for item in real.infolist():
            content = real.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                )
            archive.writestr(item, content)
    assert b"macroEnabled" in zipfile.ZipFile(out).read("[Content_Types].xml")
    errors = refused(obligation, cast.signer_a, out.getvalue())
    assert "makroer" in errors[0]["text"]


def test_R11b_uploading_the_same_workbook_again_changes_nothing_and_stales_no_one(cast, obligation):
    content = filled(obligation)
    services.import_workbook(obligation=obligation, by=cast.signer_a, upload=_upload(content))
    before = _stored(obligation)
    opened = type(obligation).objects.get(pk=obligation.pk).version  # a colleague opens the form
    services.import_workbook(obligation=obligation, by=cast.signer_a, upload=_upload(content))
    assert _stored(obligation) == before  # no new version, no log entry
    line = obligation.lines.get(kind="competence")
    services.update_report(
        obligation=obligation, by=cast.applicant_a, values={line.pk: {"dropped_out": 1}}, version=opened
    )


def test_R11b_a_title_that_begins_with_an_equals_sign_stays_text_and_the_workbook_still_reads(
    cast, obligation
):
    line = obligation.lines.get(kind="competence")
    ReportLine.objects.filter(pk=line.pk).update(title='=HYPERLINK("https://example.com","Kurs")')
    content = build_workbook(obligation)  # as downloaded; Excel and LibreOffice keep text as text
    book = load_workbook(io.BytesIO(content), read_only=True)
    cell = next(book["Kompetanse"].iter_rows(min_row=7, max_row=7, min_col=2, max_col=2))[0]
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("https://example.com","Kurs")')
    book.close()
    services.import_workbook(obligation=obligation, by=cast.signer_a, upload=_upload(content))
