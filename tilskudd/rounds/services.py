"""State changes of a round: create, configure, publish (R1). Office staff of the round's office only."""

from django.db import transaction
from django.utils import timezone

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
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


@transaction.atomic
def create_round(*, by: User, data: dict) -> Round:
    require_office_staff(by, by.office_id)
    round = Round(office_id=by.office_id)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def update_round(*, round: Round, by: User, data: dict) -> Round:
    require_office_staff(by, round.office_id)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    round.full_clean()
    round.save()
    return round


@transaction.atomic
def publish_round(*, round: Round, by: User) -> Round:
    require_office_staff(by, round.office_id)
    if round.published_at is None:
        round.published_at = timezone.now()
        round.save(update_fields=["published_at"])
    return round


@transaction.atomic
def add_earmark(*, round: Round, by: User, name: str, amount: int, line_kinds: list, themes: list) -> Earmark:
    require_office_staff(by, round.office_id)
    return Earmark.objects.create(round=round, name=name, amount=amount, line_kinds=line_kinds, themes=themes)


@transaction.atomic
def remove_earmark(*, earmark: Earmark, by: User) -> None:
    require_office_staff(by, earmark.round.office_id)
    earmark.delete()
