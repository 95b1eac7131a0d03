"""The report as an Excel workbook (R11b): "Samme excelark som tidligere" (seed 004).

``build_workbook`` makes the prefilled workbook: instructions on the first sheet, one
sheet per kind of measure with a row per awarded line (id, title, granted locked;
input cells unlocked and validated), and a hidden sheet that identifies the report
and carries an HMAC (keyed with the server's SECRET_KEY) of the prefilled ids and
amounts, so a changed line id or granted amount is caught.

``read_workbook`` reads a filled-in workbook back into ``{report line id: {field:
value}}`` for ``services.import_workbook``, which writes it to the same report the
web form edits. Every problem is collected (sheet and cell named) and raised at once
as ``WorkbookRefused``; nothing is stored then. The container is checked before it is
parsed, by the attachments' check (``applications.uploads.check_upload``: type, content,
zip bombs, macros) with a workbook's tighter limits, and openpyxl parses it in read-only
mode through defusedxml.
"""

import hashlib
import hmac
import io
from dataclasses import dataclass

import defusedxml  # noqa: F401  (openpyxl uses it when installed: refuse to run without it)
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tilskudd.applications.messages import upload_message
from tilskudd.applications.models import BpaTrainingTypeChoices, EducationTypeChoices
from tilskudd.applications.uploads import XLSX, UploadRefused, check_upload
from tilskudd.domain.lines import MAX_PERSONS, LineKind
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.domain.reporting import MAX_TEXT, line_problems
from tilskudd.reporting.messages import problem_text
from tilskudd.reporting.models import InnovationStatusChoices, UnusedChoiceChoices
from tilskudd.rounds.models import ThemeChoices

MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 100  # a real workbook of this shape has about 15 parts
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500  # rows read per sheet, whatever the file declares
MAX_COLUMNS = 40  # columns read per row: the form has 11, the rest must be empty
FIRST_ROW = 7  # the first line's row on each sheet (rows 1–6: heading, facts, column names)
HEADER_ROW = 6
ID_SHEET = "Identitet"
INSTRUCTIONS = "Veiledning"
SALT = "tilskudd.reporting.workbook"

# Workbook labels are Norwegian (bokmål): it is the office's form, as before.
UNUSED_LABELS = {"carry_over": "Søke om overføring", "repay": "Tilbakebetale"}
STATUS_LABELS = {
    "not_started": "Ikke startet",
    "ongoing": "Pågår",
    "completed": "Fullført",
    "stopped": "Avbrutt",
}
BPA_LABELS = {
    "work_leaders": "Brukere og arbeidsledere",
    "case_workers": "Kommunens saksbehandlere",
    "assistants": "Assistenter",
}
assert set(UNUSED_LABELS) == set(UnusedChoiceChoices.values)
assert set(STATUS_LABELS) == set(InnovationStatusChoices.values)
assert set(BPA_LABELS) == set(BpaTrainingTypeChoices.values)


@dataclass(frozen=True)
class Column:
    letter: str
    field: str  # a report line field, or one of the prefilled: id, title, about, granted
    heading: str
    kind: str  # "locked" | "count" | "kroner" | "text" | "choice"
    choices: dict[str, str] | None = None
    width: int = 16


MONEY_COLUMNS = [
    ("used", "Brukt (kr)", "kroner", None, 14),
    ("unused", "Ubrukt (kr)", "kroner", None, 14),
    ("unused_choice", "Ubrukte midler", "choice", UNUSED_LABELS, 22),
    ("carry_over_reason", "Begrunnelse for overføring", "text", None, 40),
]


def _columns(specs) -> list[Column]:
    prefilled = [
        ("id", "Linje-ID", "locked", None, 10),
        ("title", "Tiltak", "locked", None, 36),
        ("about", "Type / tema", "locked", None, 30),
        ("granted", "Innvilget (kr)", "locked", None, 14),
    ]
    return [
        Column(get_column_letter(i), field, heading, kind, choices, width)
        for i, (field, heading, kind, choices, width) in enumerate(
            [*prefilled, *specs, *MONEY_COLUMNS], start=1
        )
    ]


SHEETS: dict[str, tuple[str, list[Column]]] = {
    LineKind.COMPETENCE: (
        "Kompetanse",
        _columns(
            [
                ("completed", "Fullført", "count", None, 12),
                ("in_education", "Under utdanning", "count", None, 14),
                ("dropped_out", "Avbrutt", "count", None, 12),
            ]
        ),
    ),
    LineKind.BPA: (
        "BPA",
        _columns(
            [
                ("bpa_training_type", "Opplæringstype", "choice", BPA_LABELS, 26),
                ("work_leaders_trained", "Arbeidsledere", "count", None, 14),
                ("case_workers_trained", "Saksbehandlere", "count", None, 14),
                ("assistants_trained", "Assistenter", "count", None, 12),
            ]
        ),
    ),
    LineKind.INNOVATION: (
        "Innovasjon",
        _columns(
            [
                ("innovation_status", "Status", "choice", STATUS_LABELS, 14),
                ("results", "Resultater", "text", None, 40),
                ("sharing", "Deling med andre kommuner", "text", None, 40),
            ]
        ),
    ),
}


class WorkbookRefused(Exception):
    """Every problem found, each ``{"sheet", "cell", "text"}`` (sheet and cell may be empty)."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(e["text"] for e in errors))
        self.errors = errors


# --- The signature ------------------------------------------------------------------------------


def signature(obligation_id: int, organisation_id: int, round_id: int, lines: list[tuple[int, int]]) -> str:
    """HMAC-SHA256, keyed with the server's secret, of what the workbook must not change."""
    message = f"{obligation_id}|{organisation_id}|{round_id}|" + ";".join(f"{i}:{g}" for i, g in lines)
    key = hashlib.sha256((SALT + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


# --- Building -----------------------------------------------------------------------------------


def _about(line) -> str:
    if line.kind == LineKind.COMPETENCE and line.education_type in EducationTypeChoices.values:
        return str(EducationTypeChoices(line.education_type).label)
    if line.kind == LineKind.INNOVATION:
        return ", ".join(str(ThemeChoices(t).label) for t in line.themes or [] if t in ThemeChoices.values)
    return ""


def _prefilled(line, column: Column):
    if column.field == "id":
        return line.pk
    if column.field == "title":
        return line.title
    if column.field == "about":
        return _about(line)
    if column.field == "granted":
        return line.granted
    value = getattr(line, column.field)
    if column.kind == "choice":
        return column.choices.get(value, "") if value else None
    return value if value not in ("",) else None


def _put(cell, value) -> None:
    """Write a value; text someone typed is always text, never a formula (a title may begin with "=")."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def build_workbook(obligation) -> bytes:
    """The prefilled workbook for ``obligation`` (with what is reported so far)."""
    lines = list(obligation.lines.all())
    application = obligation.decision.application if obligation.decision_id else None
    book = Workbook()
    guide = book.active
    guide.title = INSTRUCTIONS
    facts = [
        ("Rapport for tilskudd", obligation.round.title),
        ("Organisasjon", obligation.organisation.name),
        ("Saksnummer", application.case_number if application else ""),
        ("Innvilget i alt (kr)", obligation.awarded),
        ("Rapporteringsfrist", obligation.due.strftime("%d.%m.%Y")),
    ]
    guide["A1"] = "Rapportskjema for kompetanse- og innovasjonstilskuddet"
    guide["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate(facts, start=3):
        guide.cell(row=row, column=1, value=label).font = Font(bold=True)
        _put(guide.cell(row=row, column=2), value)
    text = [
        "Slik fyller du ut skjemaet",
        "Det er tildelingsbrevet som er arbeidsverktøyet: hvert innvilget tiltak har sin rad, på arket for sin type.",
        "Fyll ut bare de hvite cellene. Grå celler (linje-ID, tiltak, type og innvilget beløp) kan ikke endres.",
        "Kompetanse: antall som har fullført, som fortsatt er under utdanning, og som har avbrutt.",
        "BPA: opplæringstype og antall arbeidsledere, saksbehandlere og assistenter som har fått opplæring.",
        "Innovasjon: status, resultater, og hvordan resultatene er delt med andre kommuner.",
        "For hvert tiltak: brukt og ubrukt beløp i hele kroner; til sammen skal de være det innvilgede beløpet.",
        "Ubrukte midler: velg om dere søker om å overføre dem til neste år (skriv begrunnelsen) eller betaler dem "
        "tilbake.",
        "Skriv tall som tall, uten formler. Ikke legg til rader eller endre navn på arkene.",
        "Last opp den utfylte filen under «Last opp utfylt rapport» på rapportsiden. Lagre som .xlsx.",
        "Revisoruttalelse eller prosjektregnskap legges ved på rapportsiden, og lederen med budsjettansvar sender "
        "inn rapporten der.",
    ]
    for row, line in enumerate(text, start=10):
        cell = guide.cell(row=row, column=1, value=line)
        cell.font = Font(bold=row == 10)
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 60
    guide.protection.sheet = True

    locked_fill = PatternFill("solid", fgColor="E5E5E5")
    for kind, (name, columns) in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet["A1"] = f"{name}: rapport for tilskudd fra {obligation.round.title}"
        sheet["A1"].font = Font(bold=True, size=12)
        _put(sheet["A2"], obligation.organisation.name)
        sheet["A3"] = f"Saksnummer {application.case_number}" if application else ""
        for column in columns:
            header = sheet[f"{column.letter}{HEADER_ROW}"]
            header.value = column.heading
            header.font = Font(bold=True)
            header.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[column.letter].width = column.width
        rows = [line for line in lines if line.kind == kind]
        last = FIRST_ROW + max(len(rows), 1) - 1
        for offset, line in enumerate(rows):
            row = FIRST_ROW + offset
            for column in columns:
                cell = sheet[f"{column.letter}{row}"]
                _put(cell, _prefilled(line, column))
                if column.kind == "locked":
                    cell.fill = locked_fill
                else:
                    cell.protection = Protection(locked=False)
                if column.kind in ("kroner", "count") or column.field in ("granted", "id"):
                    cell.number_format = "#,##0" if column.field != "id" else "0"
                if column.kind == "text":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if rows:
            for column in columns:
                area = f"{column.letter}{FIRST_ROW}:{column.letter}{last}"
                validation = _validation(column)
                if validation is not None:
                    sheet.add_data_validation(validation)
                    validation.add(area)
        else:
            sheet[f"A{FIRST_ROW}"] = "Ingen tiltak av denne typen i tildelingen."
        sheet.freeze_panes = f"E{FIRST_ROW}"
        sheet.protection.sheet = True

    identity = book.create_sheet(ID_SHEET)
    identity.sheet_state = "hidden"
    identity["A1"], identity["B1"] = "rapport", obligation.pk
    identity["A2"], identity["B2"] = "organisasjon", obligation.organisation_id
    identity["A3"], identity["B3"] = "runde", obligation.round_id
    pairs = [(line.pk, line.granted) for line in lines]
    identity["A4"], identity["B4"] = (
        "signatur",
        signature(obligation.pk, obligation.organisation_id, obligation.round_id, pairs),
    )
    for row, (line_id, granted) in enumerate(pairs, start=6):
        identity.cell(row=row, column=1, value=line_id)
        identity.cell(row=row, column=2, value=granted)
    identity.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(column: Column) -> DataValidation | None:
    if column.kind == "count":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(MAX_PERSONS),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Helt tall",
            error=f"Skriv et helt tall fra 0 til {MAX_PERSONS}.",
        )
    if column.kind == "kroner":
        return DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(MAX_AMOUNT),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Beløp",
            error="Skriv beløpet i hele kroner, uten øre.",
        )
    if column.kind == "choice":
        return DataValidation(
            type="list",
            formula1='"' + ",".join(column.choices.values()) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Velg fra listen",
            error="Velg et av alternativene i listen.",
        )
    if column.kind == "text":
        return DataValidation(
            type="textLength",
            operator="lessThanOrEqual",
            formula1=str(MAX_TEXT),
            allow_blank=True,
            showErrorMessage=True,
            error=f"Skriv høyst {MAX_TEXT} tegn.",
        )
    return None


# --- Reading ------------------------------------------------------------------------------------


def _error(sheet: str, cell: str, text: str) -> dict:
    if sheet and cell:
        full = _("Sheet «%(sheet)s», cell %(cell)s: %(message)s") % {
            "sheet": sheet,
            "cell": cell,
            "message": text,
        }
    elif sheet:
        full = _("Sheet «%(sheet)s»: %(message)s") % {"sheet": sheet, "message": text}
    else:
        full = text
    return {"sheet": sheet, "cell": cell, "text": full}


def _not_a_workbook() -> str:
    return _("The file is not an Excel workbook (.xlsx). Save the report form as .xlsx and try again.")


def _refusal(refused: UploadRefused) -> str:
    """The upload check's refusal in the workbook's words where they say more, else the attachment's."""
    if refused.code in ("type", "legacy"):
        return _not_a_workbook()
    if refused.code == "archive":
        return _("The workbook unpacks to far more than its size, or has too many parts.")
    if refused.code == "macro":
        return _("Workbooks with macros are not accepted.")
    return upload_message(refused)


def check_container(upload) -> None:
    """Refuse what is not a plain .xlsx before any XML is parsed: the attachment checks (type, content,
    zip bombs, macros) with the workbook's tighter limits."""
    if upload.size > MAX_WORKBOOK_BYTES:  # before reading it
        raise WorkbookRefused(
            [_error("", "", _("The workbook is larger than 5 MB; it cannot be the report form."))]
        )
    try:
        content_type = check_upload(upload, max_entries=MAX_ENTRIES, max_unpacked=MAX_UNPACKED_BYTES)
    except UploadRefused as refused:
        raise WorkbookRefused([_error("", "", _refusal(refused))]) from None
    if content_type != XLSX:
        raise WorkbookRefused([_error("", "", _not_a_workbook())])


def _is_formula(cell) -> bool:
    """A formula cell (``<f>``); text that merely begins with "=" is text."""
    return getattr(cell, "data_type", None) == "f"


def _whole(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _number(value, kind: str):
    """(value, problem text or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("write a whole number")
    if isinstance(value, str):
        text = value.replace("\u00a0", "").replace(" ", "").strip()
        if text.lstrip("-").isdigit():
            value = int(text)
        else:
            return None, _("write a whole number") if kind == "count" else _(
                "write the amount in whole kroner"
            )
    if isinstance(value, float):
        if not value.is_integer():
            return None, _("write a whole number") if kind == "count" else _(
                "write the amount in whole kroner"
            )
        value = int(value)
    if not isinstance(value, int):
        return None, _("write a whole number")
    if value < 0:
        return None, _("the number cannot be negative")
    limit = MAX_PERSONS if kind == "count" else MAX_AMOUNT
    if value > limit:
        return None, _("the number is too large")
    return value, None


def read_workbook(obligation, upload) -> dict[int, dict]:
    """The filled-in values per report line, or WorkbookRefused with every problem (sheet and cell named)."""
    check_container(upload)
    upload.seek(0)
    content = upload.read()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged or crafted file
        raise WorkbookRefused([_error("", "", _("The workbook is damaged and cannot be read."))]) from None
    try:
        return _read(obligation, book)
    finally:
        book.close()


def _read(obligation, book) -> dict[int, dict]:
    errors: list[dict] = []
    lines = {line.pk: line for line in obligation.lines.all()}
    names = set(book.sheetnames)
    wanted = [ID_SHEET, *(name for name, _cols in SHEETS.values())]
    missing = [n for n in wanted if n not in names]
    for n in missing:
        errors.append(
            _error(n, "", _("the sheet is missing or has been renamed. Download a new report form."))
        )
    if ID_SHEET in missing:
        raise WorkbookRefused(errors)
    identity = {
        row[0]: row[1]
        for row in book[ID_SHEET].iter_rows(min_row=1, max_row=4, max_col=2, values_only=True)
        if row and row[0]
    }
    pairs = [
        (row[0], row[1])
        for row in book[ID_SHEET].iter_rows(min_row=6, max_row=6 + MAX_ROWS, max_col=2, values_only=True)
        if row and row[0] is not None
    ]
    if identity.get("rapport") != obligation.pk or identity.get("organisasjon") != obligation.organisation_id:
        raise WorkbookRefused(
            [
                _error(
                    "",
                    "",
                    _(
                        "The workbook belongs to another report or organisation. Download the report form from "
                        "this report's page."
                    ),
                )
            ]
        )
    expected = signature(
        obligation.pk, obligation.organisation_id, obligation.round_id, [(i, g) for i, g in pairs]
    )
    stored = [(line.pk, line.granted) for line in lines.values()]
    if not hmac.compare_digest(str(identity.get("signatur") or ""), expected) or sorted(pairs) != sorted(
        stored
    ):
        raise WorkbookRefused(
            [
                _error(
                    ID_SHEET,
                    "",
                    _(
                        "the workbook's identity does not match the report (a line id or granted amount has been "
                        "changed). Download a new report form."
                    ),
                )
            ]
        )
    granted_by_id = dict(pairs)
    values: dict[int, dict] = {}
    seen: set[int] = set()
    for kind, (sheet_name, columns) in SHEETS.items():
        if sheet_name in missing:
            continue
        sheet = book[sheet_name]
        expected_ids = [pk for pk, line in lines.items() if line.kind == kind]
        max_col = len(columns)
        for row_number, row in enumerate(
            sheet.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLUMNS), start=1
        ):
            for cell in row:
                if getattr(cell, "value", None) is not None and _is_formula(cell):
                    errors.append(
                        _error(sheet_name, cell.coordinate, _("formulas are not allowed; write the value"))
                    )
            if row_number < FIRST_ROW:
                continue
            cells = {c.column_letter: c for c in row if hasattr(c, "column_letter")}
            id_cell = cells.get("A")
            raw_id = id_cell.value if id_cell is not None else None
            beyond = [
                c for c in row if getattr(c, "value", None) not in (None, "") and (c.column or 0) > max_col
            ]
            for c in beyond:
                errors.append(
                    _error(sheet_name, c.coordinate, _("this cell is outside the form; leave it empty"))
                )
            if raw_id is None or (not expected_ids and row_number == FIRST_ROW):
                others = [c for c in row if getattr(c, "value", None) not in (None, "")]
                if others and expected_ids:
                    errors.append(
                        _error(
                            sheet_name,
                            others[0].coordinate,
                            _("extra rows are not allowed; leave this row empty"),
                        )
                    )
                continue
            line_id = _whole(raw_id)
            if line_id not in expected_ids or line_id in seen:
                errors.append(
                    _error(
                        sheet_name,
                        f"A{row_number}",
                        _("this line is not in the award; leave the line ids as they were"),
                    )
                )
                continue
            seen.add(line_id)
            line = lines[line_id]
            granted_cell = cells.get("D")
            if granted_cell is None or _number(granted_cell.value, "kroner")[0] != granted_by_id[line_id]:
                errors.append(
                    _error(
                        sheet_name,
                        f"D{row_number}",
                        _("the granted amount has been changed; it must stay as it was"),
                    )
                )
            line_values: dict = {}
            cell_of: dict[str, str] = {}
            for column in columns:
                if column.kind == "locked":
                    continue
                cell = cells.get(column.letter)
                value = cell.value if cell is not None else None
                coordinate = f"{column.letter}{row_number}"
                cell_of[column.field] = coordinate
                if cell is not None and _is_formula(cell):
                    continue  # reported above
                if column.kind in ("count", "kroner"):
                    number, problem = _number(value, column.kind)
                    if problem:
                        errors.append(_error(sheet_name, coordinate, problem))
                    line_values[column.field] = number
                elif column.kind == "choice":
                    text = str(value).strip() if value is not None else ""
                    codes = {label.casefold(): code for code, label in column.choices.items()}
                    if text and text.casefold() not in codes:
                        errors.append(
                            _error(sheet_name, coordinate, _("choose one of the options in the list"))
                        )
                    line_values[column.field] = codes.get(text.casefold(), "")
                else:
                    text = str(value).strip() if value is not None else ""
                    if len(text) > MAX_TEXT:
                        errors.append(
                            _error(
                                sheet_name,
                                coordinate,
                                _("write at most %(max)s characters") % {"max": MAX_TEXT},
                            )
                        )
                    line_values[column.field] = text[:MAX_TEXT]
            for problem in line_problems(line.line_kind, line.granted, line_values):
                if problem.code in ("negative", "too_many", "too_large", "too_long", "invalid_choice"):
                    continue  # already named for its cell
                errors.append(
                    _error(sheet_name, cell_of.get(problem.field, ""), problem_text(problem).rstrip("."))
                )
            values[line_id] = line_values
        id_errors = any(e["sheet"] == sheet_name and e["cell"].startswith("A") for e in errors)
        for pk in expected_ids:
            if pk not in seen and not id_errors:  # a changed id is named at its cell already
                errors.append(
                    _error(
                        sheet_name,
                        "",
                        _("the line “%(title)s” is missing; download a new report form")
                        % {"title": lines[pk].title},
                    )
                )
    if errors:
        raise WorkbookRefused(errors)
    return values
