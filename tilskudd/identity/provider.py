"""The identity provider this service logs in with, from settings, and its metadata.

One provider at a time, chosen by ``OIDC_PROVIDER``: ``idporten`` (the person) or
``ansattporten`` (the person acting for an organisation); empty, no login through a
provider (the login page offers passwords only).

The provider's endpoints come from its discovery document
(``<issuer>/.well-known/openid-configuration``), read on first use and kept for
``OIDC_METADATA_TTL`` seconds (Digdir asks clients to cache it, typically a day); never at
import or start-up, so a provider that is down stops logins, not the service. An endpoint
set in settings (``OIDC_OP_*_ENDPOINT``) wins over the document.

mozilla-django-oidc reads its settings through ``setting()`` (our views and backend set
``get_settings`` to it), so the discovered endpoints look like settings to it.
"""

import json
import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings


class Unavailable(Exception):
    """The provider's metadata could not be read (it is down, or answered nonsense)."""


@dataclass(frozen=True)
class Kind:
    code: str
    name: str  # as the provider calls itself, on the login button
    issuer: str  # production
    # Assurance levels the provider knows, weakest first; the first is asked for by default.
    levels: tuple[str, ...]


KINDS = {
    "idporten": Kind(
        "idporten", "ID-porten", "https://idporten.no", ("idporten-loa-substantial", "idporten-loa-high")
    ),
    "ansattporten": Kind("ansattporten", "Ansattporten", "https://ansattporten.no", ("substantial", "high")),
}

# mozilla-django-oidc's setting -> the discovery document's field.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}

_metadata: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.OIDC_PROVIDER)


def kind() -> Kind:
    return KINDS[settings.OIDC_PROVIDER]


def name() -> str:
    return kind().name


def issuer() -> str:
    return settings.OIDC_ISSUER or kind().issuer


def client_id() -> str:
    return settings.OIDC_RP_CLIENT_ID


def acr_values() -> str:
    """The assurance level asked for (``acr_values``)."""
    return settings.OIDC_ACR_VALUES or kind().levels[0]


def accepted_acr() -> frozenset[str]:
    """The levels a token may carry: the one asked for and any stronger the provider knows."""
    asked = acr_values().split()
    levels = kind().levels
    known = [levels.index(value) for value in asked if value in levels]
    if not known:
        return frozenset(asked)
    return frozenset(levels[min(known) :])


def authorization_details() -> list | None:
    """Ansattporten's Rich Authorization Request: which Altinn service or resource decides whom
    the person may represent (the organisation picker). None: no picker."""
    raw = settings.OIDC_AUTHORIZATION_DETAILS
    return json.loads(raw) if raw else None


def forget() -> None:
    """Drop the cached metadata (tests; a provider that moved)."""
    with _lock:
        _metadata.clear()


def metadata() -> dict:
    """The provider's discovery document, fetched on first use and cached."""
    source = settings.OIDC_DISCOVERY_URL or issuer().rstrip("/") + "/.well-known/openid-configuration"
    now = time.monotonic()
    with _lock:
        cached = _metadata.get(source)
        if cached and now - cached[0] < settings.OIDC_METADATA_TTL:
            return cached[1]
    try:
        response = requests.get(source, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise Unavailable(f"{source}: {exc.__class__.__name__}") from exc
    # OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for.
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != issuer().rstrip("/"):
        raise Unavailable(f"{source}: the document names another issuer")
    with _lock:
        _metadata[source] = (now, document)
    return document


def setting(attr: str, *default):
    """A mozilla-django-oidc setting: the provider's endpoints from settings, else from its metadata."""
    if attr in ENDPOINTS:
        explicit = getattr(settings, attr, "")
        if explicit:
            return explicit
        found = metadata().get(ENDPOINTS[attr])
        if found:
            return found
        if default:
            return default[0]
        raise Unavailable(f"the provider's metadata has no {ENDPOINTS[attr]}")
    return import_from_settings(attr, *default)
