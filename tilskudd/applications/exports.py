"""The case officer's spreadsheet of a round's applications: one row per line (measure).

Rows first, files second: ``round_application_rows`` turns the database into plain
rows (easy to test and to reuse), ``round_applications_xlsx`` only writes them out.
"""

import io
from dataclasses import dataclass, fields
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tilskudd.applications.models import Application, Line, Status
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.lines import LineKind
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.organisations.models import Organisation
from tilskudd.rounds.models import ThemeChoices

CREATOR = "Kompetanse- og innovasjonstilskudd"
AMOUNT_FORMAT = "#,##0"  # grouping follows the reader's locale: 36 110 000 in Norwegian Excel
COUNT_FORMAT = "0"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 50


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None = None


@dataclass(frozen=True)
class ApplicationLineRow:
    """One line of one application, flattened; field order is column order (see ``COLUMNS``)."""

    case_number: str
    organisation: str
    organisation_kind: str
    kommunenummer: str
    status: str
    submitted_at: datetime | None  # local Europe/Oslo wall-clock time, naive (Excel has no time zones)
    rank: int
    kind: str
    title: str
    amount: int
    education_type: str
    subject_field: str
    mental_health: str  # "Ja"/"Nei" on competence lines, "" otherwise
    target_group: str
    employees_count: int | None
    bpa_training_type: str
    amount_per_person: int | None
    persons_count: int | None
    persons_untrained: int | None
    themes: str
    own_financing: int | None
    collaborators: str
    contact: str
    leader: str


COLUMNS: tuple[Column, ...] = (
    Column("Saksnummer"),
    Column("Organisasjon"),
    Column("Organisasjonstype"),
    Column("Kommunenummer"),
    Column("Status"),
    Column("Sendt inn", DATETIME_FORMAT),
    Column("Prioritet", COUNT_FORMAT),
    Column("Type tiltak"),
    Column("Tittel"),
    Column("Søkt beløp (kr)", AMOUNT_FORMAT),
    Column("Utdanningstype"),
    Column("Fagområde"),
    Column("Psykisk helse og rus"),
    Column("Målgruppe"),
    Column("Antall ansatte", COUNT_FORMAT),
    Column("BPA-opplæring for"),
    Column("Beløp per person", AMOUNT_FORMAT),
    Column("Antall personer", COUNT_FORMAT),
    Column("Ikke opplært før", COUNT_FORMAT),
    Column("Temaer"),
    Column("Egenfinansiering", AMOUNT_FORMAT),
    Column("Samarbeidspartnere"),
    Column("Kontaktperson"),
    Column("Leder med budsjettansvar"),
)
HEADERS = tuple(column.header for column in COLUMNS)
assert len(COLUMNS) == len(fields(ApplicationLineRow))


def _local(moment: datetime | None) -> datetime | None:
    # Whole seconds: Excel stores a date as a fraction of a day and cannot keep microseconds anyway.
    return timezone.localtime(moment, OSLO).replace(tzinfo=None, microsecond=0) if moment else None


def _themes(codes) -> str:
    return ", ".join(
        str(ThemeChoices(code).label) if code in ThemeChoices.values else str(code) for code in codes or []
    )


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


class _Labels:
    """A choice field's labels as plain text, read once per export rather than once per cell.

    ``get_FOO_display`` hashes the field's whole choice list on every call (a third of the
    export's time at national scale, bench/pages.py); this is the same lookup, made once.
    """

    def __init__(self, model, name: str):
        self.labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}

    def __call__(self, value) -> str:
        return self.labels.get(value, "" if value is None else str(value))


def _row_maker():
    kind_of_organisation = _Labels(Organisation, "kind")
    status = _Labels(Application, "status")
    kind, education, target, bpa = (
        _Labels(Line, name) for name in ("kind", "education_type", "target_group", "bpa_training_type")
    )
    themes: dict[tuple, str] = {}
    applications: dict[int, tuple] = {}

    def row(line: Line) -> ApplicationLineRow:
        application = line.application
        shared = applications.get(application.pk)
        if shared is None:  # what every line of one application repeats, made once per application
            organisation = application.organisation
            shared = applications[application.pk] = (
                application.case_number,
                organisation.name,
                kind_of_organisation(organisation.kind),
                organisation.kommunenummer,
                status(application.status),
                _local(application.submitted_at),
                application.contact_name,
                _joined(application.leader_name, application.leader_title),
            )
        case_number, name, organisation_kind, kommunenummer, state, submitted_at, contact, leader = shared
        target_group = target(line.target_group)
        if line.target_agency:
            target_group = f"{target_group} ({line.target_agency})" if target_group else line.target_agency
        codes = tuple(line.themes or ())
        if codes not in themes:
            themes[codes] = _themes(codes)
        return ApplicationLineRow(
            case_number=case_number,
            organisation=name,
            organisation_kind=organisation_kind,
            kommunenummer=kommunenummer,
            status=state,
            submitted_at=submitted_at,
            rank=line.rank,
            kind=kind(line.kind),
            title=line.title,
            amount=int(line.amount),
            education_type=education(line.education_type),
            subject_field=line.subject_field,
            mental_health=("Ja" if line.mental_health else "Nei") if line.kind == LineKind.COMPETENCE else "",
            target_group=str(target_group),
            employees_count=line.employees_count,
            bpa_training_type=bpa(line.bpa_training_type),
            amount_per_person=line.amount_per_person,
            persons_count=line.persons_count,
            persons_untrained=line.persons_untrained,
            themes=themes[codes],
            own_financing=line.own_financing,
            collaborators=line.collaborators,
            contact=contact,
            leader=leader,
        )

    return row


def round_application_rows(round) -> list[ApplicationLineRow]:
    """One row per line of every application in ``round`` the office may read (no unshared drafts); two queries.

    Ordered by organisation name (Norwegian alphabet), then by the line's priority.
    """
    # Each application once, shared by its lines, and without its snapshot (~10 kB of
    # JSON that select_related decoded once per line): bench/pages.py's Excel export.
    applications = Application.objects.select_related("organisation", "round__office").defer("snapshot")
    lines = (
        Line.objects.filter(
            application__round=round, application__in=Application.objects.readable_by_office()
        )
        .prefetch_related(Prefetch("application", queryset=applications))
        .order_by("application__organisation__name", "application_id", "rank", "pk")
    )
    lines = sorted(
        lines, key=lambda line: (norwegian_sort_key(line.application.organisation.name), line.application_id)
    )  # stable: keeps rank order within an application
    row = _row_maker()
    return [row(line) for line in lines]


@dataclass(frozen=True)
class RoundSummary:
    title: str
    fresh_funds: int
    carried_over_funds: int
    total_funds: int
    applied_submitted: int
    submitted_count: int


def round_summary(round) -> RoundSummary:
    """The round's funds against what the submitted applications ask for; two queries."""
    submitted = Application.objects.filter(round=round, status=Status.SUBMITTED)
    lines = Line.objects.filter(application__in=submitted).only(
        "kind", "amount_applied", "amount_per_person", "persons_count"
    )
    return RoundSummary(
        title=round.title,
        fresh_funds=round.fresh_funds,
        carried_over_funds=round.carried_over_funds,
        total_funds=round.total_funds,
        applied_submitted=sum(line.amount for line in lines),
        submitted_count=submitted.count(),
    )


def safe_cell_value(value):
    """Text that a spreadsheet would read as a formula is kept as text (CSV/formula injection), and
    control characters XML cannot carry are left out (openpyxl would refuse the whole file)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
    return value


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, int):
        return len(f"{value:,}")
    return max((len(part) for part in str(value).splitlines()), default=0)


def _values(row: ApplicationLineRow) -> tuple:
    return tuple(getattr(row, name) for name in _FIELD_NAMES)  # dataclasses.astuple deep-copies every value


_FIELD_NAMES = tuple(field.name for field in fields(ApplicationLineRow))


def _write_rows(sheet, rows: list[ApplicationLineRow]) -> None:
    """The rows, into a write-only sheet: widths, frozen header and filter are set before the first row."""
    values = [_values(row) for row in rows]
    widths = [len(header) for header in HEADERS]
    for row in values:
        for i, value in enumerate(row):
            width = _width(value)
            if width > widths[i]:
                widths[i] = width
    for i in range(len(COLUMNS)):
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(
            max(widths[i] + 2, MIN_WIDTH), MAX_WIDTH
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for header in HEADERS])
    formats = [column.number_format for column in COLUMNS]
    for row in values:
        sheet.append(
            [
                _cell(sheet, value, number_format=formats[i]) if formats[i] else safe_cell_value(value)
                for i, value in enumerate(row)
            ]
        )


def _cell(sheet, value, *, font=None, number_format=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell_value(value))
    if font:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _write_summary(sheet, summary: RoundSummary) -> None:
    entries = [
        ("Tilskuddsrunde", summary.title, None),
        ("Friske midler (kr)", summary.fresh_funds, AMOUNT_FORMAT),
        ("Overførte midler (kr)", summary.carried_over_funds, AMOUNT_FORMAT),
        ("Til disposisjon (kr)", summary.total_funds, AMOUNT_FORMAT),
        ("Søkt beløp i innsendte søknader (kr)", summary.applied_submitted, AMOUNT_FORMAT),
        ("Antall innsendte søknader", summary.submitted_count, COUNT_FORMAT),
    ]
    sheet.column_dimensions["A"].width = max(len(label) for label, _, _ in entries) + 2
    sheet.column_dimensions["B"].width = max(len(summary.title), 14) + 2
    bold = Font(bold=True)
    for label, value, number_format in entries:
        sheet.append([_cell(sheet, label, font=bold), _cell(sheet, value, number_format=number_format)])


def round_applications_xlsx(round) -> bytes:
    """The round's applications as an .xlsx file: sheet "Søknader" (one row per line) and "Sammendrag"."""
    rows = round_application_rows(round)
    workbook = Workbook(write_only=True)  # rows go straight to the file's XML, no cell objects kept
    _write_rows(workbook.create_sheet("Søknader"), rows)
    _write_summary(workbook.create_sheet("Sammendrag"), round_summary(round))
    workbook.properties.title = f"Søknader – {round.title}"
    workbook.properties.creator = CREATOR
    workbook.properties.lastModifiedBy = CREATOR
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The file as the office downloads it: made once per state of the round's applications ---------------

EXPORTS = "exports"  # a private folder of the default storage (never served but by the view)
SHAPE = 1  # part of the file's name: change it when the file's layout changes


def _stored_name(round) -> str:
    # the labels in the file (status, kind, theme...) are in the language of the request that made it
    return f"{EXPORTS}/{round.pk}/{round.applications_version}-{get_language() or 'nb'}-{SHAPE}.xlsx"


def stored_round_export(round) -> str:
    """The storage name of the round's spreadsheet as its applications are now; made if there is none.

    The name carries the reader's language and ``round.applications_version`` (tilskudd.rounds.versions), which every change to
    what the file shows moves in its own transaction: a stored file is served only while nothing it
    shows has changed. ``round`` must be read before the applications are (the view reads it first),
    so a file is never older than the name it is stored under. A file is complete once its ``.done``
    marker is stored beside it; the round's older files are deleted when a new one is made.
    """
    name = _stored_name(round)
    done = f"{name}.done"
    if default_storage.exists(done):
        return name
    content = round_applications_xlsx(round)
    saved = default_storage.save(name, ContentFile(content))  # a concurrent maker's file gets another name
    default_storage.save(f"{saved}.done", ContentFile(b""))
    folder = f"{EXPORTS}/{round.pk}"
    keep = {saved, f"{saved}.done", name, done}
    for old in default_storage.listdir(folder)[1]:
        path = f"{folder}/{old}"
        if path not in keep and not old.startswith(f"{round.applications_version}-"):
            default_storage.delete(path)
    return saved
