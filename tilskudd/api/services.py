"""Creating and revoking a person's API tokens: each a keyword-only function, logged (STYLE §3)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts.models import User
from tilskudd.api import events
from tilskudd.api.models import ApiToken, Scope
from tilskudd.api.tokens import new_token
from tilskudd.caselog.log import record

MAX_DAYS = 366
MAX_ACTIVE = 20


@transaction.atomic
def create_token(*, user: User, name: str, scope: str, days: int, now=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the token string, which is never shown again."""
    if not user.is_authenticated:
        raise PermissionDenied
    now = now or timezone.now()
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("Give the token a name, so you know what it is used for.")]
    if scope not in Scope.values:
        errors["scope"] = [_("Choose read only, or read and write.")]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("A token is valid for 1 to %(max)s days.") % {"max": MAX_DAYS}]
    User.objects.select_for_update().get(pk=user.pk)  # one person's tokens are counted one at a time
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now).count()
    if active >= MAX_ACTIVE:
        errors["name"] = [_("You have %(max)s active tokens. Revoke one first.") % {"max": MAX_ACTIVE}]
    if errors:
        raise ValidationError(errors)
    token, prefix, digest = new_token()
    created = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=prefix,
        digest=digest,
        scope=scope,
        expires_at=now + timedelta(days=days),
    )
    record(
        created, by=user, kind=events.TOKEN_CREATED, detail=f"{created.name} ({created.get_scope_display()})"
    )
    return created, token


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User, now=None) -> ApiToken:
    """Revoke one of ``by``'s own tokens; it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != by.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
        record(token, by=by, kind=events.TOKEN_REVOKED, detail=token.name)
    return token
