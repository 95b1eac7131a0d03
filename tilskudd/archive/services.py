"""Starting a Noark 5 extraction (a round's, or an office's rounds over a range of years): a write,
recorded in the case log. A run whose worker stopped is given up here, with the reason, before a new
one takes over."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.archive import events
from tilskudd.archive.models import Extraction
from tilskudd.archive.noark import applications_of
from tilskudd.archive.tasks import make_extraction
from tilskudd.assessment.services import check_office_staff
from tilskudd.caselog.log import record
from tilskudd.organisations.models import Office
from tilskudd.rounds.models import Round

logger = logging.getLogger(__name__)


def _take_over(unfinished) -> tuple[Extraction | None, list[Extraction]]:
    """The run still alive, if any; else the stopped ones, now given up (abandoned, with the reason)."""
    unfinished = list(unfinished.filter(finished_at__isnull=True, abandoned_at__isnull=True))
    alive = [extraction for extraction in unfinished if not extraction.is_stale]
    if alive:
        return alive[0], []
    now = timezone.now()
    for stopped in unfinished:
        logger.warning("Noark 5 extraction %s stopped; giving it up", stopped.pk)
        Extraction.objects.filter(pk=stopped.pk).update(
            abandoned_at=now,
            finished_at=now,
            error=_("The background worker stopped after %(done)s of %(total)s cases. This run was given up.")
            % {"done": stopped.done, "total": stopped.total},
        )
    return None, unfinished


def start_extraction(*, round: Round, by: User) -> Extraction:
    """Make the round's extraction in the background; a run still alive is returned as it is, and one whose
    worker stopped is given up for a new one."""
    check_office_staff(by, round)
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()  # one start at a time per round
        alive, stopped = _take_over(round.extractions.all())
        if alive:
            return alive
        extraction = Extraction.objects.create(
            office_id=round.office_id, round=round, requested_by=by, total=applications_of(round).count()
        )
        extraction.task_id = str(make_extraction.enqueue(extraction.pk).id)
        extraction.save(update_fields=["task_id"])
        record(
            round,
            by=by,
            kind=events.EXTRACTION_STARTED,
            detail=str(extraction.total),
            reason=_("The earlier run stopped.") if stopped else "",
        )
    return extraction


def year_range(office: Office) -> tuple[int, int] | None:
    """The first and last year the office has a round for; None if it has none."""
    found = Round.objects.filter(office=office).aggregate(first=Min("year"), last=Max("year"))
    return None if found["first"] is None else (found["first"], found["last"])


def start_range_extraction(*, office: Office, by: User, year_from: int, year_to: int) -> Extraction:
    """Make the extraction of the office's rounds from ``year_from`` to ``year_to`` (both included) in the
    background: one arkivdel per round. The years must lie within the office's rounds, in order."""
    require_office_staff(by, office.pk)
    bounds = year_range(office)
    if bounds is None:
        raise ValidationError({"year_from": _("The office has no rounds to extract.")})
    first, last = bounds
    errors = {}
    for field, year in (("year_from", year_from), ("year_to", year_to)):
        if not first <= year <= last:
            errors[field] = _(
                "Choose a year from %(first)s to %(last)s: the years the office has rounds."
            ) % {
                "first": first,
                "last": last,
            }
    if not errors and year_from > year_to:
        errors["year_to"] = _("The last year cannot be before the first.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Office.objects.select_for_update().filter(pk=office.pk).first()  # one start at a time per office
        alive, stopped = _take_over(Extraction.objects.filter(office=office, round__isnull=True))
        if alive:
            return alive
        rounds = Round.objects.filter(office=office, year__gte=year_from, year__lte=year_to)
        total = sum(applications_of(round).count() for round in rounds)
        extraction = Extraction.objects.create(
            office=office, year_from=year_from, year_to=year_to, requested_by=by, total=total
        )
        extraction.task_id = str(make_extraction.enqueue(extraction.pk).id)
        extraction.save(update_fields=["task_id"])
        record(
            office,
            by=by,
            kind=events.RANGE_EXTRACTION_STARTED,
            detail=f"{year_from}–{year_to}: {total}",
            reason=_("The earlier run stopped.") if stopped else "",
        )
    return extraction
