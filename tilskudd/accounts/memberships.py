"""Giving, changing and ending roles: one function each, recorded in the case log of the place.

Who may give which role (SPEC "Parties and roles"):

- an organisation's administrator: every organisation role at that organisation;
- an office's administrator: every office role at that office, and the organisation
  administrator of an organisation the office covers (the first one is appointed this way);
- the system administrator: any role.

Nobody gives or ends a role of their own (another administrator does), so one person cannot
raise their own access. A role is never deleted: ending it records when and by whom, so who
could do what on any day stays answerable.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts import events
from tilskudd.accounts.access import require_strong_login
from tilskudd.accounts.models import (
    OFFICE_STAFF_ROLES,
    ORGANISATION_ROLES,
    PLACELESS_ROLES,
    Membership,
    Role,
    User,
)
from tilskudd.accounts.roles import choose, in_force, key_of, places_of
from tilskudd.caselog.log import record

LATEST_START = timedelta(days=366)  # a role is given for a period that starts within a year
LONGEST_PERIOD = timedelta(days=366 * 10)


def may_manage(by: User, *, role: str, organisation=None, office=None) -> bool:
    """May ``by`` give or end ``role`` at this place?"""
    if not by.is_authenticated or not by.is_active:
        return False
    if by.role == Role.ADMIN:
        return True
    if role in ORGANISATION_ROLES and organisation is not None:
        if by.administers_organisation(organisation.pk):
            return True
        covering = organisation.fylke.office_id if organisation.fylke_id else None
        return role == Role.ORG_ADMIN and covering is not None and by.administers_office(covering)
    if role in OFFICE_STAFF_ROLES and office is not None:
        return by.administers_office(office.pk)
    return False


# The order the roles are offered in, weakest first.
OFFERED = (
    Role.APPLICANT,
    Role.SIGNER,
    Role.AUDITOR,
    Role.ORG_ADMIN,
    Role.CASE_OFFICER,
    Role.APPROVER,
    Role.OFFICE_ADMIN,
)


def require_strength(by: User, *, organisation=None) -> None:
    """An office administrator manages people only from a strong login (issue 16: two factors for
    office administrators), as an approver approves. The organisation's own administrator and the
    system administrator are not held to it."""
    if by.role == Role.ADMIN:
        return
    if organisation is not None and by.administers_organisation(organisation.pk):
        return
    require_strong_login(by)


def manageable_roles(by: User, *, organisation=None, office=None) -> list[Role]:
    """The roles ``by`` may give at this place (none: they manage nobody here)."""
    held_there = ORGANISATION_ROLES if organisation is not None else OFFICE_STAFF_ROLES
    return [
        role
        for role in OFFERED
        if role in held_there and may_manage(by, role=role, organisation=organisation, office=office)
    ]


def _check_period(valid_from: date | None, valid_until: date | None, today: date) -> None:
    errors = {}
    if valid_from is not None and not (today <= valid_from <= today + LATEST_START):
        errors["valid_from"] = _("A role starts today or within a year.")
    start = valid_from or today
    if valid_until is not None and not (start <= valid_until <= start + LONGEST_PERIOD):
        errors["valid_until"] = _("The last day is on or after the first, and within ten years.")
    if errors:
        raise ValidationError(errors)


def _overlapping(user: User, role: str, organisation, office, valid_from, valid_until, *, besides=None):
    start, end = valid_from or date.min, valid_until or date.max
    return (
        Membership.objects.filter(
            user=user, role=role, organisation=organisation, office=office, ended_at__isnull=True
        )
        .exclude(pk=besides.pk if besides is not None else None)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .exists()
    )


def _scope(organisation, office=None) -> dict:
    """The case log's scope: an organisation's roles are in its log; an office's have no organisation."""
    return {"organisation_id": organisation.pk if organisation else None}


@transaction.atomic
def grant(
    *,
    by: User,
    user: User,
    role: str,
    organisation=None,
    office=None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    reason: str = "",
    invited: bool = False,
) -> Membership:
    """Give ``user`` ``role`` at ``organisation`` or ``office`` for a period (empty: from today, until ended).

    ``invited``: the person accepts ``by``'s invitation, whose login was checked when it was sent.
    """
    role = Role(role)
    if role == Role.NONE or (role in PLACELESS_ROLES) != (organisation is None and office is None):
        raise ValidationError({"role": _("This role is not held at this place.")})
    if (role in ORGANISATION_ROLES) != (organisation is not None) or (role in OFFICE_STAFF_ROLES) != (
        office is not None
    ):
        raise ValidationError({"role": _("This role is not held at this place.")})
    if not may_manage(by, role=role, organisation=organisation, office=office) or (
        by.pk == user.pk and by.role != Role.ADMIN
    ):
        raise PermissionDenied
    if not invited:
        require_strength(by, organisation=organisation)
    today = timezone.localdate()
    _check_period(valid_from, valid_until, today)
    person = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not person.is_active:
        raise ValidationError({"user": _("The account is deactivated.")})
    if _overlapping(person, role, organisation, office, valid_from, valid_until):
        raise ValidationError({"role": _("%(name)s already has this role here.") % {"name": person}})
    membership = Membership.objects.create(
        user=person,
        role=role,
        organisation=organisation,
        office=office,
        valid_from=valid_from or today,
        valid_until=valid_until,
        granted_by=by,
    )
    record(
        membership,
        by=by,
        kind=events.ROLE_GRANTED,
        detail=_describe(membership),
        reason=reason,
        **_scope(organisation, office),
    )
    sync(person)
    return membership


def _locked_to_manage(by: User, membership: Membership) -> Membership:
    """The role, locked, after checking that ``by`` may change it and that it has not been ended."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation__fylke", "office", "user")
        .get(pk=membership.pk)
    )
    if not may_manage(
        by, role=membership.role, organisation=membership.organisation, office=membership.office
    ) or (by.pk == membership.user_id and by.role != Role.ADMIN):
        raise PermissionDenied
    require_strength(by, organisation=membership.organisation)
    if membership.ended_at is not None:
        raise ValidationError(_("The role has already been ended."))
    return membership


@transaction.atomic
def end(*, by: User, membership: Membership, reason: str = "") -> Membership:
    """End a role at once: from this moment it gives no access (the person's next request shows it)."""
    membership = _locked_to_manage(by, membership)
    membership.ended_at = timezone.now()
    membership.ended_by = by
    membership.save(update_fields=["ended_at", "ended_by"])
    record(
        membership,
        by=by,
        kind=events.ROLE_ENDED,
        detail=_describe(membership),
        reason=reason,
        **_scope(membership.organisation, membership.office),
    )
    sync(membership.user)
    return membership


@transaction.atomic
def set_last_day(
    *, by: User, membership: Membership, valid_until: date | None, reason: str = ""
) -> Membership:
    """Set the last day of a role (``None``: until ended). The day is today or later: to stop it now, end it."""
    membership = _locked_to_manage(by, membership)
    today = timezone.localdate()
    start = max(membership.valid_from or today, today)
    if valid_until is not None and not (start <= valid_until <= start + LONGEST_PERIOD):
        raise ValidationError(
            {
                "valid_until": _(
                    "The last day is today or later, on or after the first day, and within ten years."
                )
            }
        )
    if valid_until == membership.valid_until:
        return membership
    if _overlapping(
        membership.user,
        membership.role,
        membership.organisation,
        membership.office,
        membership.valid_from,
        valid_until,
        besides=membership,
    ):
        raise ValidationError(
            {"valid_until": _("%(name)s already has this role here then.") % {"name": membership.user}}
        )
    before = membership.valid_until
    membership.valid_until = valid_until
    membership.save(update_fields=["valid_until"])
    record(
        membership,
        by=by,
        kind=events.ROLE_LAST_DAY,
        detail=_describe(membership),
        reason=reason,
        changes=[
            {
                "field": "valid_until",
                "label": str(_("last day")),
                "before": before.strftime("%d.%m.%Y") if before else None,
                "after": valid_until.strftime("%d.%m.%Y") if valid_until else None,
            }
        ],
        **_scope(membership.organisation, membership.office),
    )
    sync(membership.user)
    return membership


@transaction.atomic
def change(*, by: User, membership: Membership, role: str, reason: str = "") -> Membership:
    """Give the person another role at the same place instead: the old one ends, the new one starts today."""
    old = end(by=by, membership=membership, reason=reason)
    return grant(
        by=by,
        user=old.user,
        role=role,
        organisation=old.organisation,
        office=old.office,
        valid_until=old.valid_until if old.valid_until and old.valid_until >= timezone.localdate() else None,
        reason=reason,
    )


def sync(user: User) -> None:
    """Keep the user's columns (where they act, their strongest role there) in step with the roles in force.

    Code that runs outside a request (letters, reminders, the tests) reads the columns; a
    request corrects them in memory anyway (``roles.apply``).
    """
    fresh = User.objects.get(pk=user.pk)
    places = places_of(in_force(fresh))
    place = choose(places, chosen=None, orgnr=None, current=key_of(fresh))
    if place is None:
        values = (Role.NONE, None, None)
    else:
        values = (place.role, place.organisation_id, place.office_id)
    if (fresh.role, fresh.organisation_id, fresh.office_id) != values:
        fresh.role, fresh.organisation_id, fresh.office_id = values
        fresh.save(update_fields=["role", "organisation", "office"])


def _describe(membership: Membership) -> str:
    place = membership.organisation or membership.office
    text = f"{membership.user}: {membership.get_role_display()}"
    if place is not None:
        text += f", {place}"
    if membership.valid_until:
        text += " " + _("until %(day)s") % {"day": membership.valid_until.strftime("%d.%m.%Y")}
    return text


def record_initial(user: User) -> None:
    """A user made with a role (the demo, the Django admin, the tests) holds it as a membership from the start."""
    if user.role == Role.NONE or user.memberships.exists():
        return
    Membership.objects.create(
        user=user, role=user.role, organisation_id=user.organisation_id, office_id=user.office_id
    )


def record_initial_many(users) -> None:
    """``record_initial`` for users made with ``bulk_create`` (which sends no signal)."""
    Membership.objects.bulk_create(
        Membership(
            user_id=user.pk, role=user.role, organisation_id=user.organisation_id, office_id=user.office_id
        )
        for user in users
        if user.role != Role.NONE
    )


def people_with(*roles, organisation_id: int | None = None, office_id: int | None = None, day=None):
    """The active people who hold one of ``roles`` at the place today (letters, reminders)."""
    day = day or timezone.localdate()
    memberships = Membership.objects.in_force(day).filter(role__in=roles)
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    if office_id is not None:
        memberships = memberships.filter(office_id=office_id)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def people_at(*, organisation=None, office=None, day=None) -> list[tuple[User, list[str]]]:
    """The active people with a role in force at the place on ``day``, each with their roles (strongest first)."""
    day = day or timezone.localdate()
    held: dict[int, tuple[User, set]] = {}
    for membership in (
        Membership.objects.in_force(day)
        .filter(organisation=organisation, office=office, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    ):
        held.setdefault(membership.user_id, (membership.user, set()))[1].add(membership.role)
    order = {role: index for index, role in enumerate(OFFERED)}
    return [
        (user, sorted(roles, key=lambda r: order.get(r, 99), reverse=True)) for user, roles in held.values()
    ]
