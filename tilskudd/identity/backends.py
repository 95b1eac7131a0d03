"""mozilla-django-oidc's authentication backend, made strict and matched by identifier.

The library exchanges the code for tokens (with the PKCE verifier), fetches the provider's
keys and checks the ID token's signature and nonce. What it leaves out is added here:

- the token's issuer, audience (``aud`` is this client; with several, ``azp`` too), expiry and
  issue time are checked, with ``OIDC_LEEWAY`` seconds for clocks that differ (the library
  checks no audience);
- the token's assurance level (``acr``) must be the one asked for or stronger;
- the person is found by (issuer, ``sub``) through ``Identity``, never by name or e-mail
  (the library matches e-mail); a new person gets a new user with no role;
- the claims come from the ID token; the userinfo endpoint is not called (ID-porten's adds
  nothing the token lacks);
- client authentication by ``client_secret_post`` (the library's) or ``private_key_jwt``.

The backend is listed in AUTHENTICATION_BACKENDS (so a session made by it finds its user)
but answers only the callback view's call with ``oidc_flow``: a password form, or any
other ``authenticate()`` call, never reaches the provider through it. Nothing is read from
settings and nothing is fetched until a login needs it.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from tilskudd.identity import provider, services

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"  # the only one ID-porten and Ansattporten sign with
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ISO6523_NORWAY = "0192:"  # prefix of a Norwegian organisation number in Ansattporten's tokens


class Refused(SuspiciousOperation):
    """The provider's answer does not hold up (bad token, wrong audience, too weak a login, ...)."""


@dataclass(frozen=True)
class LoginFacts:
    """What the session keeps about a login through the provider (``views.CallbackView``)."""

    method: str  # "idporten" or "ansattporten"
    acr: str
    orgnr: str  # Ansattporten: the organisation the person chose to act for; "" for none
    id_token: str  # for the provider's logout (id_token_hint)


def chosen_organisation(claims: dict) -> str:
    """The organisation number the person chose in Ansattporten's organisation picker, or "".

    Read from ``authorization_details`` (Rich Authorization Requests): ``authorized_parties``
    for Altinn 3 resources, ``reportees`` for Altinn 2 services, ``orgno`` for
    ``ansattporten:orgno``. With several chosen, the first.
    """
    details = claims.get("authorization_details") or []
    if isinstance(details, dict):
        details = [details]
    found = []
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict):
            continue
        parties = [p.get("orgno") for p in detail.get("authorized_parties") or [] if isinstance(p, dict)]
        parties += [p for p in detail.get("reportees") or [] if isinstance(p, dict)]
        parties.append(detail.get("orgno"))
        for party in parties:
            if isinstance(party, dict):
                value = str(party.get("ID") or party.get("id") or "")
                value = value.removeprefix(ISO6523_NORWAY)
                if len(value) == 9 and value.isascii() and value.isdigit():
                    found.append(value)
    return found[0] if found else ""


class OIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(provider.setting)
    OIDC_RP_SIGN_ALGO = ALGORITHM
    OIDC_RP_IDP_SIGN_KEY = None  # the provider's keys come from its JWKS endpoint

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every authenticate() and every request with a session:
        # read nothing here (the library reads, and would fetch, every endpoint).
        self.UserModel = get_user_model()
        self.facts: LoginFacts | None = None
        self._id_token = ""

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return provider.setting("OIDC_OP_TOKEN_ENDPOINT")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):
        return provider.setting("OIDC_OP_JWKS_ENDPOINT")

    @property
    def OIDC_OP_USER_ENDPOINT(self):
        return None  # never called: see get_userinfo

    @property
    def OIDC_RP_CLIENT_ID(self):
        return provider.client_id()

    @property
    def OIDC_RP_CLIENT_SECRET(self):
        return settings.OIDC_RP_CLIENT_SECRET

    # --- who may come through ------------------------------------------------------

    def authenticate(self, request, oidc_flow=None, **kwargs):
        """Only the callback's call, with the state's saved nonce and PKCE verifier."""
        if request is None or oidc_flow is None or not provider.enabled():
            return None
        return super().authenticate(
            request, nonce=oidc_flow["nonce"], code_verifier=oidc_flow.get("code_verifier")
        )

    def get_user(self, user_id):
        # The library's get_user skips Django's is_active check: a deactivated person is logged out.
        return ModelBackend.get_user(self, user_id)

    # --- the token request -----------------------------------------------------------

    def get_token(self, payload):
        if settings.OIDC_CLIENT_AUTH_METHOD == "private_key_jwt":
            payload = {key: value for key, value in payload.items() if key != "client_secret"}
            payload["client_assertion_type"] = CLIENT_ASSERTION_TYPE
            payload["client_assertion"] = self.client_assertion()
        return super().get_token(payload)

    def client_assertion(self) -> str:
        """RFC 7523: a short-lived JWT signed with this client's key, its audience the provider's issuer."""
        now = int(time.time())
        key = Path(settings.OIDC_RP_PRIVATE_KEY_FILE).read_bytes()
        headers = {"kid": settings.OIDC_RP_PRIVATE_KEY_ID} if settings.OIDC_RP_PRIVATE_KEY_ID else None
        claims = {
            "iss": provider.client_id(),
            "sub": provider.client_id(),
            "aud": provider.issuer(),
            "iat": now,
            "exp": now + 60,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, key, algorithm=ALGORITHM, headers=headers)

    # --- the ID token ----------------------------------------------------------------

    def _verify_jws(self, payload, key):
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as exc:
            raise Refused("the ID token is not a JWT") from exc
        if header.get("alg") != ALGORITHM:
            raise Refused(f"the ID token is signed with {header.get('alg')!r}, not {ALGORITHM}")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=provider.client_id(),
                issuer=provider.issuer(),
                leeway=settings.OIDC_LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise Refused(f"the ID token was refused: {exc.__class__.__name__}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id():
            raise Refused("the ID token names several audiences and another authorised party")
        return claims

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (KeyError, jwt.InvalidTokenError) as exc:
            raise Refused("the provider's keys do not match the token") from exc

    def store_tokens(self, access_token, id_token):
        self._id_token = id_token or ""  # kept for the logout, by the callback; not the access token

    def get_userinfo(self, access_token, id_token, payload):
        return payload  # the verified ID token's claims

    def verify_claims(self, claims):
        if not claims.get("sub"):
            logger.warning("OIDC login refused: the ID token has no sub")
            return False
        if claims.get("acr") not in provider.accepted_acr():
            logger.warning("OIDC login refused: assurance level %r is too weak", claims.get("acr"))
            return False
        return True

    # --- the person ------------------------------------------------------------------

    def _login(self, claims) -> services.Login:
        return services.Login(
            issuer=claims["iss"],
            subject=claims["sub"],
            provider=provider.kind().code,
            acr=claims["acr"],
            given_name=str(claims.get("given_name") or ""),
            family_name=str(claims.get("family_name") or ""),
        )

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            identities__issuer=claims["iss"], identities__subject=claims["sub"]
        ).distinct()

    def create_user(self, claims):
        return services.create_user_at_login(login=self._login(claims))

    def update_user(self, user, claims):
        return services.record_login(user=user, login=self._login(claims))

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            self.facts = LoginFacts(
                method=provider.kind().code,
                acr=payload["acr"],
                orgnr=chosen_organisation(payload) if provider.kind().code == "ansattporten" else "",
                id_token=self._id_token,
            )
        return user


# Errors a login through the provider may end in; the callback shows each as a refused login.
LOGIN_ERRORS = (
    SuspiciousOperation,
    PermissionDenied,
    jwt.InvalidTokenError,
    requests.RequestException,
    ValueError,
    KeyError,
)
