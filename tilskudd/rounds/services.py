"""State changes of a round: create, configure, publish (R1). Office staff of the round's office only.

Each records what it changed in the round's log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.domain.deadlines import EARLIEST_YEAR, LATEST_YEAR, year_in_range
from tilskudd.domain.money import MAX_AMOUNT, format_kroner
from tilskudd.rounds import events, versions
from tilskudd.rounds.models import Earmark, Round
from tilskudd.ui.forms import amount_limit_message, year_range_message

ROUND_FIELDS = (
    "year",
    "application_deadline",
    "report_deadline",
    "report_audit_threshold",
    "change_window_opens",
    "change_window_closes",
    "fresh_funds",
    "carried_over_funds",
    "call_text",
    "allowed_line_kinds",
    "line_limits",
    "score_scale_max",
    "criterion_weights",
    "budget_chapter",
    "budget_post",
    "acceptance_weeks",
    "copy_to",
)


def _round_diff(before: dict, round: Round) -> list[dict]:
    return diff(before, values_of(round, ROUND_FIELDS), labels_of(Round, ROUND_FIELDS))


ROUND_DATES = ("application_deadline", "report_deadline", "change_window_opens", "change_window_closes")


def check_round_bounds(round: Round) -> None:
    """Dates in the years EARLIEST_YEAR–LATEST_YEAR and funds within MAX_AMOUNT, whatever the form said.

    Raises ValidationError({field: message}) so a view can show each next to its field.
    """
    errors: dict[str, str] = {}
    if not EARLIEST_YEAR <= (round.year or 0) <= LATEST_YEAR:
        errors["year"] = _("The year must be between %(first)s and %(last)s.") % {
            "first": EARLIEST_YEAR,
            "last": LATEST_YEAR,
        }
    for name in ROUND_DATES:
        value = getattr(round, name)
        if value is not None and not year_in_range(value):
            errors[name] = year_range_message()
    limit = format_kroner(MAX_AMOUNT, get_language() or "nb")
    for name in ("fresh_funds", "carried_over_funds"):
        value = getattr(round, name)
        if value is not None and not 0 <= value <= MAX_AMOUNT:
            errors[name] = amount_limit_message()
    if not errors and round.fresh_funds + round.carried_over_funds > MAX_AMOUNT:
        errors["carried_over_funds"] = _("Fresh and carried-over funds together can be at most %(max)s.") % {
            "max": limit
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_round(*, by: User, data: dict) -> Round:
    require_office_staff(by, by.office_id)
    round = Round(office_id=by.office_id)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(round, name, data[name])
    check_round_bounds(round)
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
    try:
        check_round_bounds(round)
        round.full_clean()
    except ValidationError:
        round.refresh_from_db()  # the caller's round shows what is stored, not what was refused
        raise
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
    if not 0 <= amount <= MAX_AMOUNT:
        raise ValidationError({"amount": amount_limit_message()})
    earmark = Earmark.objects.create(
        round=round, name=name, amount=amount, line_kinds=line_kinds, themes=themes
    )
    versions.inputs_changed(Round.objects.filter(pk=round.pk))
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
    versions.inputs_changed(Round.objects.filter(pk=earmark.round_id))
