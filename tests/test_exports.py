"""The case officer's Excel download of a round's applications: one row per line."""

import io
import shutil
from datetime import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import make_application, make_round, submitted_application
from tests.helpers import assert_queries_constant
from tilskudd.accounts.models import Role, User
from tilskudd.applications import services
from tilskudd.applications.exports import (
    AMOUNT_FORMAT,
    DATETIME_FORMAT,
    HEADERS,
    round_application_rows,
    round_applications_xlsx,
)
from tilskudd.applications.models import Application, Line, Status
from tilskudd.domain.deadlines import OSLO
from tilskudd.organisations.models import Organisation
from tilskudd.rounds.models import ThemeChoices

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_HEADERS = ("Søkt beløp (kr)", "Beløp per person", "Egenfinansiering")


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def _sheet_rows(content: bytes) -> list[dict]:
    sheet = _workbook(content)["Søknader"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == HEADERS
    return [dict(zip(header, row, strict=True)) for row in rows]


def _blank(value):
    return None if value in ("", None) else value


def _expected(line: Line) -> dict:
    """What the spreadsheet must say about ``line``, read straight from the database."""
    application, organisation = line.application, line.application.organisation
    submitted = application.submitted_at
    return {
        "Saksnummer": f"{application.round.year}/{application.pk:05d}",
        "Organisasjon": organisation.name,
        "Organisasjonstype": str(organisation.get_kind_display()),
        "Kommunenummer": _blank(organisation.kommunenummer),
        "Status": str(application.get_status_display()),
        "Sendt inn": timezone.localtime(submitted, OSLO).replace(tzinfo=None, microsecond=0)
        if submitted
        else None,
        "Prioritet": line.rank,
        "Type tiltak": str(line.get_kind_display()),
        "Tittel": _blank(line.title),
        "Søkt beløp (kr)": line.amount,
        "Utdanningstype": _blank(str(line.get_education_type_display())),
        "Fagområde": _blank(line.subject_field),
        "Psykisk helse og rus": ("Ja" if line.mental_health else "Nei")
        if line.kind == "competence"
        else None,
        "Målgruppe": _blank(
            f"{line.get_target_group_display()} ({line.target_agency})"
            if line.target_agency
            else str(line.get_target_group_display())
        ),
        "Antall ansatte": line.employees_count,
        "BPA-opplæring for": _blank(str(line.get_bpa_training_type_display())),
        "Beløp per person": line.amount_per_person,
        "Antall personer": line.persons_count,
        "Ikke opplært før": line.persons_untrained,
        "Temaer": _blank(", ".join(str(ThemeChoices(code).label) for code in line.themes)),
        "Egenfinansiering": line.own_financing,
        "Samarbeidspartnere": _blank(line.collaborators),
        "Kontaktperson": _blank(application.contact_name),
        "Leder med budsjettansvar": _blank(
            ", ".join(filter(None, [application.leader_name, application.leader_title]))
        ),
    }


def _signer_for(organisation: Organisation) -> User:
    return User.objects.create(
        username=f"signer_{organisation.pk}", role=Role.SIGNER, organisation=organisation, first_name="Signe"
    )


@pytest.fixture
def round_t(cast):
    """A Trøndelag round: Trondheim has submitted three lines, the fylkeskommune has shared a draft with one."""
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    draft = make_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    services.share_with_office(application=draft, by=cast.fylke_user, shared=True)
    # Another office's round, which must not leak into this one.
    other = make_round(cast.office_n)
    submitted_application(other, cast.kommune_b, by=cast.signer_b)
    return round


def test_every_line_is_a_row_that_matches_the_database(round_t, cast):
    rows = _sheet_rows(round_applications_xlsx(round_t))

    lines = list(
        Line.objects.filter(application__round=round_t)
        .select_related("application__organisation", "application__round")
        .order_by("application__organisation__name", "rank")
    )
    assert len(rows) == len(lines) == 4
    for row, line in zip(rows, lines, strict=True):
        assert row == _expected(line)

    # Trondheim (submitted) before Trøndelag fylkeskommune (draft), each in priority order.
    assert [(r["Organisasjon"], r["Prioritet"]) for r in rows] == [
        (cast.kommune_a.name, 1),
        (cast.kommune_a.name, 2),
        (cast.kommune_a.name, 3),
        (cast.fylkeskommune.name, 1),
    ]
    assert [r["Type tiltak"] for r in rows[:3]] == [
        str(Line(kind=kind).get_kind_display()) for kind in ("competence", "bpa", "innovation")
    ]
    assert [r["Søkt beløp (kr)"] for r in rows] == [60_000, 40_000, 750_000, 60_000]
    assert all(isinstance(r["Søkt beløp (kr)"], int) for r in rows)
    assert rows[0]["Status"] == str(Status.SUBMITTED.label)
    assert isinstance(rows[0]["Sendt inn"], datetime)
    assert rows[3]["Status"] == str(Status.DRAFT.label)
    assert rows[3]["Sendt inn"] is None
    assert rows[2]["Temaer"] == f"{ThemeChoices.RESPITE.label}, {ThemeChoices.RELATIVES_VOLUNTEERS.label}"
    assert rows[1]["Psykisk helse og rus"] is None  # BPA line
    assert rows[0]["Psykisk helse og rus"] == "Ja"


def test_rows_are_plain_data_before_they_are_a_file(round_t, cast):
    rows = round_application_rows(round_t)
    assert len(rows) == 4
    bpa = rows[1]
    assert bpa.amount == bpa.amount_per_person * bpa.persons_count == 40_000
    assert bpa.submitted_at.tzinfo is None
    application = Application.objects.get(round=round_t, organisation=cast.kommune_a)
    assert bpa.submitted_at == timezone.localtime(application.submitted_at, OSLO).replace(
        tzinfo=None, microsecond=0
    )


def test_the_workbook_is_formatted_for_the_case_officer(round_t):
    workbook = _workbook(round_applications_xlsx(round_t))
    assert workbook.sheetnames == ["Søknader", "Sammendrag"]
    assert workbook.properties.creator == "Kompetanse- og innovasjonstilskudd"
    assert round_t.title in workbook.properties.title

    sheet = workbook["Søknader"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:X{sheet.max_row}"
    columns = {header: i for i, header in enumerate(HEADERS, start=1)}
    for header in AMOUNT_HEADERS:
        cell = sheet.cell(row=4, column=columns[header])  # the innovation line has all three
        assert cell.data_type == "n"
        assert cell.number_format == AMOUNT_FORMAT
    submitted = sheet.cell(row=2, column=columns["Sendt inn"])
    assert submitted.is_date
    assert submitted.number_format == DATETIME_FORMAT
    assert 8 <= sheet.column_dimensions["B"].width <= 50


def test_the_summary_sheet_counts_only_submitted_applications(round_t):
    summary = dict(_workbook(round_applications_xlsx(round_t))["Sammendrag"].iter_rows(values_only=True))
    assert list(summary.values()) == [
        round_t.title,
        36_110_000,
        20_851_396,
        36_110_000 + 20_851_396,
        60_000 + 40_000 + 750_000,  # Trondheim's submitted lines; the fylkeskommune's draft does not count
        1,
    ]


def test_formula_like_text_is_stored_as_text(round_t, cast):
    Line.objects.filter(application__organisation=cast.kommune_a, rank=1).update(
        title="=SUM(A1)", subject_field="@cmd", collaborators="+47 123"
    )
    sheet = _workbook(round_applications_xlsx(round_t))["Søknader"]
    columns = {header: i for i, header in enumerate(HEADERS, start=1)}
    title = sheet.cell(row=2, column=columns["Tittel"])
    assert title.data_type == "s"
    assert title.value == "'=SUM(A1)"
    assert sheet.cell(row=2, column=columns["Fagområde"]).value == "'@cmd"
    assert sheet.cell(row=2, column=columns["Samarbeidspartnere"]).value == "'+47 123"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_case_officer_downloads_the_file(round_t, cast, client_for):
    response = client_for(cast.officer_t).get(reverse("applications:round_export", args=[round_t.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _sheet_rows(b"".join(response.streaming_content))
    assert {row["Organisasjon"] for row in rows} == {cast.kommune_a.name, cast.fylkeskommune.name}


def _download(client, round) -> bytes:
    response = client.get(reverse("applications:round_export", args=[round.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_file_is_made_once_and_made_again_after_every_change_it_shows(
    round_t, cast, client_for, monkeypatch
):
    """Issue 13: a second download is the stored file (not made again); a change it shows makes a new one."""
    from tilskudd.applications import exports

    made = []
    real = exports.round_applications_xlsx
    monkeypatch.setattr(
        exports, "round_applications_xlsx", lambda round: made.append(round.pk) or real(round)
    )
    client = client_for(cast.officer_t)
    first = _download(client, round_t)
    assert _download(client, round_t) == first and made == [round_t.pk]  # the stored file, byte for byte

    draft = Application.objects.get(round=round_t, status=Status.DRAFT)  # the fylkeskommune's shared draft
    services.update_line(line=draft.lines.get(), by=cast.fylke_user, data={"title": "Nytt kurs"})
    changed = _sheet_rows(_download(client, round_t))
    assert "Nytt kurs" in {row["Tittel"] for row in changed} and len(made) == 2

    services.share_with_office(application=draft, by=cast.fylke_user, shared=False)
    unshared = _sheet_rows(_download(client, round_t))
    assert {row["Organisasjon"] for row in unshared} == {cast.kommune_a.name} and len(made) == 3
    stored = list((settings.MEDIA_ROOT / "exports" / str(round_t.pk)).iterdir())
    assert len(stored) == 2  # the file and its marker: older files are gone


def test_the_stored_file_is_in_the_language_of_its_reader(round_t, cast, client_for):
    """A file made for a reader in English is not served to the next reader in bokmål, nor the other way round."""
    client = client_for(cast.officer_t)
    norwegian = _download(client, round_t)
    client.cookies["sprak"] = "en"
    english = _download(client, round_t)
    assert english != norwegian
    statuses = {row["Status"] for row in _sheet_rows(english)}
    assert statuses and statuses.isdisjoint({row["Status"] for row in _sheet_rows(norwegian)})
    client.cookies["sprak"] = "nb"
    assert _download(client, round_t) == norwegian


def test_another_office_cannot_download_it(round_t, cast, client_for):
    response = client_for(cast.officer_n).get(reverse("applications:round_export", args=[round_t.pk]))
    assert response.status_code in (403, 404)
    assert cast.kommune_a.name.encode() not in response.content


def _export_queries(round) -> int:
    with CaptureQueriesContext(connection) as captured:
        round_applications_xlsx(round)
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_the_applications(cast):
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    make_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence", "competence"))
    small = _export_queries(round)

    others = Organisation.objects.filter(kind="kommune", fylke__number="50").exclude(pk=cast.kommune_a.pk)
    # Ørland and Åfjord among them, to check the Norwegian alphabetical order.
    others = sorted(others, key=lambda org: org.name[0] not in "ØÅ")[:28]
    for i, organisation in enumerate(others):
        signer = _signer_for(organisation)
        if i % 2:
            submitted_application(round, organisation, by=signer)
        else:
            draft = make_application(round, organisation, by=signer, kinds=("competence", "innovation"))
            services.share_with_office(application=draft, by=signer, shared=True)
    assert Application.objects.filter(round=round).count() == 30
    large = _export_queries(round)

    assert small == large == 4  # constant; the applications are one prefetch query, shared by their lines

    names = [row.organisation for row in round_application_rows(round)]
    readable = Application.objects.readable_by_office()
    assert len(names) == Line.objects.filter(application__round=round, application__in=readable).count()
    ørland = next(n for n in names if n.startswith("Ørland"))
    åfjord = next(n for n in names if n.startswith("Åfjord"))
    assert names.index(ørland) < names.index(åfjord)  # Norwegian alphabet: ... z, æ, ø, å


def test_the_download_uses_as_many_queries_for_many_applications_as_for_few(cast, client_for):
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)

    def grow():
        others = Organisation.objects.filter(kind="kommune", fylke__number="50").exclude(pk=cast.kommune_a.pk)
        for organisation in others[:10]:
            submitted_application(round, organisation, by=_signer_for(organisation))

    assert_queries_constant(
        client_for(cast.officer_t),
        reverse("applications:round_export", args=[round.pk]),
        grow,
        forget=lambda: shutil.rmtree(settings.MEDIA_ROOT / "exports", ignore_errors=True),
    )
