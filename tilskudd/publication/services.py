"""The directorate's one write here: the national scheme text."""

from django.db import transaction
from django.utils import timezone

from tilskudd.accounts.access import require_role
from tilskudd.accounts.models import Role
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.publication import events
from tilskudd.publication.models import SchemeText

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
    text = SchemeText.objects.filter(pk=1).first()
    return None if text is None or text.is_empty else text
