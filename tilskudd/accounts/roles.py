"""The roles in force decide what a person may do (SPEC "Parties and roles").

On every request (``RoleMiddleware``) and for every API token, ``apply`` reads the
person's memberships in force today (one query) and sets, on the user object of that
request, where they act (``organisation_id`` / ``office_id``), their strongest role there
(``role``) and every role they hold there (``roles``). A role that has ended, or was ended
a second ago, is simply not among them: the person loses that access on their next
request. A person with no role in force gets ``Role.NONE`` and sees nothing but their own
account.

Someone who holds roles at more than one place (a consultant serving two kommuner, an
adviser in the week they move) acts for one at a time: the place chosen in this session
(``ACTING``), else the one an Ansattporten login named (``acting_orgnr``), else the one in
the user's columns (where they last acted), else the first.
"""

from dataclasses import dataclass

from django.contrib.auth.middleware import get_user
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from tilskudd.accounts.models import PRECEDENCE, Membership, Role, User

ACTING = "acting_place"  # session key: the place chosen with the switcher
ACTING_ORGNR = "acting_orgnr"  # session key: the organisation an Ansattporten login named


@dataclass(frozen=True)
class Place:
    """Where a person may act: an organisation, an office, or neither (national reader, administrator)."""

    key: str  # "o<pk>", "f<pk>" or "-"
    name: str
    organisation_id: int | None
    office_id: int | None
    orgnr: str
    roles: frozenset

    @property
    def role(self) -> str:
        return strongest(self.roles)

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in PRECEDENCE if role in self.roles]


def strongest(roles) -> str:
    return next((role for role in PRECEDENCE if role in roles), Role.NONE)


def in_force(user: User, day=None):
    """The user's memberships in force on ``day`` (today in Europe/Oslo), with their places."""
    day = day or timezone.localdate()
    return (
        Membership.objects.in_force(day)
        .filter(user=user)
        .select_related("organisation", "office")
        .order_by("pk")
    )


def places_of(memberships) -> list[Place]:
    grouped: dict[str, dict] = {}
    for membership in memberships:
        if membership.organisation_id:
            key, name = f"o{membership.organisation_id}", membership.organisation.display_name
            orgnr = membership.organisation.organisasjonsnummer
        elif membership.office_id:
            key, name, orgnr = (
                f"f{membership.office_id}",
                membership.office.name,
                membership.office.organisasjonsnummer,
            )
        else:
            key, name, orgnr = "-", "", ""
        entry = grouped.setdefault(
            key,
            {
                "key": key,
                "name": name,
                "organisation_id": membership.organisation_id,
                "office_id": membership.office_id,
                "orgnr": orgnr,
                "roles": set(),
            },
        )
        entry["roles"].add(Role(membership.role))
    return [Place(**{**entry, "roles": frozenset(entry["roles"])}) for entry in grouped.values()]


def key_of(user: User) -> str:
    if user.organisation_id:
        return f"o{user.organisation_id}"
    if user.office_id:
        return f"f{user.office_id}"
    return "-"


def choose(places: list[Place], *, chosen: str | None, orgnr: str | None, current: str) -> Place | None:
    by_key = {place.key: place for place in places}
    if chosen in by_key:
        return by_key[chosen]
    if orgnr:
        named = [place for place in places if place.orgnr == orgnr and place.organisation_id]
        # An Ansattporten login names the organisation the person acts for; without a role there, none.
        return named[0] if named else None
    return by_key.get(current) or (places[0] if places else None)


def apply(user: User, *, chosen: str | None = None, orgnr: str | None = None, day=None) -> User:
    """Set ``user``'s place and roles from the memberships in force (in memory: nothing is saved)."""
    if not user.is_authenticated:
        return user
    places = places_of(in_force(user, day))
    place = choose(places, chosen=chosen, orgnr=orgnr, current=key_of(user))
    user.places = tuple(places)
    if place is None:
        user.role, user.organisation_id, user.office_id = Role.NONE, None, None
        user._roles = frozenset()
    else:
        user.role, user.organisation_id, user.office_id = place.role, place.organisation_id, place.office_id
        user._roles = place.roles
    return user


def for_request(request, user: User) -> User:
    session = getattr(request, "session", None)
    if session is None:
        return apply(user)
    return apply(user, chosen=session.get(ACTING), orgnr=session.get(ACTING_ORGNR))


class RoleMiddleware:
    """After AuthenticationMiddleware: the request's user carries the roles in force (still lazily)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: for_request(request, get_user(request)))
        return self.get_response(request)
