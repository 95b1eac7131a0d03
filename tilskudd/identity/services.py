"""A login through the identity provider, once its token is verified: find or make the user, record it.

Called by the authentication backend (``backends.OIDCBackend``) with claims from an ID token
whose signature, issuer, audience, expiry, nonce and assurance level it has checked; that
verified token is the permission. Each function is one transaction with the identity's row
locked, and records in the case log (subject: the user).
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from tilskudd.accounts.models import Role, User
from tilskudd.caselog.log import record
from tilskudd.identity import events
from tilskudd.identity.models import Identity
from tilskudd.identity.provider import KINDS


@dataclass(frozen=True)
class Login:
    """What a verified ID token says about the person who logged in (nothing else is kept)."""

    issuer: str
    subject: str
    provider: str  # "idporten" or "ansattporten"
    acr: str
    given_name: str = ""
    family_name: str = ""


def _provider_name(login: Login) -> str:
    kind = KINDS.get(login.provider)
    return kind.name if kind else login.provider


def _username(login: Login) -> str:
    # Not the person's name, e-mail or national identity number: a handle nobody can guess from them.
    return f"{login.provider}-{secrets.token_hex(5)}"


def create_user_at_login(*, login: Login, now=None) -> User:
    """The person's first login: a new user with no role, linked to the provider's identifier.

    The user sees only their own account until an administrator gives them a role (an
    invitation). If the same person's first login is being handled twice at once, the second
    finds the first one's user.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            user = User(
                username=_username(login),
                first_name=login.given_name[:150],
                last_name=login.family_name[:150],
                role=Role.NONE,
                organisation=None,
                office=None,
            )
            user.set_unusable_password()
            user.save()
            Identity.objects.create(
                user=user,
                issuer=login.issuer,
                subject=login.subject,
                provider=login.provider,
                created_at=now,
                last_login_at=now,
            )
            provider = _provider_name(login)
            record(user, by=user, kind=events.USER_CREATED, detail=provider)
            record(user, by=user, kind=events.IDENTITY_LINKED, detail=f"{provider} ({login.issuer})")
            record(user, by=user, kind=events.LOGGED_IN, detail=f"{provider}, {login.acr}")
            return user
    except IntegrityError:
        existing = Identity.objects.filter(issuer=login.issuer, subject=login.subject).first()
        if existing is None:
            raise
        return record_login(user=existing.user, login=login, now=now)


@transaction.atomic
def record_login(*, user: User, login: Login, now=None) -> User:
    """A login of a person already known by this identifier: note when, and with which assurance level."""
    identity = (
        Identity.objects.select_for_update(of=("self",))
        .filter(issuer=login.issuer, subject=login.subject)
        .first()
    )
    if identity is None or identity.user_id != user.pk:
        raise PermissionDenied
    identity.last_login_at = now or timezone.now()
    identity.save(update_fields=["last_login_at"])
    record(user, by=user, kind=events.LOGGED_IN, detail=f"{_provider_name(login)}, {login.acr}")
    return user
