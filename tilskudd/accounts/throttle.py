"""Throttles for logging in and for password reset e-mails.

django-axes locks a username + address pair after a few failures. Two things it cannot
do are done here, with counts kept in the database (``ThrottleEvent``) so every worker
process sees the same numbers:

- a gentler lock per username whatever the address: LOGIN_USERNAME_FAILURE_LIMIT
  failures within LOGIN_USERNAME_FAILURE_WINDOW lock the username for
  LOGIN_USERNAME_LOCKOUT_TIME, then counting starts afresh. Axes can lock by username
  too, but with the pair's failure limit and cool-off, so one address could lock
  anybody out after five tries. Usernames that do not exist are counted and locked
  exactly like those that do, so a lock says nothing about who has an account;
- limits on password reset requests per address and per e-mail address.

``client_ip`` is the one answer to "which address is this?" for both, and for axes
(AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tilskudd.accounts.models import ThrottleEvent

LOGIN_FAILURE = "login-failure"
LOGIN_LOCK = "login-lock"
RESET_BY_ADDRESS = "reset-address"
RESET_BY_EMAIL = "reset-email"

# Events older than this are no use to any throttle and are deleted as new ones come.
KEEP = timedelta(days=1)


def client_ip(request) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT says.

    With no trusted proxies (the default) it is REMOTE_ADDR, whatever headers the client
    sends. With N, each of our N proxies has appended the address it was talked to from,
    so the N-th entry from the right was written by our outermost proxy and is the
    client; anything to its left came from the client and may be made up. A request
    with fewer entries did not come through the proxies, and REMOTE_ADDR is used.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(scope: str, value: str) -> str:
    return salted_hmac(f"tilskudd.accounts.throttle.{scope}", value, algorithm="sha256").hexdigest()


def _events(scope: str, value: str, since):
    return ThrottleEvent.objects.filter(scope=scope, key=_key(scope, value), at__gt=since)


def _record(scope: str, value: str, now) -> None:
    ThrottleEvent.objects.filter(at__lt=now - KEEP).delete()
    ThrottleEvent.objects.create(scope=scope, key=_key(scope, value), at=now)


def _username(username: str) -> str:
    # Case-insensitive, so "Signer_A" and "signer_a" count together whatever the database collation.
    return username.casefold()


# --- Login: a lock per username, whatever the address ----------------------------


def username_locked(username: str) -> bool:
    since = timezone.now() - settings.LOGIN_USERNAME_LOCKOUT_TIME
    return _events(LOGIN_LOCK, _username(username), since).exists()


def record_login_failure(username: str) -> bool:
    """Count one failed password for ``username``; True if this failure locked it."""
    name = _username(username)
    now = timezone.now()
    _record(LOGIN_FAILURE, name, now)
    failures = _events(LOGIN_FAILURE, name, now - settings.LOGIN_USERNAME_FAILURE_WINDOW).count()
    if failures < settings.LOGIN_USERNAME_FAILURE_LIMIT:
        return False
    _record(LOGIN_LOCK, name, now)
    ThrottleEvent.objects.filter(scope=LOGIN_FAILURE, key=_key(LOGIN_FAILURE, name)).delete()
    return True


def lift_username_lock(username: str) -> None:
    """After a password reset: the person proved they read the account's e-mail."""
    name = _username(username)
    for scope in (LOGIN_FAILURE, LOGIN_LOCK):
        ThrottleEvent.objects.filter(scope=scope, key=_key(scope, name)).delete()


class UsernameThrottleBackend:
    """Refuses a locked username before any password is checked; notes that one will be.

    Listed after axes' backend and before ModelBackend. A locked username gets axes'
    lockout page (the same one as the pair lock). Otherwise the request is marked, so
    that a failure the next backend reports is counted as a guessed password, and
    failures refused by a lock (no password checked) are not.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        if username_locked(username):
            request.axes_locked_out = True
            request.axes_credentials = {"username": username}
            raise PermissionDenied
        request.login_throttle_username = username
        return None


@receiver(user_login_failed, dispatch_uid="tilskudd.accounts.throttle.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    username = getattr(request, "login_throttle_username", None)
    if not username:
        return
    request.login_throttle_username = None
    if record_login_failure(username):
        request.axes_locked_out = True
        request.axes_credentials = {"username": username}


# --- Password reset requests ------------------------------------------------------


def _take(scope: str, value: str, limit: int) -> bool:
    """Count one request unless ``limit`` have been counted within the window; True if counted."""
    now = timezone.now()
    if _events(scope, value, now - settings.PASSWORD_RESET_LIMIT_WINDOW).count() >= limit:
        return False
    _record(scope, value, now)
    return True


def reset_allowed_from(address: str | None) -> bool:
    return _take(RESET_BY_ADDRESS, address or "", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS)


def reset_allowed_to(email: str) -> bool:
    return _take(RESET_BY_EMAIL, email.strip().casefold(), settings.PASSWORD_RESET_LIMIT_PER_EMAIL)
