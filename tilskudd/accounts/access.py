"""Permission-checked reads (STYLE §4).

Every view and API endpoint fetches through these helpers: they return what the user
may see or raise Http404, so authorisation never depends on a template hiding a link.
Another organisation's or office's object is indistinguishable from one that does not
exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tilskudd.accounts.models import Role, User
from tilskudd.organisations.models import Office, Organisation


def organisations_visible_to(user: User):
    qs = Organisation.objects.select_related("fylke__office")
    if not user.is_authenticated:
        return qs.none()
    if user.role in (Role.NATIONAL, Role.ADMIN):
        return qs
    if user.is_office_side:
        return qs.filter(fylke__office_id=user.office_id)
    if user.is_applicant_side:
        return qs.filter(pk=user.organisation_id)
    return qs.none()


def get_organisation_for(user: User, pk: int) -> Organisation:
    return get_object_or_404(organisations_visible_to(user), pk=pk)


def require_office_staff(user: User, office_id: int) -> None:
    """Every service that acts on an office's rounds checks this first."""
    if not user.works_at(office_id):
        raise PermissionDenied


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Organisation details are kept by the organisation's own signer (or an administrator)."""
    return user.role == Role.ADMIN or user.signs_for(organisation.pk)


def get_organisation_to_edit(user: User, pk: int) -> Organisation:
    organisation = get_organisation_for(user, pk)
    if not can_edit_organisation(user, organisation):
        raise Http404
    return organisation


def offices_visible_to(user: User):
    qs = Office.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.role in (Role.NATIONAL, Role.ADMIN):
        return qs
    if user.is_office_side:
        return qs.filter(pk=user.office_id)
    return qs.none()


def get_office_for(user: User, pk: int) -> Office:
    return get_object_or_404(offices_visible_to(user), pk=pk)
