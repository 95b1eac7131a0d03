"""Ends logins that have been idle or open too long, and says so (see ``tracking``).

After ``AuthenticationMiddleware`` and ``MessageMiddleware``. On each request of a logged-in
person it finds the login's row; if the login has ended, it logs the person out before the
view runs, so a view that needs a login sends them to the login page with ``next``, as for
anyone, and nothing they sent is saved. The login page says why, and whether what they sent
was lost.

An htmx request (the application form saves as you type) would otherwise put the whole login
page into the form's save status. It gets a short message there instead, and the page with
what the person has typed stays where it is, so they can copy it before logging in again.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tilskudd.logins import tracking
from tilskudd.ui.htmx import is_htmx

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def why_ended(ending: tracking.Ending) -> str:
    if ending.reason == tracking.IDLE:
        return ngettext(
            "You were logged out because you had not done anything for %(minutes)s minute.",
            "You were logged out because you had not done anything for %(minutes)s minutes.",
            ending.minutes,
        ) % {"minutes": ending.minutes}
    if ending.reason == tracking.TOO_OLD:
        return ngettext(
            "You were logged out because you had been logged in for %(hours)s hour.",
            "You were logged out because you had been logged in for %(hours)s hours.",
            ending.hours,
        ) % {"hours": ending.hours}
    return _("You were logged out because this login has been ended.")


def ending_message(ending: tracking.Ending, *, unsaved: bool) -> str:
    if unsaved:
        then = _("What you sent was not saved: log in and enter it again. Anything saved before is kept.")
    else:
        then = _("Log in again to go on.")
    return f"{why_ended(ending)} {then}"


def _is_login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)


def _page_url(request, response) -> str:
    """The login page, coming back to the page the person is on (htmx says which) afterwards."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        page = parts.path + (f"?{parts.query}" if parts.query else "")
        query = QueryDict(mutable=True)
        query["next"] = page
        return f"{resolve_url(settings.LOGIN_URL)}?{query.urlencode(safe='/')}"  # as redirect_to_login
    return response["Location"]


class LoginActivityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key_before = request.session.session_key
        request.login_session_key_at_start = key_before
        response = self.get_response(request)
        ending = getattr(request, "login_ending", None)
        if ending is None:
            tracking.follow_key_change(request, key_before)
        if is_htmx(request) and _is_login_redirect(response):
            response = render(
                request,
                "logins/_logged_out.html",
                {
                    "why": why_ended(ending) if ending else "",
                    "login_url": _page_url(request, response),
                },
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        ending = tracking.end_if_due(request)
        if ending is not None:
            request.login_ending = ending
            unsaved = request.method not in SAFE_METHODS and not getattr(view_func, "is_public", False)
            messages.warning(request, ending_message(ending, unsaved=unsaved))
        return None
