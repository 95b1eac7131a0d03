"""`manage.py check` refuses a provider configured halfway (and warns when nobody could log in)."""

import json

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from tilskudd.identity.provider import KINDS

AUTH_METHODS = ("client_secret_post", "private_key_jwt")


@register(Tags.security)
def login_settings(app_configs, **kwargs):
    found = []
    chosen = settings.OIDC_PROVIDER
    if not chosen:
        if not settings.PASSWORD_LOGIN:
            found.append(
                Warning(
                    "PASSWORD_LOGIN is off and OIDC_PROVIDER is empty: nobody can log in.", id="identity.W001"
                )
            )
        return found
    if chosen not in KINDS:
        found.append(
            Error(f"OIDC_PROVIDER must be one of {sorted(KINDS)}, not {chosen!r}.", id="identity.E001")
        )
    if not settings.OIDC_RP_CLIENT_ID:
        found.append(Error("OIDC_PROVIDER is set but OIDC_CLIENT_ID is empty.", id="identity.E002"))
    method = settings.OIDC_CLIENT_AUTH_METHOD
    if method not in AUTH_METHODS:
        found.append(Error(f"OIDC_CLIENT_AUTH_METHOD must be one of {AUTH_METHODS}.", id="identity.E003"))
    if method == "client_secret_post" and not settings.OIDC_RP_CLIENT_SECRET:
        found.append(Error("client_secret_post needs OIDC_CLIENT_SECRET.", id="identity.E004"))
    if method == "private_key_jwt" and not settings.OIDC_RP_PRIVATE_KEY_FILE:
        found.append(Error("private_key_jwt needs OIDC_PRIVATE_KEY_FILE (a PEM file).", id="identity.E005"))
    if settings.OIDC_AUTHORIZATION_DETAILS:
        try:
            json.loads(settings.OIDC_AUTHORIZATION_DETAILS)
        except ValueError:
            found.append(Error("OIDC_AUTHORIZATION_DETAILS must be JSON.", id="identity.E006"))
    return found
