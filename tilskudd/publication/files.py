"""The open data files, written once per version of the public record and served from disk.

A file (the whole country's JSON or CSV, or one round's) is made of the public record and of
the address it is read from (``dataSource``), and of nothing else. So it is written once for
each version of the record (``summary.version``, a new token with every approval) and address:
by the first request that asks for it (which gets the bytes as they are written, so nobody waits
for the whole file), or beforehand by the background worker after an approval
(``tasks.refresh_open_data``), which writes a gzip copy too. Every other request is served the
file: no query of the records, the same bytes, with an ETag so a client that has it gets 304.

Layout, under ``MEDIA_ROOT/open-data/``: one folder per address (``source`` names it), in it
``<export>.<version>.<json|csv>`` and, from the worker, ``….gz``. A new version's file
replaces the older ones of the same export.
"""

import gzip
import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from tilskudd.publication import threesixty
from tilskudd.publication.selectors import csv_rows, records
from tilskudd.publication.summary import version

FOLDER = "open-data"
BLOCK = 64 * 1024
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv"}


def chunks_of(lines, source: str, ext: str) -> Iterable[str]:
    """The 360Giving JSON or CSV of ``lines``' awards, read from ``source``, as text a few hundred rows at a time."""
    if ext == "json":
        return threesixty.json_chunks(records(lines, data_source=source))
    return threesixty.csv_chunks(csv_rows(lines, row_end=threesixty.csv_row_end(source)))


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / FOLDER


def folder_of(source: str) -> Path:
    """The folder of one address's files; it names its address in ``source``."""
    folder = root() / hashlib.sha256(source.encode()).hexdigest()[:16]
    if not (folder / "source").exists():
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(folder / "source", [source.encode()])
    return folder


def _write_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _forget_older(folder: Path, export: str, keep: str) -> None:
    """Remove the export's files of earlier versions (a reader that has one open still reads it whole)."""
    for path in folder.glob(f"{export}.*"):
        if path.name.split(".")[1] != keep:
            path.unlink(missing_ok=True)


def _teed(chunks: Iterable[str], path: Path, export: str, token: str):
    """The chunks as bytes, written to ``path`` as they pass; the file appears only once it is whole."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "wb") as out:
            for chunk in chunks:
                data = chunk.encode()
                out.write(data)
                yield data
        os.replace(temporary, path)
        _forget_older(path.parent, export, token)
    finally:  # a client that went away leaves no half file
        temporary.unlink(missing_ok=True)


def write(source: str, export: str, ext: str, chunks: Callable[[], Iterable[str]], *, token: str) -> Path:
    """Write an export for ``token`` (the version read before its records), with its gzip copy."""
    folder = folder_of(source)
    path = folder / f"{export}.{token}.{ext}"
    if not path.exists():
        _write_atomically(path, (chunk.encode() for chunk in chunks()))
    zipped = path.with_name(path.name + ".gz")
    if not zipped.exists():
        with open(path, "rb") as plain:
            # mtime=0: the same record gives the same bytes, whoever writes them
            _write_atomically(zipped, [gzip.compress(plain.read(), compresslevel=6, mtime=0)])
    _forget_older(folder, export, token)
    return path


def _accepts_gzip(request) -> bool:
    return any(
        part.split(";")[0].strip() == "gzip" and not part.replace(" ", "").endswith(";q=0")
        for part in request.headers.get("Accept-Encoding", "").split(",")
    )


def serve(request, *, source: str, export: str, ext: str, chunks: Callable[[], Iterable[str]], filename=None):
    """The export for the record's current version: from its file, or written to it while it is sent.

    ``chunks`` is called only when there is no file yet. ``filename``: sent as an attachment.
    """
    token = version()  # read before the records, so a file is never older than its name says
    folder = folder_of(source)
    path = folder / f"{export}.{token}.{ext}"
    tag = hashlib.sha256(f"{source}\n{export}\n{token}".encode()).hexdigest()[:32]
    zipped = path.with_name(path.name + ".gz")
    use_gzip = _accepts_gzip(request) and zipped.exists()
    etag = f'"{tag}-gz"' if use_gzip else f'"{tag}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_vary_headers(not_modified, ["Accept-Encoding"])
        return not_modified
    try:
        handle = open(zipped if use_gzip else path, "rb")  # noqa: SIM115 (the response closes it)
    except FileNotFoundError:
        response = StreamingHttpResponse(
            _teed(chunks(), path, export, token), content_type=CONTENT_TYPES[ext]
        )
    else:
        response = FileResponse(handle, content_type=CONTENT_TYPES[ext])
        response.block_size = BLOCK
        response["Last-Modified"] = http_date(os.fstat(handle.fileno()).st_mtime)
        if use_gzip:
            response["Content-Encoding"] = "gzip"
        response.headers.pop(
            "Content-Disposition", None
        )  # FileResponse names the file on disk: named below if at all
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def sources() -> list[str]:
    """The addresses the open data has been read from (the folders there are)."""
    if not root().is_dir():
        return []
    return [
        (folder / "source").read_text()
        for folder in sorted(root().iterdir())
        if folder.is_dir() and (folder / "source").exists()
    ]


def exports_of(source: str) -> set[tuple[str, str]]:
    """The exports (name, kind) written for ``source`` in any version: those the worker keeps up to date."""
    return {
        (path.name.split(".")[0], path.name.split(".")[2])
        for path in folder_of(source).glob("*.*.*")
        if not path.name.startswith(".") and path.name.split(".")[2] in CONTENT_TYPES
    }
