"""Reads of the case log shared by pages, exports and the API."""

from django.contrib.contenttypes.models import ContentType

from tilskudd.caselog import kinds
from tilskudd.caselog.models import Entry
from tilskudd.domain.text import person_name


def entries_for(subject, *, applicant_view: bool = False):
    """The subject's own log, oldest first; the applicant's view holds only the entries meant for them."""
    entries = Entry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")
    if applicant_view:
        entries = entries.filter(visible_to_applicant=True)
    return entries


def log_rows(subject, *, applicant_view: bool = False) -> list[dict]:
    """``entries_for`` as the pages show it (``caselog/_log.html``): read as values, each label and who
    acted made once here rather than an Entry and a User built per row."""
    rows = entries_for(subject, applicant_view=applicant_view).values_list(
        "at",
        "kind",
        "detail",
        "reason",
        "changes",
        "actor__first_name",
        "actor__last_name",
        "actor__username",
    )
    return [
        {
            "at": at,
            "label": kinds.label(kind),
            "detail": detail,
            "reason": reason,
            "changes": changes,
            "actor": person_name(first, last, username) if username is not None else None,
        }
        for at, kind, detail, reason, changes, first, last, username in rows
    ]


def entries_for_round(round_id: int):
    """Everything recorded in a round: its configuration, scenarios, and every case in it."""
    return Entry.objects.filter(round_id=round_id).select_related("actor")
