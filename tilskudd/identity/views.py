"""The two steps of a login through ID-porten or Ansattporten (authorization code flow).

1. ``AuthenticateView`` (the login page's button): mozilla-django-oidc's view makes a fresh
   state, nonce and PKCE verifier, keeps them in the session under the state, remembers a safe
   ``next`` and sends the browser to the provider with ``acr_values`` (and, for Ansattporten,
   the ``authorization_details`` that show its organisation picker).
2. ``CallbackView`` (where the provider sends the browser back): the state must be one this
   session started and not used before (it is used up at once, whatever follows); the code is
   exchanged and the ID token checked by the backend; then the person is logged in, the
   session notes how (``session.py``) and the browser goes on to ``next``.

Every refusal shows a page saying the login did not go through, and the person stays logged
out; nothing the provider sent is shown, and the reason is logged (never a token or an
identity number). The callback is a GET because the provider redirects the browser to it:
like Django's password login POST, it writes the login (and, the first time, the user).

Both answer 404 while no provider is configured.
"""

import json
import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from tilskudd.identity import provider, session
from tilskudd.identity.backends import LOGIN_ERRORS, OIDCBackend

logger = logging.getLogger(__name__)

BACKEND = f"{OIDCBackend.__module__}.{OIDCBackend.__qualname__}"
STATES = "oidc_states"  # mozilla-django-oidc's session key: state -> nonce, PKCE verifier, when
NEXT = "oidc_login_next"  # mozilla-django-oidc's session key: where to go after the login

REFUSED, CANCELLED, UNAVAILABLE = "refused", "cancelled", "unavailable"


def _safe(request, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return None


def login_failed(request, why: str, next_url: str | None = None):
    name = provider.name()
    messages = {
        REFUSED: _("We could not confirm your login from %(provider)s, so you are not logged in. Try again."),
        CANCELLED: _("The login at %(provider)s was cancelled or did not finish. You are not logged in."),
        UNAVAILABLE: _("%(provider)s cannot be reached right now. Try again in a few minutes."),
    }
    retry = reverse("accounts:login")
    if next_url:
        retry += "?" + urlencode({"next": next_url})
    return render(
        request,
        "identity/login_failed.html",
        {"message": messages[why] % {"provider": name}, "retry_url": retry},
        status=503 if why == UNAVAILABLE else 403,
    )


class AuthenticateView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(provider.setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library reads (and we would fetch) the endpoint here: not yet

    def get(self, request):
        if not provider.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except provider.Unavailable as exc:
            logger.warning("OIDC login not started: %s", exc)
            return login_failed(request, UNAVAILABLE, _safe(request, request.GET.get("next")))
        self.OIDC_RP_CLIENT_ID = provider.client_id()
        return super().get(request)

    def get_extra_params(self, request):
        params = {"acr_values": provider.acr_values(), "ui_locales": translation.get_language() or "nb"}
        details = provider.authorization_details()
        if details:
            params["authorization_details"] = json.dumps(details, separators=(",", ":"))
        return params


class CallbackView(View):
    http_method_names = ["get"]

    def get(self, request):
        if not provider.enabled():
            raise Http404
        state = request.GET.get("state", "")
        states = request.session.get(STATES)
        flow = states.pop(state, None) if isinstance(states, dict) and state else None
        next_url = None
        if flow is not None:
            request.session[STATES] = states  # used up now, whatever happens next
            next_url = _safe(request, request.session.pop(NEXT, None))
        if request.GET.get("error"):
            logger.info("OIDC login not finished at the provider: %s", request.GET.get("error")[:100])
            return login_failed(request, CANCELLED, next_url)
        if flow is None or not request.GET.get("code"):
            logger.warning("OIDC callback refused: a state this session did not start, or one used before")
            return login_failed(request, REFUSED)
        if time.time() - float(flow.get("added_on") or 0) > settings.OIDC_STATE_MAX_AGE:
            logger.warning("OIDC callback refused: the login took longer than OIDC_STATE_MAX_AGE")
            return login_failed(request, REFUSED, next_url)

        backend = OIDCBackend()
        try:
            user = backend.authenticate(request, oidc_flow=flow)
        except (provider.Unavailable, requests.ConnectionError, requests.Timeout) as exc:
            logger.warning("OIDC login failed, provider unreachable: %s", exc.__class__.__name__)
            return login_failed(request, UNAVAILABLE, next_url)
        except LOGIN_ERRORS as exc:
            logger.warning("OIDC login refused: %s", exc)
            return login_failed(request, REFUSED, next_url)
        if user is None or not user.is_active or backend.facts is None:
            logger.warning("OIDC login refused: no user for the token, or the user is deactivated")
            return login_failed(request, REFUSED, next_url)

        # Before the login, so the login's own record (tilskudd.logins) sees the method; again after,
        # since a login over another person's session starts an empty one.
        self.remember(request, backend.facts)
        auth.login(request, user, backend=BACKEND)
        self.remember(request, backend.facts)
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))

    def remember(self, request, facts):
        store = request.session
        store[session.LOGIN_METHOD] = facts.method
        store[session.LOGIN_ACR] = facts.acr
        if facts.orgnr:
            store[session.ACTING_ORGNR] = facts.orgnr
            store.pop(session.ACTING_PLACE, None)  # the organisation chosen at this login wins
        else:
            store.pop(session.ACTING_ORGNR, None)
        logout_url = self.provider_logout_url(request, facts)
        if logout_url:
            store[session.PROVIDER_LOGOUT_URL] = logout_url
        else:
            store.pop(session.PROVIDER_LOGOUT_URL, None)

    def provider_logout_url(self, request, facts) -> str:
        """RP-initiated logout: the provider ends its session too, then sends the browser home."""
        try:
            endpoint = provider.setting("OIDC_OP_LOGOUT_ENDPOINT", "")
        except provider.Unavailable:
            return ""
        if not endpoint or not facts.id_token:
            return ""
        home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        query = urlencode({"id_token_hint": facts.id_token, "post_logout_redirect_uri": home})
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
