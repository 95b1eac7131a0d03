"""Who is calling, and how often: personal access tokens or the browser's session, and rate limits.

A token acts exactly as its person (``request.user`` becomes them), so every permission-checked
fetch and every service sees the same user as on the web. A read-only token that tries to write
is refused before the endpoint runs. The browser's session works too, with Django's CSRF check.

Rate limits count in the cache (no database write for a GET): per token (API_RATE_PER_TOKEN) and
per client address (API_RATE_PER_ADDRESS, the address as ``accounts.throttle.client_ip`` sees it).
With the default local-memory cache each server process counts on its own.
"""

from django.conf import settings
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


class _RateFromSettings(SimpleRateThrottle):
    setting = ""

    def __init__(self):  # the rate is read from the settings on each request (tests change it)
        self.rate = None

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
