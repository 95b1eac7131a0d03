"""Starting a round's Noark 5 extraction: a write, recorded in the round's case log."""

from django.db import transaction

from tilskudd.accounts.models import User
from tilskudd.archive import events
from tilskudd.archive.models import Extraction
from tilskudd.archive.noark import applications_of
from tilskudd.archive.tasks import make_extraction
from tilskudd.assessment.services import check_office_staff
from tilskudd.caselog.log import record
from tilskudd.rounds.models import Round


def start_extraction(*, round: Round, by: User) -> Extraction:
    """Make the round's extraction in the background; an extraction still running is returned as it is."""
    check_office_staff(by, round)
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()  # one start at a time per round
        running = [
            extraction
            for extraction in round.extractions.filter(finished_at__isnull=True)
            if not extraction.is_stale
        ]
        if running:
            return running[0]
        extraction = Extraction.objects.create(
            round=round, requested_by=by, total=applications_of(round).count()
        )
        extraction.task_id = str(make_extraction.enqueue(extraction.pk).id)
        extraction.save(update_fields=["task_id"])
        record(round, by=by, kind=events.EXTRACTION_STARTED, detail=str(extraction.total))
    return extraction
