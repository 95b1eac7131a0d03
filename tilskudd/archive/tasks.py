"""The background task that makes a round's Noark 5 extraction, and the zip it is downloaded as."""

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
from tilskudd.archive.noark import applications_of, write_extraction

logger = logging.getLogger(__name__)
CHUNK = 20  # cases read at a time: their frozen applications are what the extraction holds in memory


def zip_folder(folder: Path, handle) -> None:
    """The extraction folder as one zip (the folder's layout kept), written file by file."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())


@task()
def make_extraction(extraction_id: int) -> int:
    """Write the extraction to a temporary folder, zip it, store the zip; progress on the row after each case."""
    extraction = Extraction.objects.select_related("round__office").get(pk=extraction_id)
    round = extraction.round
    Extraction.objects.filter(pk=extraction_id).update(started_at=timezone.now(), heartbeat_at=timezone.now())

    def progress(done: int) -> None:
        Extraction.objects.filter(pk=extraction_id).update(done=done, heartbeat_at=timezone.now())

    folder = Path(tempfile.mkdtemp(prefix="noark-"))
    try:
        write_extraction(
            folder / "uttrekk", round, applications_of(round).iterator(chunk_size=CHUNK), progress=progress
        )
        with tempfile.TemporaryFile() as handle:
            zip_folder(folder / "uttrekk", handle)
            size = handle.tell()
            handle.seek(0)
            digest = hashlib.sha256()
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
            handle.seek(0)
            extraction.file.save(
                f"noark5-{round.office.short_name}-{round.year}.zip", File(handle), save=False
            )
        Extraction.objects.filter(pk=extraction_id).update(
            file=extraction.file.name,
            sha256=digest.hexdigest(),
            size=size,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Noark 5 extraction %s failed", extraction_id)
        Extraction.objects.filter(pk=extraction_id).update(error=str(error), finished_at=timezone.now())
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return extraction_id
