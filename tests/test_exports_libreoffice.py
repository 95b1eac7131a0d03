"""The round's Excel export (openpyxl, write-only) opens in LibreOffice with every value intact.

LibreOffice Calc (headless) converts the downloaded file to OpenDocument and back to .xlsx, as an
office using LibreOffice would open and save it; the result, read with openpyxl, has the same
rows, numbers, dates and formats. LibreOffice is installed by the project (scripts/ensure-libreoffice).
"""

import pytest

from tests.factories import make_round, submitted_application
from tests.test_exports import AMOUNT_FORMAT, HEADERS, _sheet_rows, _workbook
from tests.test_reporting_libreoffice import _convert, _soffice
from tilskudd.applications.exports import round_applications_xlsx
from tilskudd.applications.models import Line

pytestmark = pytest.mark.django_db


def test_the_export_round_trips_through_libreoffice(cast, tmp_path):
    soffice = _soffice()
    round = make_round(cast.office_t)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    # text that XML and spreadsheets treat specially: markup, a formula, a control character, a newline
    Line.objects.filter(application=application, rank=1).update(
        title="<b>Demens & rus</b>\x01", subject_field="=SUM(A1)", collaborators="Ørland\nÅfjord"
    )
    content = round_applications_xlsx(round)
    source = tmp_path / "soknader.xlsx"
    source.write_bytes(content)
    profile = tmp_path / "profile"
    ods = _convert(soffice, source, "ods", tmp_path / "ods", profile)
    back = _convert(soffice, ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx", profile)

    ours, theirs = _sheet_rows(content), _sheet_rows(back.read_bytes())
    assert theirs == ours and len(ours) == 3
    assert ours[0]["Tittel"] == "<b>Demens & rus</b>"  # escaped, and the control character left out
    assert ours[0]["Fagområde"] == "'=SUM(A1)"  # a formula stays text
    assert ours[0]["Samarbeidspartnere"] == "Ørland\nÅfjord"
    workbook = _workbook(back.read_bytes())
    assert workbook.sheetnames == ["Søknader", "Sammendrag"]
    sheet = workbook["Søknader"]
    assert sheet[1][0].value == HEADERS[0] and sheet[1][0].font.bold
    assert sheet.cell(row=2, column=HEADERS.index("Søkt beløp (kr)") + 1).number_format == AMOUNT_FORMAT
    assert sheet.cell(row=2, column=HEADERS.index("Sendt inn") + 1).is_date
    # (the frozen header is checked on our own file in test_exports: a headless conversion drops view
    # settings, openpyxl's files' as well)
