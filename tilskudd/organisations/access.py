"""Permission-checked fetches of organisations and offices."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.accounts.models import ORGANISATION_ROLES, Role, User
from tilskudd.organisations.models import Office, Organisation


def organisations_visible_to(user: User):
    organisations = Organisation.objects.select_related("fylke__office")
    if user.is_authenticated and user.role in ORGANISATION_ROLES and not user.is_applicant_side:
        # The organisation's administrator and its auditor see their own organisation's page.
        return organisations.filter(pk=user.organisation_id)
    return scoped(user, organisations, office="fylke__office_id", organisation="pk", national=True)


def get_organisation_for(user: User, pk: int) -> Organisation:
    return get_object_or_404(organisations_visible_to(user), pk=pk)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Organisation details are kept by its administrator or its signer (or the system administrator)."""
    return (
        user.role == Role.ADMIN
        or user.signs_for(organisation.pk)
        or user.administers_organisation(organisation.pk)
    )


def get_organisation_to_edit(user: User, pk: int) -> Organisation:
    organisation = get_organisation_for(user, pk)
    if not can_edit_organisation(user, organisation):
        raise Http404
    return organisation


def offices_visible_to(user: User):
    return scoped(user, Office.objects.all(), office="pk", national=True)


def get_office_for(user: User, pk: int) -> Office:
    return get_object_or_404(offices_visible_to(user), pk=pk)
