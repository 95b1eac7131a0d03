"""Keeping the login rows in step with Django's sessions, and deciding when a login has ended.

Bookkeeping, like Django's own session rows, not a case event: nothing here goes to the case
log. What a person does to their logins (ending one, ending the others) is in ``services``.

- Logging in makes a row (``user_logged_in``); logging out removes it (``user_logged_out``).
- Every request of a logged-in person finds its row by the keyed hash of the session key
  (one indexed query). No row, or a row idle longer than SESSION_IDLE_MINUTES or older than
  SESSION_MAX_HOURS, ends the login there and then: Django's session is flushed (deleted from
  the session store) and the row removed. So a login ended from another device is logged out
  at its next request, although only the hash of its key is kept.
- ``last_seen_at`` is written at most once a minute (TOUCH_EVERY), so reading pages does not
  write on every request. Idle time is therefore measured to the minute, in the person's
  favour: a login ends between SESSION_IDLE_MINUTES and one minute more after the last request.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tilskudd.accounts.throttle import client_ip
from tilskudd.logins import devices
from tilskudd.logins.models import LoginSession

TOUCH_EVERY = timedelta(minutes=1)
_SALT = "tilskudd.logins.session-key"

IDLE = "idle"
TOO_OLD = "too_old"
ENDED = "ended"


def digest(session_key: str, secret=None) -> str:
    """The keyed hash the row keeps instead of the session key."""
    return salted_hmac(_SALT, session_key, secret=secret, algorithm="sha256").hexdigest()


def digests(session_key: str) -> list[str]:
    """With the current secret and every fallback, so rotating SECRET_KEY logs nobody out."""
    return [digest(session_key), *(digest(session_key, secret) for secret in settings.SECRET_KEY_FALLBACKS)]


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def age_limit() -> timedelta:
    return timedelta(hours=settings.SESSION_MAX_HOURS)


def _in_force(now) -> Q:
    return Q(last_seen_at__gte=now - idle_limit() - TOUCH_EVERY, started_at__gte=now - age_limit())


def active(queryset, now=None):
    """The rows of ``queryset`` whose login has not ended by inactivity or age."""
    return queryset.filter(_in_force(now or timezone.now()))


def expired(queryset, now=None):
    return queryset.exclude(_in_force(now or timezone.now()))


def row_for(session_key: str | None):
    if not session_key:
        return None
    return LoginSession.objects.filter(key_digest__in=digests(session_key)).first()


@receiver(user_logged_in, dispatch_uid="tilskudd.logins.record_login")
def record_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return
    before = getattr(request, "login_session_key_at_start", None)
    if before and before != session.session_key:
        # Logged in again over an earlier login in this browser: Django flushed or cycled it.
        LoginSession.objects.filter(key_digest__in=digests(before)).delete()
    now = timezone.now()
    browser, system = devices.parse(request.META.get("HTTP_USER_AGENT"))
    LoginSession.objects.update_or_create(
        key_digest=digest(session.session_key),
        defaults={
            "user": user,
            "started_at": now,
            "last_seen_at": now,
            "address": client_ip(request) or None,
            "browser": browser,
            "system": system,
            "method": str(session.get("login_method", "password"))[:40],
        },
    )
    request.login_recorded = True


@receiver(user_logged_out, dispatch_uid="tilskudd.logins.forget_login")
def forget_login(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        LoginSession.objects.filter(key_digest__in=digests(session.session_key)).delete()


@dataclass(frozen=True)
class Ending:
    """Why a login was just ended, for the message on the next page."""

    reason: str  # IDLE, TOO_OLD or ENDED
    minutes: int = 0
    hours: int = 0


def end_if_due(request, now=None) -> Ending | None:
    """Log the request's person out if their login has ended; note that they were seen otherwise.

    Returns why it ended, or None if the login goes on (or nobody is logged in).
    """
    if not request.user.is_authenticated:
        return None
    now = now or timezone.now()
    row = row_for(request.session.session_key)
    ending = None
    if row is None or row.user_id != request.user.pk:
        ending = Ending(ENDED)
    elif now - row.started_at > age_limit():
        ending = Ending(TOO_OLD, hours=settings.SESSION_MAX_HOURS)
    elif now - row.last_seen_at > idle_limit() + TOUCH_EVERY:
        ending = Ending(IDLE, minutes=settings.SESSION_IDLE_MINUTES)
    if ending is not None:
        logout(request)  # flushes Django's session; user_logged_out removes the row
        return ending
    if now - row.last_seen_at >= TOUCH_EVERY:
        LoginSession.objects.filter(pk=row.pk).update(last_seen_at=now)
        row.last_seen_at = now
    request.login_session = row
    return None


def follow_key_change(request, key_before: str | None) -> None:
    """Django gave the session a new key without a new login (a changed password keeps the person
    logged in with ``update_session_auth_hash``): the row follows it."""
    key_now = request.session.session_key
    if (
        not key_before
        or not key_now
        or key_now == key_before
        or getattr(request, "login_recorded", False)
        or not request.user.is_authenticated
    ):
        return
    LoginSession.objects.filter(key_digest__in=digests(key_before), user_id=request.user.pk).update(
        key_digest=digest(key_now)
    )


def clear_expired(now=None) -> int:
    """Remove the rows of logins that have ended by inactivity or age; how many."""
    deleted, _ = expired(LoginSession.objects.all(), now).delete()
    return deleted
