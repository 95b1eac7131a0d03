"""Who is calling, and how often: personal access tokens or the browser's session, and rate limits.

A token acts exactly as its person (``request.user`` becomes them), so every permission-checked
fetch and every service sees the same user as on the web. A read-only token that tries to write
is refused before the endpoint runs. The browser's session works too, with Django's CSRF check.
A token is never a strong login, so what needs one (approving) is refused to it with 403
``strong_login_required``; the browser's session after a two-step or ID-porten login may.

Rate limits: per token (API_RATE_PER_TOKEN) and per client address (API_RATE_PER_ADDRESS, the
address as ``accounts.throttle.client_ip`` sees it), counted in ``CACHES["shared"]`` (RATE_CACHE).
Under gunicorn and in production that is the database's cache table, so every worker process
and every app server counts one token's requests together (settings.py); each API request then
reads and writes one row per limit there. In development and tests it is the process's memory.
The count is read and then written, not incremented in one step: two requests at the very same
moment may be counted as one, so a limit may let a request or two more through, never fewer.
"""

import threading

from django.conf import settings
from django.core.cache import caches
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from tilskudd.accounts import roles
from tilskudd.accounts.throttle import client_ip
from tilskudd.api.errors import ReadOnlyToken
from tilskudd.api.tokens import find_active

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = find_active(token)
        if found is None:
            # A wrong token counts against the address's limit too: guessing is throttled like use.
            limit = PerAddress()
            if not limit.allow_request(request):
                raise Throttled(limit.wait())
            return None
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ReadOnlyToken
        # The token acts as its person with the roles in force now: a role that ended stops the token too.
        user = roles.apply(found.user)
        user.strong_login = False  # a token is a password of sorts: never a strong login (no approving)
        request.user = user
        request.api_token = found
        return found.user


class BrowserSession(SessionAuth):
    """Django's session with CSRF for writes (django-ninja checks it).

    Only a logged-in session is checked for CSRF: a caller with neither session nor token
    gets 401 (log in or send a token), not a CSRF refusal.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


AUTH = [TokenAuth(), BrowserSession()]


RATE_CACHE = "shared"


def _per_thread(name: str) -> property:
    """One request's state of a throttle: the throttles are shared by every thread of the process."""
    return property(
        lambda self: getattr(self._local, name, None), lambda self, value: setattr(self._local, name, value)
    )


class _RateFromSettings(SimpleRateThrottle):
    setting = ""
    # ninja's throttle keeps the request's history on itself between allow_request() and wait()
    history = _per_thread("history")
    key = _per_thread("key")
    now = _per_thread("now")

    def __init__(self):  # the rate is read from the settings on each request (tests change it)
        self.rate = None
        self._local = threading.local()

    @property
    def cache(self):
        return caches[RATE_CACHE]

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(getattr(settings, self.setting))
        return super().allow_request(request)


class PerToken(_RateFromSettings):
    setting = "API_RATE_PER_TOKEN"

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        return f"api-rate-token-{token.prefix}" if token is not None else None


class PerAddress(_RateFromSettings):
    setting = "API_RATE_PER_ADDRESS"

    def get_cache_key(self, request):
        return f"api-rate-address-{client_ip(request)}"


THROTTLES = [PerToken(), PerAddress()]
