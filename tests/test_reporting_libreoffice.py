"""R11b: the report workbook round-trips through LibreOffice as well as Excel.

The downloaded workbook, filled in, is converted by LibreOffice Calc (headless) to
OpenDocument and back to .xlsx, as a kommune using LibreOffice would save it, and the
result is uploaded. LibreOffice is installed by the project (scripts/ensure-libreoffice,
run by ``make test`` and CI): if it is missing this test fails rather than skips.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_reporting import award
from tests.test_reporting_workbook import filled
from tilskudd.reporting import services

pytestmark = pytest.mark.django_db


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is missing: run scripts/ensure-libreoffice (make test does)"
    return found


def _convert(soffice: str, source: Path, target_format: str, outdir: Path, profile: Path) -> Path:
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = outdir / f"{source.stem}.{target_format.split(':')[0]}"
    assert converted.exists(), f"LibreOffice made no {converted.name}"
    return converted


def test_R11b_the_workbook_round_trips_through_libreoffice_and_uploads(cast, tmp_path):
    soffice = _soffice()
    obligation = award(cast).report_obligation
    source = tmp_path / "rapport.xlsx"
    source.write_bytes(filled(obligation))
    profile = tmp_path / "profile"
    ods = _convert(soffice, source, "ods", tmp_path / "ods", profile)
    back = _convert(soffice, ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx", profile)
    assert back.read_bytes() != source.read_bytes()  # LibreOffice wrote its own file

    services.import_workbook(
        obligation=obligation, by=cast.signer_a, upload=SimpleUploadedFile("rapport.xlsx", back.read_bytes())
    )
    bpa = obligation.lines.get(kind="bpa")
    assert (bpa.bpa_training_type, bpa.work_leaders_trained, bpa.unused, bpa.unused_choice) == (
        "work_leaders",
        6,
        10_000,
        "carry_over",
    )
    competence = obligation.lines.get(kind="competence")
    assert (competence.completed, competence.in_education, competence.used) == (3, 1, competence.granted)
    assert obligation.lines.get(kind="innovation").results == "Færre innleggelser."
