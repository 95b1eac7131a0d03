"""The round's settlement for the finance system: one row per award, and one per claim (.xlsx)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tilskudd.domain.ledger import Account

MONEY_FORMAT = "# ##0"


def _sheet(workbook, title: str, headers: list[str], rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = max(
            12, min(45, max(len(str(c.value or "")) for c in column) + 2)
        )
        for cell in column[1:]:
            if isinstance(cell.value, int):
                cell.number_format = MONEY_FORMAT


def claims_xlsx(round, overview) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Awards"),
        [
            _("Organisation"),
            _("Org. no."),
            _("Case number"),
            _("Granted"),
            _("Paid out"),
            _("Used"),
            _("Carried over"),
            _("Owed back"),
            _("Repaid"),
            _("Written off"),
            _("Not yet accounted for"),
        ],
        (
            [
                row.organisation.display_name,
                row.organisation.organisasjonsnummer,
                row.decision.application.case_number,
                row.granted,
                row.paid,
                row.accounts[Account.USED],
                row.accounts[Account.CARRIED],
                row.accounts[Account.OWED],
                row.accounts[Account.REPAID],
                row.accounts[Account.WRITTEN_OFF],
                row.accounts[Account.UNSETTLED],
            ]
            for row in overview.rows
        ),
    )
    _sheet(
        workbook,
        _("Claims"),
        [
            _("Organisation"),
            _("Org. no."),
            _("KID"),
            _("Claimed"),
            _("Outstanding"),
            _("Due date"),
            _("Sent"),
            _("Reminders sent"),
        ],
        (
            [
                row.organisation.display_name,
                row.organisation.organisasjonsnummer,
                claim.reference,
                claim.amount,
                claim.outstanding,
                claim.due_on,
                claim.sent_at.date(),
                claim.reminders,
            ]
            for row in overview.rows
            for claim in row.claims
        ),
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
