"""Attachments: what the name says is what the content is (issue 9, point 7).

The name's extension must be on the allow-list (pdf, docx, xlsx, odt, ods) and the content
must be that kind of document; macro-enabled documents and zip bombs are refused.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_application, make_round
from tilskudd.applications.uploads import (
    DOCX,
    MAX_ARCHIVE_ENTRIES,
    ODS,
    ODT,
    PDF,
    XLSX,
    UploadRefused,
    check_upload,
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file magic of .doc, .xls and .msi alike
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTA = (
    b'<html><head><HTA:APPLICATION ID="x"/></head><script>new ActiveXObject("WScript.Shell")</script></html>'
)
MSI = OLE2 + b"\x00" * 504 + "SummaryInformation".encode("utf-16-le")
POLYGLOT = b"%PDF-1.4\n" + HTML  # starts like a PDF, renders as a web page under an .html name


def _zip(parts, *, stored=False):
    """A zip of {name: content}; a list of names gets "x" as content."""
    if not isinstance(parts, dict):
        parts = {name: "x" for name in parts}
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(**extra):
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", **extra})


def _xlsx(**extra):
    return _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", **extra})


def _odf(mimetype, **extra):
    return _zip({"mimetype": mimetype, "content.xml": "<office:document-content/>", **extra}, stored=True)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", b"%PDF-1.7 ...", PDF),
        ("Budsjett.PDF", b"%PDF-1.7 ...", PDF),
        ("a.docx", _docx(), DOCX),
        ("a.xlsx", _xlsx(), XLSX),
        ("a.odt", _odf("application/vnd.oasis.opendocument.text"), ODT),
        ("a.ods", _odf("application/vnd.oasis.opendocument.spreadsheet"), ODS),
    ],
)
def test_accepted_types(name, content, expected):
    assert check_upload(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", b"MZ\x90\x00", "mismatch"),
        ("arkiv.docx", _zip(["random.txt"]), "mismatch"),
        ("brutt.docx", b"PK\x03\x04 not really a zip", "mismatch"),
        ("tom.pdf", b"", "empty"),
        ("side.html", b"<html><script>alert(1)</script>", "type"),
    ],
)
def test_refused(name, content, code):
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile(name, content))
    return refused.value.code


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.html", POLYGLOT),
        ("app.hta", POLYGLOT),
        ("bilde.svg", POLYGLOT),
        ("side.htm", POLYGLOT),
        ("installer.msi", MSI),
        ("installer.msi", POLYGLOT),
        ("program.exe", POLYGLOT),
        ("uten-endelse", POLYGLOT),
        ("punktum.pdf.", POLYGLOT),
    ],
)
def test_a_file_whose_extension_is_not_on_the_allow_list_is_refused_whatever_its_content(name, content):
    assert _refusal(name, content) == "type"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("side.pdf", HTML),
        ("app.pdf", HTA),
        ("bilde.pdf", SVG),
        ("installer.pdf", MSI),
        ("installer.docx", MSI),
        ("bilde.xlsx", SVG),
        ("side.odt", HTML),
    ],
)
def test_html_hta_svg_and_msi_renamed_to_a_document_are_refused(name, content):
    assert _refusal(name, content) == "mismatch"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("regneark.docx", _xlsx()),  # a workbook called a Word document
        ("dokument.xlsx", _docx()),
        ("uten-hoveddel.docx", _zip({"[Content_Types].xml": "<Types/>", "word/styles.xml": "<w:styles/>"})),
        ("uten-typer.docx", _zip({"word/document.xml": "<w:document/>"})),
        ("regneark.odt", _odf("application/vnd.oasis.opendocument.spreadsheet")),
        ("tekst.ods", _odf("application/vnd.oasis.opendocument.text")),
        ("uten-mimetype.odt", _zip({"content.xml": "<x/>"})),
        ("pdf.docx", b"%PDF-1.7 ..."),
        ("docx.pdf", _docx()),
        ("jar.odt", _zip({"mimetype": "application/java-archive", "META-INF/MANIFEST.MF": "x"})),
    ],
)
def test_a_document_whose_content_is_another_kind_than_its_name_says_is_refused(name, content):
    assert _refusal(name, content) == "mismatch"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("makro.docx", _docx(**{"word/vbaProject.bin": b"\x00VBA"})),
        ("makro.xlsx", _xlsx(**{"xl/vbaProject.bin": b"\x00VBA"})),
        (
            "makro-typer.docx",
            _zip(
                {
                    "[Content_Types].xml": '<Types><Override ContentType="application/vnd.ms-word.document'
                    '.macroEnabled.main+xml" PartName="/word/document.xml"/></Types>',
                    "word/document.xml": "<w:document/>",
                }
            ),
        ),
        (
            "makro.ods",
            _odf("application/vnd.oasis.opendocument.spreadsheet", **{"Basic/Standard/M.xml": "x"}),
        ),
        ("makro.docm", _docx(**{"word/vbaProject.bin": b"\x00VBA"})),
        ("makro.xlsm", _xlsx(**{"xl/vbaProject.bin": b"\x00VBA"})),
        ("uten-makro.docm", _docx()),
    ],
)
def test_macro_enabled_documents_are_refused(name, content):
    assert _refusal(name, content) == "macro"


@pytest.mark.parametrize("name", ["gammel.doc", "gammel.xls"])
def test_old_binary_word_and_excel_files_are_refused_with_advice(name):
    assert _refusal(name, OLE2 + b"\x00" * 504) == "legacy"


def test_a_zip_bomb_declaring_a_huge_unpacked_size_is_refused():
    """About 100 kB that unpacks to 200 MB: one highly compressible part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    assert _refusal("bombe.docx", content) == "archive"


def test_a_document_that_unpacks_to_more_than_a_hundred_times_its_size_is_refused():
    content = _xlsx(**{"xl/worksheets/sheet1.xml": b"<c/>" * (2 * 1024 * 1024)})  # 8 MB of repetition
    assert 100 * len(content) < 8 * 1024 * 1024
    assert _refusal("stor.xlsx", content) == "archive"


def test_a_document_with_too_many_parts_is_refused():
    parts = {f"word/media/image{n}.png": b"" for n in range(MAX_ARCHIVE_ENTRIES)}
    assert _refusal("mange-deler.docx", _docx(**parts)) == "archive"


def test_the_stored_name_ends_in_an_extension_from_the_allow_list(client_for, cast):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a)
    client = client_for(cast.applicant_a)
    url = reverse("applications:attachment_add", args=[application.pk])
    client.post(url, {"file": SimpleUploadedFile("Regnskap.ODS", _odf(ODS))})
    attachment = application.attachments.get()
    assert attachment.content_type == ODS
    assert attachment.stored_name.endswith(".ods") and attachment.file.name.endswith(".ods")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("side.html", POLYGLOT, "Andre filtyper blir ikke godtatt"),
        ("side.pdf", HTML, "Innholdet i filen stemmer ikke med navnet (.pdf)"),
        ("makro.docm", _docx(**{"word/vbaProject.bin": b"\x00VBA"}), "Filer med makroer"),
        ("gammel.doc", OLE2 + b"\x00" * 504, "Gamle Word- og Excel-filer"),
        ("stor.xlsx", _xlsx(**{"xl/worksheets/sheet1.xml": b"<c/>" * (2 * 1024 * 1024)}), "pakkes ut"),
    ],
)
def test_each_refusal_is_told_in_norwegian_next_to_the_file_field(client_for, cast, name, content, message):
    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.applicant_a)
    response = client_for(cast.applicant_a).post(
        reverse("applications:attachment_add", args=[application.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    body = response.content.decode()
    assert response.status_code == 400
    error = body[body.index('id="id_file_error"') :]
    assert message in error[: error.index("</div>")]
    assert not application.attachments.exists()
