"""A small .xlsx writer for plain tables: the round's export, written as text in one pass.

openpyxl built an XML element per cell and serialised it through et_xmlfile: nine tenths of
the export's time at national scale (bench/pages.py, 900 lines × 24 columns). This writes
the same parts a spreadsheet needs (SpreadsheetML, ECMA-376) directly: inline strings, numbers,
dates as serial days, a bold header, number formats, column widths, a frozen first row and an
autofilter. The tests read the result back with openpyxl, and LibreOffice converts it.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

# cellXfs below, by index: the styles a cell may have
PLAIN, BOLD, AMOUNT, COUNT, DATETIME = range(5)
STYLE_OF_FORMAT = {"#,##0": AMOUNT, "0": COUNT, "dd.mm.yyyy hh:mm": DATETIME}
_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - day 0 of the 1900 date system; cells hold naive local time
# Characters XML 1.0 cannot carry (openpyxl refused the whole file for one of them)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """1 → A, 24 → X, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _cell(ref: str, value, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if type(value) is str and value:  # the common case first: text
        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() or "\n" in value else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{_text(value)}</t></is></c>'
    if value is None or value == "":  # an empty cell, as openpyxl wrote it (kept only for its style)
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{s}><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime):
        days = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}"{s}><v>{days!r}</v></c>'
    return _cell(ref, str(value), style)


_LETTERS = [column_letter(i) for i in range(1, 100)]  # A.., by 0-based column


@dataclass
class Sheet:
    title: str
    widths: list[float] = field(default_factory=list)
    frozen_header: bool = False
    autofilter: bool = False
    rows: list[str] = field(default_factory=list)
    columns: int = 0

    def append(self, values, styles) -> None:
        """One row; ``styles`` gives each cell's style (PLAIN, BOLD, AMOUNT, COUNT, DATETIME)."""
        r = len(self.rows) + 1
        cells = "".join(
            _cell(f"{_LETTERS[i] if i < 99 else column_letter(i + 1)}{r}", value, style)
            for i, (value, style) in enumerate(zip(values, styles, strict=True))
        )
        self.columns = max(self.columns, len(values))
        self.rows.append(f'<row r="{r}">{cells}</row>')

    @property
    def ref(self) -> str:
        return f"A1:{column_letter(max(self.columns, 1))}{max(len(self.rows), 1)}"

    def xml(self) -> str:
        view = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            if self.frozen_header
            else ""
        )
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(self.widths, start=1)
        )
        return (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<dimension ref="{self.ref}"/>'
            f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f"<sheetData>{''.join(self.rows)}</sheetData>"
            + (f'<autoFilter ref="{self.ref}"/>' if self.autofilter else "")
            + "</worksheet>"
        )


_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def workbook(sheets: list[Sheet], *, title: str, creator: str) -> bytes:
    """The .xlsx file of ``sheets`` (the first one active) with its title and creator."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    n = len(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    parts = {
        "[Content_Types].xml": (
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "docProps/core.xml": (
            f"{_HEAD}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_text(title)}</dc:title><dc:creator>{_text(creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{_text(creator)}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "docProps/app.xml": (
            f'{_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>{_text(creator)}</Application></Properties>"
        ),
        "xl/workbook.xml": (
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(
                f'<sheet name="{_text(sheet.title)}" sheetId="{i}" r:id="rId{i}"/>'
                for i, sheet in enumerate(sheets, start=1)
            )
            + "</sheets>"
            + _filter_names(sheets)
            + "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, n + 1)
            )
            + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{i}.xml": sheet.xml() for i, sheet in enumerate(sheets, start=1)},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content.encode("utf-8"))
    return buffer.getvalue()


def _filter_names(sheets: list[Sheet]) -> str:
    """The hidden name a spreadsheet keeps each autofilter's range under."""
    names = []
    for i, sheet in enumerate(sheets):
        if sheet.autofilter:
            first, last = sheet.ref.split(":")
            quoted = sheet.title.replace("'", "''")
            names.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                f"{_text(repr_ref(quoted, first, last))}</definedName>"
            )
    return f"<definedNames>{''.join(names)}</definedNames>" if names else ""


def repr_ref(sheet: str, first: str, last: str) -> str:
    def absolute(ref: str) -> str:
        letters = ref.rstrip("0123456789")
        return f"${letters}${ref[len(letters) :]}"

    return f"'{sheet}'!{absolute(first)}:{absolute(last)}"
