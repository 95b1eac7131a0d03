"""Making and checking token strings: a random secret, its SHA-256, a constant-time comparison."""

import hashlib
import hmac
import secrets

from django.utils import timezone

from tilskudd.api.models import ApiToken

PREFIX = "kkit"


def new_token() -> tuple[str, str, str]:
    """(the token to show once, its lookup prefix, the digest to store)."""
    prefix = secrets.token_hex(6)
    token = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_active(token: str, now=None) -> ApiToken | None:
    """The active token this string is, or None: unknown, malformed, revoked and expired alike."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or len(token) > 200:
        return None
    found = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if found is None or not hmac.compare_digest(found.digest, digest(token)):
        return None
    if not found.is_active(now or timezone.now()) or not found.user.is_active:
        return None
    return found
