"""Attachment checks: size limit and type judged by content, never by the name alone."""

import io
import zipfile

from django.conf import settings

MAX_ATTACHMENT_BYTES = getattr(settings, "MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", DOC: ".doc", XLS: ".xls"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRefused(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def sniff(head: bytes, file) -> str:
    """The content type of an upload from its bytes: PDF, Word or Excel, or UploadRefused('type')."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_OLE):
        name = getattr(file, "name", "").lower()
        return XLS if name.endswith(".xls") else DOC
    if head.startswith(b"PK\x03\x04"):
        file.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise UploadRefused("type") from error
        finally:
            file.seek(0)
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return DOCX
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return XLSX
    raise UploadRefused("type")


def check_upload(file) -> str:
    if file.size == 0:
        raise UploadRefused("empty")
    if file.size > MAX_ATTACHMENT_BYTES:
        raise UploadRefused("size")
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    return sniff(head, file)
