"""Permission-checked fetches of organisations and offices."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.accounts.memberships import manageable_roles
from tilskudd.accounts.models import ORGANISATION_ROLES, Role, User
from tilskudd.organisations.models import Office, Organisation


def organisations_visible_to(user: User):
    organisations = Organisation.objects.select_related("fylke__office")
    if user.is_authenticated and user.role in ORGANISATION_ROLES and not user.is_applicant_side:
        # The organisation's administrator and its auditor see their own organisation's page.
        return organisations.filter(pk=user.organisation_id)
    if user.is_authenticated and user.role == Role.OFFICE_ADMIN:
        # An office's administrator appoints the administrators of the organisations it covers.
        return organisations.filter(fylke__office_id=user.office_id)
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
    if user.is_authenticated and user.role == Role.OFFICE_ADMIN:
        return Office.objects.filter(pk=user.office_id)
    return scoped(user, Office.objects.all(), office="pk", national=True)


def get_office_for(user: User, pk: int) -> Office:
    return get_object_or_404(offices_visible_to(user), pk=pk)


def get_organisation_to_manage(user: User, pk: int) -> tuple[Organisation, list[str]]:
    """An organisation whose people ``user`` manages, with the roles they may give there (else 404)."""
    organisation = get_object_or_404(Organisation.objects.select_related("fylke__office"), pk=pk)
    roles = manageable_roles(user, organisation=organisation)
    if not roles:
        raise Http404
    return organisation, roles


def get_office_to_manage(user: User, pk: int) -> tuple[Office, list[str]]:
    """An office whose staff ``user`` manages, with the roles they may give there (else 404)."""
    office = get_object_or_404(Office, pk=pk)
    roles = manageable_roles(user, office=office)
    if not roles:
        raise Http404
    return office, roles


def manages_people_of(user: User, organisation: Organisation) -> bool:
    return bool(manageable_roles(user, organisation=organisation))
