"""Attachment checks: what the name says is what the content is.

An attachment is served back to case officers under the name it was uploaded with, so
the name's extension must be on the allow-list and the content must be that kind of
document: a PDF for .pdf, an Office Open XML package with the right main part for
.docx/.xlsx, an OpenDocument package with the right ``mimetype`` for .odt/.ods.
Macro-enabled documents are refused, and so are packages that unpack to far more than
their size (zip bombs). The old binary Word and Excel formats (.doc, .xls) are refused:
their content cannot be told from other OLE2 files (such as .msi installers) without
parsing them, and they carry macros unannounced.
"""

import io
import posixpath
import secrets
import zipfile
import zlib

from django.conf import settings
from django.db import transaction
from django.http import FileResponse

MAX_ATTACHMENT_BYTES = getattr(settings, "MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
# An Office or OpenDocument package is a zip: a real document has tens or hundreds of parts
# and unpacks to a few times its size.
MAX_ARCHIVE_ENTRIES = 1000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_UNPACK_RATIO = 100
RATIO_APPLIES_ABOVE = 1024 * 1024  # small packages may compress well without being bombs

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# The allow-list: extension -> the content type it must have. Stored names end in one of these.
ALLOWED = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".odt": ODT, ".ods": ODS}
EXTENSIONS = {content_type: extension for extension, content_type in ALLOWED.items()}
MACRO_EXTENSIONS = {".docm", ".dotm", ".xlsm", ".xltm", ".xlsb", ".xlam", ".pptm", ".potm", ".ppsm"}
LEGACY_EXTENSIONS = {".doc", ".dot", ".xls", ".xlt"}

_OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_ODF_MIMETYPE = {ODT: ODT.encode("ascii"), ODS: ODS.encode("ascii")}
# What a damaged or crafted zip can raise (RuntimeError: encrypted; NotImplementedError: compression method).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


class UploadRefused(ValueError):
    """Codes: empty, size, type (extension not allowed), legacy (.doc/.xls), macro, mismatch (content is
    not what the extension says, or is damaged), archive (unpacks to too much or has too many parts)."""

    def __init__(self, code: str, extension: str = ""):
        super().__init__(code)
        self.code = code
        self.extension = extension


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, ``""`` if none (``"a.pdf "`` and ``"a.pdf."`` have none)."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    stem, dot, extension = base.rpartition(".")
    return f".{extension.lower()}" if dot and stem and extension and extension.strip() == extension else ""


def _check_package(
    archive: zipfile.ZipFile, size: int, extension: str, max_entries: int, max_unpacked: int
) -> list[str]:
    """Refuse bombs and macros; return the package's part names."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise UploadRefused("archive", extension)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked or (unpacked > RATIO_APPLIES_ABOVE and unpacked > MAX_UNPACK_RATIO * size):
        raise UploadRefused("archive", extension)
    names = [info.filename for info in infos]
    lowered = [name.lower() for name in names]
    # VBA in Office (vbaProject.bin); Basic and scripts in OpenDocument.
    if any(posixpath.basename(name) == "vbaproject.bin" for name in lowered) or any(
        name.startswith(("basic/", "scripts/")) for name in lowered
    ):
        raise UploadRefused("macro", extension)
    return names


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small part, read no further than ``limit`` bytes whatever the package claims."""
    with archive.open(name) as part:
        return part.read(limit + 1)


def _matches(content_type: str, archive: zipfile.ZipFile, names: list[str], extension: str) -> bool:
    if content_type in _OOXML_MAIN_PART:
        if "[Content_Types].xml" not in names or _OOXML_MAIN_PART[content_type] not in names:
            return False
        declared = _read_part(archive, "[Content_Types].xml", 1024 * 1024).lower()
        if b"macroenabled" in declared or b"vbaproject" in declared:
            raise UploadRefused("macro", extension)
        return True
    expected = _ODF_MIMETYPE[content_type]
    return "mimetype" in names and _read_part(archive, "mimetype", len(expected)).strip() == expected


def check_upload(
    file, *, max_entries: int = MAX_ARCHIVE_ENTRIES, max_unpacked: int = MAX_UNPACKED_BYTES
) -> str:
    """The upload's content type if its name and content agree and it is on the allow-list; else UploadRefused.

    A caller that parses the package itself (the report workbook) may ask for tighter archive limits.
    """
    if file.size == 0:
        raise UploadRefused("empty")
    if file.size > MAX_ATTACHMENT_BYTES:
        raise UploadRefused("size")
    extension = extension_of(getattr(file, "name", ""))
    if extension in MACRO_EXTENSIONS:
        raise UploadRefused("macro", extension)
    if extension in LEGACY_EXTENSIONS:
        raise UploadRefused("legacy", extension)
    if extension not in ALLOWED:
        raise UploadRefused("type", extension)
    content_type = ALLOWED[extension]
    file.seek(0)
    content = file.read()
    file.seek(0)
    if content_type == PDF:
        if not content.startswith(b"%PDF-"):
            raise UploadRefused("mismatch", extension)
        return PDF
    if not content.startswith(b"PK\x03\x04"):
        raise UploadRefused("mismatch", extension)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = _check_package(archive, len(content), extension, max_entries, max_unpacked)
            if not _matches(content_type, archive, names, extension):
                raise UploadRefused("mismatch", extension)
    except UploadRefused:
        raise
    except _ZIP_ERRORS as error:
        raise UploadRefused("mismatch", extension) from error
    return content_type


# --- Storing and serving an attachment (applications.Attachment, reporting.ReportAttachment) ---------


def store_upload(instance, upload) -> None:
    """Check the upload and put it in ``instance``'s file under a random name with the checked extension.

    ``instance`` is an attachment row (stored_name, original_name, content_type, size, file), not yet
    saved: the caller saves it in its transaction. Raises UploadRefused before anything is stored.
    """
    content_type = check_upload(upload)
    instance.stored_name = secrets.token_hex(16) + EXTENSIONS[content_type]
    instance.original_name = upload.name[:255]
    instance.content_type = content_type
    instance.size = upload.size
    instance.file.save(instance.stored_name, upload, save=False)


def delete_upload(instance) -> None:
    """Delete the attachment row now and its file once the transaction commits: a rollback keeps both."""
    storage, name = instance.file.storage, instance.file.name
    instance.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def attachment_response(attachment) -> FileResponse:
    """The stored file as a download under its original name; the browser may not guess another type."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
