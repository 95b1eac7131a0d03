"""After a change of the public record, in the background worker: the open data files of its new version.

So the first person to download after an approval is served a file, as everyone after them
is, rather than waiting while it is made. The worker writes what has been downloaded before
(every export of every address with files) and the changed rounds' files, with their gzip
copies. A task that finds the files written already (another approval's task did it) does nothing.
It then computes the statistics of the new record into the shared cache (``statistics.warm``).
"""

import logging
import threading
from functools import partial

from django.db import transaction
from django_tasks import task

from tilskudd.publication import files, statistics
from tilskudd.publication.selectors import awards, rounds_with_awards
from tilskudd.publication.summary import version

logger = logging.getLogger(__name__)
_changed = threading.local()


def lines_of(export: str):
    """The awards an export is made of (``all``, or ``round-<id>`` of a round with published awards), or None."""
    if export == "all":
        return awards()
    kind, _, number = export.partition("-")
    if kind != "round" or not number.isdigit() or not rounds_with_awards().filter(pk=int(number)).exists():
        return None
    return awards().filter(round_id=int(number))


@task()
def refresh_open_data(round_ids: list[int]) -> None:
    token = version()  # read before the records, as a request does
    for source in files.sources():
        wanted = files.exports_of(source) | {
            (f"round-{pk}", ext) for pk in round_ids for ext in files.CONTENT_TYPES
        }
        for export, ext in sorted(wanted):
            lines = lines_of(export)
            if lines is not None:
                files.write(source, export, ext, partial(files.chunks_of, lines, source, ext), token=token)
    statistics.warm()


def schedule_refresh(round_id: int) -> None:
    """After the commit, once per transaction however many decisions it approved: queue ``refresh_open_data``."""
    pending = getattr(_changed, "rounds", None)
    if pending is None:
        pending = _changed.rounds = set()
    pending.add(round_id)
    transaction.on_commit(_enqueue)


def _enqueue() -> None:
    """A refresh that cannot be queued never undoes an approval: the first download writes the file instead."""
    round_ids = sorted(getattr(_changed, "rounds", set()))
    _changed.rounds = set()
    if not round_ids:
        return  # an earlier callback of the same transaction queued them
    try:
        refresh_open_data.enqueue(round_ids)
    except Exception:
        logger.exception("Could not queue the open data refresh for rounds %s", round_ids)
