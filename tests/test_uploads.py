"""Attachments: the type is judged by content."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tilskudd.applications.uploads import DOCX, PDF, XLSX, UploadRefused, check_upload


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", b"%PDF-1.7 ...", PDF),
        ("a.docx", _zip(["[Content_Types].xml", "word/document.xml"]), DOCX),
        ("a.xlsx", _zip(["[Content_Types].xml", "xl/workbook.xml"]), XLSX),
    ],
)
def test_accepted_types(name, content, expected):
    assert check_upload(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.pdf", b"MZ\x90\x00", "type"),
        ("arkiv.docx", _zip(["random.txt"]), "type"),
        ("brutt.docx", b"PK\x03\x04 not really a zip", "type"),
        ("tom.pdf", b"", "empty"),
        ("side.html", b"<html><script>alert(1)</script>", "type"),
    ],
)
def test_refused(name, content, code):
    with pytest.raises(UploadRefused) as refused:
        check_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code
