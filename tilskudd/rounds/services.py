"""State changes of a round: create, configure, publish (R1). Office staff of the round's office only.

Each records what it changed in the round's log.
"""

from django.db import transaction
from django.utils import timezone

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.domain.money import format_kroner
from tilskudd.rounds import events
from tilskudd.rounds.models import Earmark, Round

ROUND_FIELDS = (
    "year",
    "application_deadline",
    "report_deadline",
    "change_window_opens",
    "change_window_closes",
    "fresh_funds",
    "carried_over_funds",
    "call_text",
    "allowed_line_kinds",
    "line_limits",
    "score_scale_max",
    "criterion_weights",
)


def _round_diff(before: dict, round: Round) -> list[dict]:
    return diff(before, values_of(round, ROUND_FIELDS), labels_of(Round, ROUND_FIELDS))


@transaction.atomic
def create_round(*, by: User, data: dict) -> Round:
    require_office_staff(by, by.office_id)
    round = Round(office_id=by.office_id)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    round.full_clean()
    round.save()
    record(round, by=by, kind=events.ROUND_CREATED, detail=round.title, changes=_round_diff({}, round))
    return round


@transaction.atomic
def update_round(*, round: Round, by: User, data: dict) -> Round:
    require_office_staff(by, round.office_id)
    round = Round.objects.select_for_update().get(pk=round.pk)
    before = values_of(round, ROUND_FIELDS)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    round.full_clean()
    round.save()
    changed = _round_diff(before, round)
    if changed:
        record(round, by=by, kind=events.ROUND_EDITED, changes=changed)
    return round


@transaction.atomic
def publish_round(*, round: Round, by: User) -> Round:
    require_office_staff(by, round.office_id)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.published_at is None:
        round.published_at = timezone.now()
        round.save(update_fields=["published_at"])
        record(round, by=by, kind=events.ROUND_PUBLISHED)
    return round


@transaction.atomic
def add_earmark(*, round: Round, by: User, name: str, amount: int, line_kinds: list, themes: list) -> Earmark:
    require_office_staff(by, round.office_id)
    earmark = Earmark.objects.create(
        round=round, name=name, amount=amount, line_kinds=line_kinds, themes=themes
    )
    record(round, by=by, kind=events.EARMARK_ADDED, detail=f"{name}: {format_kroner(amount)}")
    return earmark


@transaction.atomic
def remove_earmark(*, earmark: Earmark, by: User) -> None:
    require_office_staff(by, earmark.round.office_id)
    record(
        earmark.round,
        by=by,
        kind=events.EARMARK_REMOVED,
        detail=f"{earmark.name}: {format_kroner(earmark.amount)}",
    )
    earmark.delete()
