"""The person's active logins: see them, end one, end all the others."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from tilskudd.logins import services, tracking
from tilskudd.logins.models import LoginSession
from tilskudd.ui.access import post_action


@login_required
@require_safe
def logins(request):
    """Where the person is logged in, this device first, then the most recently active."""
    current = getattr(request, "login_session", None)  # the middleware found it: no second query
    current_pk = current.pk if current else None
    rows = sorted(
        tracking.active(LoginSession.objects.filter(user=request.user)),
        key=lambda login: login.pk != current_pk,
    )
    return render(
        request,
        "logins/logins.html",
        {
            "logins": rows,
            "current_pk": current_pk,
            "others": sum(1 for login in rows if login.pk != current_pk),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "max_hours": settings.SESSION_MAX_HOURS,
        },
    )


def _own_login(request, login_id: int) -> LoginSession:
    return get_object_or_404(LoginSession, pk=login_id, user=request.user)


def _logins_page(request, login_id: int | None = None) -> str:
    if login_id is not None:
        _own_login(request, login_id)  # a stranger gets 404 on GET too
    return reverse("logins:logins")


@login_required
@post_action(_logins_page)
def end(request, login_id: int):
    services.end_login(login=_own_login(request, login_id), by=request.user)
    messages.success(request, _("The login is ended. That browser is logged out the next time it is used."))
    return redirect("logins:logins")


@login_required
@post_action(_logins_page)
def end_others(request):
    count = services.end_other_logins(
        user=request.user, by=request.user, keep_session_key=request.session.session_key
    )
    if count:
        messages.success(
            request,
            ngettext("%(count)s other login is ended.", "%(count)s other logins are ended.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("You were not logged in anywhere else."))
    return redirect("logins:logins")
