"""State changes on organisations: one function each (STYLE §3)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

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


REGISTER_FIELDS = ("organisasjonsnummer", "postal_address", "postal_code", "postal_town")


def _fits(name: str, value: str) -> bool:
    return len(value) <= Organisation._meta.get_field(name).max_length


@transaction.atomic
def apply_register_details(
    *,
    organisation: Organisation,
    organisasjonsnummer: str,
    postal_address: str = "",
    postal_code: str = "",
    postal_town: str = "",
    source: str,
) -> bool:
    """Fill the number and postal address from the Central Coordinating Register (a system job, no person).

    Idempotent: nothing is written or logged when the organisation already has these
    details. An empty or over-long address in the register leaves the address as it is.
    Returns whether anything changed. Raises ValidationError (nothing written) when the
    number fails the MOD11 check or another organisation has it (the model's constraint).
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = values_of(organisation, REGISTER_FIELDS)
    organisation.organisasjonsnummer = organisasjonsnummer
    address = {
        "postal_address": postal_address.strip(),
        "postal_code": postal_code.strip(),
        "postal_town": postal_town.strip(),
    }
    if all(address.values()) and all(_fits(name, value) for name, value in address.items()):
        for name, value in address.items():
            setattr(organisation, name, value)
    organisation.full_clean()
    changed = diff(before, values_of(organisation, REGISTER_FIELDS), labels_of(Organisation, REGISTER_FIELDS))
    if not changed:
        return False
    organisation.save(update_fields=list(REGISTER_FIELDS))
    record(
        organisation,
        by=None,
        kind=events.DETAILS_CHANGED,
        detail=str(_("From the Central Coordinating Register for Legal Entities")),
        reason=source,
        changes=changed,
    )
    return True
