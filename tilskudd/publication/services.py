"""The writes here: the directorate's national scheme text, and whether an office publishes a round's refusals."""

from django.db import transaction
from django.utils import timezone

from tilskudd.accounts.access import require_office_staff, require_role
from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.publication import events
from tilskudd.publication.models import RoundPublication, SchemeText
from tilskudd.publication.summary import refresh_round
from tilskudd.publication.tasks import schedule_refresh
from tilskudd.rounds.models import Round

MAX_TEXT = 5_000


@transaction.atomic
def publish_scheme_text(*, by, data: dict) -> SchemeText:
    require_role(by, Role.NATIONAL)
    text, _created = SchemeText.objects.select_for_update().get_or_create(pk=1)
    before = values_of(text, SchemeText.FIELDS)
    for name in SchemeText.FIELDS:
        if name in data:
            setattr(text, name, (data[name] or "")[:MAX_TEXT])
    changed = diff(before, values_of(text, SchemeText.FIELDS), labels_of(SchemeText, SchemeText.FIELDS))
    if changed:
        text.updated_by, text.updated_at = by, timezone.now()
        text.save()
        record(text, by=by, kind=events.SCHEME_TEXT_PUBLISHED, changes=changed)
    return text


def scheme_text() -> SchemeText | None:
    text = next(iter(SchemeText.objects.filter(pk=1)), None)  # no ORDER BY: one row at most
    return None if text is None or text.is_empty else text


@transaction.atomic
def set_refusals_published(*, round: Round, by, publish: bool) -> RoundPublication:
    """The office chooses whether the round's refusals (lines granted nothing) appear on the public lists.

    Off unless turned on (SPEC "Publication and statistics": no refusals unless the office
    chooses to publish them). A refusal is listed with 0 kr and the status refused, and is
    never a grant in the open data. The round's public record is taken again at once.
    """
    require_role(by, *OFFICE_ROLES)
    round = Round.objects.select_for_update().get(pk=round.pk)
    require_office_staff(by, round.office_id)
    setting, _created = RoundPublication.objects.select_for_update().get_or_create(round=round)
    fields = ("publish_refusals",)
    before = values_of(setting, fields)
    setting.publish_refusals = bool(publish)
    changed = diff(before, values_of(setting, fields), labels_of(RoundPublication, fields))
    if changed:
        setting.save(update_fields=["publish_refusals"])
        kind = events.REFUSALS_PUBLISHED if publish else events.REFUSALS_WITHDRAWN
        record(round, by=by, kind=kind, changes=changed)
        refresh_round(round.pk)
        schedule_refresh(round.pk)
    return setting
