"""Ending a person's logins: each a keyword-only function, logged (STYLE §3).

A login ends by removing its row; its browser is logged out at its next request, when the
middleware finds no row and flushes the Django session (tilskudd.logins.tracking). The case
log entry's subject is the person, whose account it is.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tilskudd.accounts.models import User
from tilskudd.caselog.log import record
from tilskudd.domain.deadlines import format_local
from tilskudd.logins import events
from tilskudd.logins.models import LoginSession
from tilskudd.logins.tracking import digests


def _describe(login: LoginSession) -> str:
    return _("%(device)s, %(address)s, logged in %(when)s with %(method)s") % {
        "device": login.device,
        "address": login.address or "–",
        "when": format_local(login.started_at, get_language() or "nb"),
        "method": login.method_label,
    }


@transaction.atomic
def end_login(*, login: LoginSession, by: User) -> bool:
    """End one of ``by``'s own logins; False if it had already ended."""
    login = LoginSession.objects.select_for_update(of=("self",)).filter(pk=login.pk).first()
    if login is None:
        return False
    if login.user_id != by.pk:
        raise PermissionDenied
    detail = _describe(login)
    login.delete()
    record(by, by=by, kind=events.LOGIN_ENDED, detail=detail)
    return True


@transaction.atomic
def end_other_logins(*, user: User, by: User, keep_session_key: str | None = None, reason: str = "") -> int:
    """End every login of ``user`` but the one with ``keep_session_key`` (all of them without it).

    Only the person acts on their own logins (after a password reset, as the person who read
    the e-mail). Returns how many ended.
    """
    if not by.is_authenticated or by.pk != user.pk:
        raise PermissionDenied
    logins = LoginSession.objects.select_for_update(of=("self",)).filter(user=user)
    if keep_session_key:
        logins = logins.exclude(key_digest__in=digests(keep_session_key))
    ended = list(logins)
    if not ended:
        return 0
    LoginSession.objects.filter(pk__in=[login.pk for login in ended]).delete()
    detail = ngettext(
        "%(count)s login ended: %(logins)s", "%(count)s logins ended: %(logins)s", len(ended)
    ) % {
        "count": len(ended),
        "logins": "; ".join(_describe(login) for login in ended),
    }
    record(user, by=by, kind=events.OTHER_LOGINS_ENDED, detail=detail, reason=reason)
    return len(ended)
