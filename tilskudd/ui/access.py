"""Route-level access markers.

Every view is either marked ``@public`` (anyone, not logged in) or wrapped in a login
requirement; the authorisation test enumerates the URL configuration and checks that
unmarked routes refuse anonymous visitors, so forgetting the decorator fails a test.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect


def public(view):
    view.is_public = True
    return view


def role_required(*roles):
    """Logged in, and holding one of ``roles``; others get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def post_action(page):
    """A POST-only action that answers a GET (a reload, a bookmark, a shared link) by going to its page.

    Never the browser's bare "405": a person who reloads after a form lands on the page the
    action belongs to. ``page(request, **kwargs)`` makes the same permission-checked fetch the
    action makes (so a stranger still gets 403 or 404) and returns that page's URL.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                return redirect(page(request, **kwargs))
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
