"""The background task that makes a Noark 5 extraction (a round's, or an office's rounds over a range of
years), and the zip it is downloaded as."""

import hashlib
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from tilskudd.archive.models import Extraction
from tilskudd.archive.noark import applications_of, write_office_extraction
from tilskudd.rounds.models import Round

logger = logging.getLogger(__name__)
CHUNK = 20  # cases read at a time: their frozen applications are what the extraction holds in memory


def zip_folder(folder: Path, handle) -> None:
    """The extraction folder as one zip (the folder's layout kept), written file by file."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())


def rounds_of(extraction: Extraction):
    """The rounds the extraction holds, oldest first: its round, or the office's rounds of its years."""
    if extraction.round_id:
        return Round.objects.filter(pk=extraction.round_id).select_related("office")
    return (
        Round.objects.filter(
            office_id=extraction.office_id, year__gte=extraction.year_from, year__lte=extraction.year_to
        )
        .select_related("office")
        .order_by("year", "pk")
    )


def title_of(extraction: Extraction) -> str:
    if extraction.round_id:
        return extraction.round.title
    return f"{extraction.office.name} {extraction.year_from}–{extraction.year_to}"


def filename_of(extraction: Extraction) -> str:
    office = extraction.office.short_name
    if extraction.round_id:
        return f"noark5-{office}-{extraction.round.year}.zip"
    return f"noark5-{office}-{extraction.year_from}-{extraction.year_to}.zip"


class Abandoned(Exception):
    """The run was given up as stopped (and perhaps replaced) while this worker still ran it."""


def beat(extraction_id: int, **changes) -> None:
    """Record progress and a heartbeat; stop if the run has been given up meanwhile."""
    if not Extraction.objects.filter(pk=extraction_id, abandoned_at__isnull=True).update(
        heartbeat_at=timezone.now(), **changes
    ):
        raise Abandoned


@task()
def make_extraction(extraction_id: int) -> int:
    """Write the extraction to a temporary folder, zip it, store the zip; progress on the row after each case.

    A run given up as stopped (``abandoned_at``) is not written, and a worker that finds its run
    given up part-way stops and stores nothing.
    """
    extraction = Extraction.objects.select_related("round", "office").get(pk=extraction_id)
    if extraction.abandoned_at:
        return extraction_id
    folder = Path(tempfile.mkdtemp(prefix="noark-"))
    try:
        beat(extraction_id, started_at=timezone.now())
        parts = (
            (round, applications_of(round).iterator(chunk_size=CHUNK)) for round in rounds_of(extraction)
        )
        write_office_extraction(
            folder / "uttrekk",
            extraction.office,
            parts,
            title=title_of(extraction),
            progress=lambda done: beat(extraction_id, done=done),
        )
        with tempfile.TemporaryFile() as handle:
            zip_folder(folder / "uttrekk", handle)
            size = handle.tell()
            handle.seek(0)
            digest = hashlib.sha256()
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
            handle.seek(0)
            beat(extraction_id)  # still ours before the file is stored
            extraction.file.save(filename_of(extraction), File(handle), save=False)
        beat(
            extraction_id,
            file=extraction.file.name,
            sha256=digest.hexdigest(),
            size=size,
            finished_at=timezone.now(),
        )
    except Abandoned:
        logger.warning("Noark 5 extraction %s was given up as stopped; this worker stops", extraction_id)
        if extraction.file.name:
            extraction.file.storage.delete(extraction.file.name)
    except Exception as error:
        logger.exception("Noark 5 extraction %s failed", extraction_id)
        Extraction.objects.filter(pk=extraction_id).update(error=str(error), finished_at=timezone.now())
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return extraction_id
