"""The Noark 5 extraction of a national-scale round: time and peak memory (issue 17).

On the national data (bench/_national.py: ten offices, ten years), takes the biggest
office's latest decided round (the one with the most submitted applications), stores the
receipts the background worker would have stored at submission (the national data has none;
timed apart, it is not the extraction's work), then writes the round's extraction the way
the background task does (tilskudd.archive.noark.write_extraction) into a temporary folder:

1. once without tracing: wall time, cases per second, and the process's peak resident memory;
2. once under tracemalloc: the peak of Python's own allocations during the extraction,
   which is what grows if anything is held in memory instead of streamed.

    .venv/bin/python bench/noark.py [--var-dir DIR] [--cases N]
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _national import setup  # noqa: E402


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var-dir", default="", help="reuse a TILSKUDD_VAR_DIR with the national data")
    parser.add_argument("--cases", type=int, default=0, help="only the first N cases (default: all)")
    args = parser.parse_args()
    setup(var_dir=args.var_dir, prefix="bench-noark-")

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db.models import Count, Q

    from tilskudd.applications.receipts import receipt_path, receipt_pdf
    from tilskudd.archive.noark import applications_of, write_extraction
    from tilskudd.archive.tasks import CHUNK
    from tilskudd.rounds.models import Round

    round = (
        Round.objects.filter(applications__decision__approved_at__isnull=False)
        .annotate(cases=Count("applications", filter=Q(applications__status="submitted"), distinct=True))
        .order_by("-year", "-cases")
        .select_related("office")
        .first()
    )
    applications = list(applications_of(round))
    if args.cases:
        applications = applications[: args.cases]
    print(f"round: {round.title} ({round.office.name}), {len(applications)} submitted cases")

    started = time.perf_counter()
    made = 0
    for application in applications:
        path = receipt_path(application)
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(receipt_pdf(application)))
            made += 1
    print(
        f"preparation: {made} receipts rendered and stored in {time.perf_counter() - started:.1f} s (not counted)"
    )

    work = Path(tempfile.mkdtemp(prefix="noark-extraction-"))
    try:
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        cases = applications_of(round)[: len(applications)]  # read as the task reads them:
        extraction = write_extraction(work / "plain", round, cases.iterator(chunk_size=CHUNK))
        seconds = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        counts = extraction.counts
        print(
            f"extraction: {counts['mappe']} saksmapper, {counts['registrering']} journalposter, "
            f"{counts['dokumentobjekt']} documents, {_size(work / 'plain') / 1e6:.1f} MB on disk"
        )
        print(f"time: {seconds:.1f} s ({counts['mappe'] / seconds:.1f} cases/s)")
        print(
            f"peak resident memory of the process: {rss_after / 1024:.0f} MB (before the extraction: {rss_before / 1024:.0f} MB)"
        )

        tracemalloc.start()
        write_extraction(work / "traced", round, cases.iterator(chunk_size=CHUNK))
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during the extraction (tracemalloc): {peak / 1e6:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
