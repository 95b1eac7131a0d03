"""State changes on organisations: one function each (STYLE §3)."""

from django.db import transaction

from tilskudd.organisations.models import Organisation


@transaction.atomic
def update_organisation_details(
    *, organisation: Organisation, organisasjonsnummer: str, written_language: str
) -> Organisation:
    organisation.organisasjonsnummer = organisasjonsnummer
    organisation.written_language = written_language
    organisation.full_clean()
    organisation.save(update_fields=["organisasjonsnummer", "written_language"])
    return organisation
