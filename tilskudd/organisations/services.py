"""State changes on organisations: one function each (STYLE §3)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.organisations import events
from tilskudd.organisations.access import can_edit_organisation
from tilskudd.organisations.models import Organisation

DETAIL_FIELDS = ("organisasjonsnummer", "written_language", "postal_address", "postal_code", "postal_town")


@transaction.atomic
def update_organisation_details(
    *,
    organisation: Organisation,
    by,
    organisasjonsnummer: str,
    written_language: str,
    postal_address: str | None = None,
    postal_code: str | None = None,
    postal_town: str | None = None,
) -> Organisation:
    """The signer keeps the organisation's number, written language and postal address (None: unchanged)."""
    if not can_edit_organisation(by, organisation):
        raise PermissionDenied
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = values_of(organisation, DETAIL_FIELDS)
    organisation.organisasjonsnummer = organisasjonsnummer
    organisation.written_language = written_language
    for name, value in (
        ("postal_address", postal_address),
        ("postal_code", postal_code),
        ("postal_town", postal_town),
    ):
        if value is not None:
            setattr(organisation, name, value.strip())
    organisation.full_clean()
    organisation.save(update_fields=list(DETAIL_FIELDS))
    changed = diff(before, values_of(organisation, DETAIL_FIELDS), labels_of(Organisation, DETAIL_FIELDS))
    if changed:
        record(organisation, by=by, kind=events.DETAILS_CHANGED, changes=changed)
    return organisation
