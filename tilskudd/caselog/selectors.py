"""Reads of the case log shared by pages, exports and the API."""

from django.contrib.contenttypes.models import ContentType

from tilskudd.caselog.models import Entry


def entries_for(subject, *, applicant_view: bool = False):
    """The subject's own log, oldest first; the applicant's view holds only the entries meant for them."""
    entries = Entry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")
    if applicant_view:
        entries = entries.filter(visible_to_applicant=True)
    return entries


def entries_for_round(round_id: int):
    """Everything recorded in a round: its configuration, scenarios, and every case in it."""
    return Entry.objects.filter(round_id=round_id).select_related("actor")
