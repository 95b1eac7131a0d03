"""The office's spreadsheet of every report's figures in a round: one row per report line (R11).

One query for the lines (with their report, organisation and round), one for the
obligations without lines, however many reports there are.
"""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tilskudd.applications.exports import AMOUNT_FORMAT, CREATOR, safe_cell_value
from tilskudd.domain.text import norwegian_sort_key
from tilskudd.reporting.models import ReportLine, ReportObligation
from tilskudd.reporting.workbook import BPA_LABELS, STATUS_LABELS, UNUSED_LABELS

HEADERS = [
    ("Organisasjon", 36, None),
    ("Tilstand", 18, None),
    ("Sendt inn", 12, None),
    ("Tiltak", 36, None),
    ("Type", 12, None),
    ("Innvilget (kr)", 14, AMOUNT_FORMAT),
    ("Brukt (kr)", 14, AMOUNT_FORMAT),
    ("Ubrukt (kr)", 14, AMOUNT_FORMAT),
    ("Ubrukte midler", 20, None),
    ("Begrunnelse for overføring", 30, None),
    ("Fullført", 10, "0"),
    ("Under utdanning", 10, "0"),
    ("Avbrutt", 10, "0"),
    ("Opplæringstype", 22, None),
    ("Arbeidsledere", 10, "0"),
    ("Saksbehandlere", 10, "0"),
    ("Assistenter", 10, "0"),
    ("Status", 12, None),
    ("Resultater", 40, None),
    ("Deling", 40, None),
]
KINDS = {"competence": "Kompetanse", "bpa": "BPA", "innovation": "Innovasjon"}


def round_reports_xlsx(round) -> bytes:
    now = timezone.now()
    lines = (
        ReportLine.objects.filter(obligation__round=round)
        .select_related("obligation__organisation", "obligation__round")
        .order_by("obligation_id", "rank", "pk")
    )
    rows = []
    for line in lines:
        o = line.obligation
        rows.append(
            (
                norwegian_sort_key(o.organisation.name),
                [
                    o.organisation.name,
                    o.state_label(now),
                    o.submitted_at.astimezone(timezone.get_current_timezone()).date()
                    if o.submitted_at
                    else None,
                    line.title,
                    KINDS.get(line.kind, line.kind),
                    line.granted,
                    line.used,
                    line.unused,
                    UNUSED_LABELS.get(line.unused_choice, ""),
                    line.carry_over_reason,
                    line.completed,
                    line.in_education,
                    line.dropped_out,
                    BPA_LABELS.get(line.bpa_training_type, "") if line.kind == "bpa" else "",
                    line.work_leaders_trained,
                    line.case_workers_trained,
                    line.assistants_trained,
                    STATUS_LABELS.get(line.innovation_status, ""),
                    line.results,
                    line.sharing,
                ],
            )
        )
    for o in ReportObligation.objects.filter(round=round, lines__isnull=True).select_related(
        "organisation", "round"
    ):
        rows.append(
            (
                norwegian_sort_key(o.organisation.name),
                [o.organisation.name, o.state_label(now), None, "", "", o.awarded]
                + [None] * (len(HEADERS) - 6),
            )
        )
    rows.sort(key=lambda row: row[0])
    book = Workbook()
    sheet = book.active
    sheet.title = "Rapporter"
    sheet.append([header for header, _w, _f in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for _key, values in rows:
        sheet.append([safe_cell_value(value) for value in values])
    for i, (_header, width, number_format) in enumerate(HEADERS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(rows) + 1}"
    book.properties.title = f"Rapporter – {round.title}"
    book.properties.creator = CREATOR
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
