"""A small OpenID provider for the tests, behaving like ID-porten and Ansattporten.

Authorization code flow only, as those two do it: the client must send PKCE (S256), state and
nonce; it authenticates at the token endpoint with client_secret_post or private_key_jwt;
ID tokens are RS256 with a ``kid`` whose key is published at the JWKS endpoint. The signing
key is a throwaway RSA key made when this module is first imported; codes live in memory
(this process: the live server's thread and the test's thread share them) and work once.

The "log in as" form stands in for the person's eID: pid, name, and for Ansattporten the
organisation chosen in its picker. ``fault`` makes the next token wrong in one way, so the
tests can see each refused.
"""

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt

CLIENT_ID = "tilskudd-test"
CLIENT_SECRET = "test-client-secret-0123456789"
KID = "local-test-key-1"

FAULTS = {
    "": "none",
    "wrong_audience": "a token for another client",
    "expired": "an expired token",
    "bad_signature": "signed with another key",
    "wrong_nonce": "another nonce",
    "wrong_issuer": "another issuer",
    "weak_acr": "a weaker assurance level",
}


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_jwk(key, kid: str) -> dict:
    numbers = key.public_key().public_numbers()

    def b64(number: int) -> str:
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": b64(numbers.n), "e": b64(numbers.e)}


def pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@dataclass
class Provider:
    """Everything the provider knows; reset by the fixture for each test."""

    issuer: str = ""
    kind: str = "idporten"  # "ansattporten": tokens carry authorization_details
    signing_key: object = field(default_factory=_new_key)
    other_key: object = field(default_factory=_new_key)  # for "bad_signature"
    client_public_key: object = None  # private_key_jwt: the client's registered key
    codes: dict = field(default_factory=dict)
    authorize_requests: list = field(default_factory=list)  # every authorization request's parameters
    token_requests: list = field(default_factory=list)
    logouts: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self, issuer: str, kind: str = "idporten") -> None:
        with self.lock:
            self.issuer, self.kind = issuer.rstrip("/"), kind
            self.client_public_key = None
            self.codes.clear()
            self.authorize_requests.clear()
            self.token_requests.clear()
            self.logouts.clear()


PROVIDER = Provider()


def sub_for(pid: str) -> str:
    """A pairwise-looking subject for a person (stable for this client), as ID-porten gives."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"{CLIENT_ID}:{pid}".encode()).digest()).decode()


# --- the endpoints ---------------------------------------------------------------------


def well_known(request):
    base = PROVIDER.issuer
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high", "substantial", "high"],
        }
    )


def jwks(request):
    return JsonResponse({"keys": [_public_jwk(PROVIDER.signing_key, KID)]})


REQUIRED = ("client_id", "redirect_uri", "response_type", "state", "nonce", "code_challenge")


@csrf_exempt
def authorize(request):
    """GET: check the request and show "log in as"; POST: the person chose, back to the client."""
    params = request.GET if request.method == "GET" else request.POST
    missing = [name for name in REQUIRED if not params.get(name)]
    if missing or params.get("client_id") != CLIENT_ID or params.get("response_type") != "code":
        return HttpResponseBadRequest(f"invalid_request: {missing or 'client_id/response_type'}")
    if params.get("code_challenge_method") != "S256":
        return HttpResponseBadRequest("invalid_request: PKCE with S256 is required")
    if request.method == "GET":
        PROVIDER.authorize_requests.append(dict(request.GET.items()))
        return HttpResponse(_form(request.GET))
    redirect_uri, state = params["redirect_uri"], params["state"]
    if "cancel" in request.POST:
        return HttpResponseRedirect(f"{redirect_uri}?{urlencode({'error': 'access_denied', 'state': state})}")
    code = secrets.token_urlsafe(24)
    with PROVIDER.lock:
        PROVIDER.codes[code] = {
            "redirect_uri": redirect_uri,
            "code_challenge": params["code_challenge"],
            "nonce": params["nonce"],
            "acr": (params.get("acr_values") or "idporten-loa-substantial").split()[0],
            "pid": request.POST.get("pid", "").strip(),
            "sub": request.POST.get("sub", "").strip(),
            "given_name": request.POST.get("given_name", "").strip(),
            "family_name": request.POST.get("family_name", "").strip(),
            "orgnr": request.POST.get("orgnr", "").strip(),
            "fault": request.POST.get("fault", ""),
        }
    return HttpResponseRedirect(
        f"{redirect_uri}?{urlencode({'code': code, 'state': state, 'iss': PROVIDER.issuer})}"
    )


def _form(params) -> str:
    hidden = format_html_join(
        "\n", '<input type="hidden" name="{}" value="{}">', ((k, v) for k, v in params.items())
    )
    faults = format_html_join("\n", '<option value="{}">{}</option>', FAULTS.items())
    return format_html(
        """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Lokal testleverandør</title></head>
<body><main><h1>Lokal testleverandør ({kind})</h1>
<form method="post">{hidden}
<p><label for="pid">Fødselsnummer (pid)</label> <input id="pid" name="pid" value="01017012345"></p>
<p><label for="sub">sub (tom: avledet av pid)</label> <input id="sub" name="sub"></p>
<p><label for="given_name">Fornavn</label> <input id="given_name" name="given_name"></p>
<p><label for="family_name">Etternavn</label> <input id="family_name" name="family_name"></p>
<p><label for="orgnr">Organisasjonsnummer (Ansattporten)</label> <input id="orgnr" name="orgnr"></p>
<p><label for="fault">Feil i tokenet</label> <select id="fault" name="fault">{faults}</select></p>
<p><button type="submit" name="login">Logg inn som testperson</button>
<button type="submit" name="cancel">Avbryt</button></p>
</form></main></body></html>""",
        kind=PROVIDER.kind,
        hidden=hidden,
        faults=faults,
    )


def _client_authenticated(post) -> bool:
    if post.get("client_id") != CLIENT_ID:
        return False
    if post.get("client_assertion_type"):
        if PROVIDER.client_public_key is None:
            return False
        try:
            claims = jwt.decode(
                post.get("client_assertion", ""),
                PROVIDER.client_public_key,
                algorithms=["RS256"],
                audience=PROVIDER.issuer,
                issuer=CLIENT_ID,
                options={"require": ["exp", "iat", "jti", "sub"]},
            )
        except jwt.InvalidTokenError:
            return False
        return claims["sub"] == CLIENT_ID and "client_secret" not in post
    return secrets.compare_digest(post.get("client_secret", ""), CLIENT_SECRET)


def _error(code: str, status: int = 400):
    return JsonResponse({"error": code}, status=status)


@csrf_exempt
def token(request):
    if request.method != "POST":
        return _error("invalid_request", 405)
    post = request.POST
    PROVIDER.token_requests.append({k: v for k, v in post.items() if k not in ("client_secret",)})
    if not _client_authenticated(post):
        return _error("invalid_client", 401)
    if post.get("grant_type") != "authorization_code":
        return _error("unsupported_grant_type")
    with PROVIDER.lock:
        grant = PROVIDER.codes.pop(post.get("code", ""), None)  # a code works once
    if grant is None or post.get("redirect_uri") != grant["redirect_uri"]:
        return _error("invalid_grant")
    verifier = post.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if not verifier or challenge != grant["code_challenge"]:
        return _error("invalid_grant")
    return JsonResponse(
        {
            "access_token": secrets.token_urlsafe(32),
            "id_token": id_token(grant),
            "token_type": "Bearer",
            "expires_in": 120,
            "scope": "openid profile",
        }
    )


def id_token(grant: dict) -> str:
    now = int(time.time())
    fault = grant["fault"]
    pid = grant["pid"] or "01017012345"
    claims = {
        "iss": "https://another-issuer.example" if fault == "wrong_issuer" else PROVIDER.issuer,
        "aud": "another-client" if fault == "wrong_audience" else CLIENT_ID,
        "sub": grant["sub"] or sub_for(pid),
        "pid": pid,
        "acr": ("idporten-loa-low" if PROVIDER.kind == "idporten" else "low")
        if fault == "weak_acr"
        else grant["acr"],
        "amr": ["TestID"],
        "nonce": "not-the-nonce-asked-for" if fault == "wrong_nonce" else grant["nonce"],
        "iat": now - 7200 if fault == "expired" else now,
        "auth_time": now - 7200 if fault == "expired" else now,
        "exp": now - 3600 if fault == "expired" else now + 120,
        "locale": "nb",
        "sid": secrets.token_urlsafe(12),
    }
    if grant["given_name"]:
        claims["given_name"] = grant["given_name"]
    if grant["family_name"]:
        claims["family_name"] = grant["family_name"]
    if PROVIDER.kind == "ansattporten":
        parties = []
        if grant["orgnr"]:
            parties.append(
                {
                    "orgno": {"authority": "iso6523-actorid-upis", "ID": f"0192:{grant['orgnr']}"},
                    "resource": "tilskudd_test",
                    "name": "VALGT ORGANISASJON",
                    "unit_type": "KOMM",
                }
            )
        claims["authorization_details"] = [
            {
                "type": "ansattporten:altinn:resource",
                "resource": "urn:altinn:resource:tilskudd_test",
                "resource_name": "Tilskudd (test)",
                "authorized_parties": parties,
            }
        ]
    key = PROVIDER.other_key if fault == "bad_signature" else PROVIDER.signing_key
    return jwt.encode(claims, pem(key), algorithm="RS256", headers={"kid": KID})


def logout(request):
    """RP-initiated logout: ends the provider's "session" and sends the browser back."""
    PROVIDER.logouts.append(dict(request.GET.items()))
    target = request.GET.get("post_logout_redirect_uri")
    return HttpResponseRedirect(target) if target else HttpResponse("Logget ut")
