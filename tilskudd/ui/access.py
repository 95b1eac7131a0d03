"""Route-level access markers.

Every view is either marked ``@public`` (anyone, not logged in) or wrapped in a login
requirement; the authorisation test enumerates the URL configuration and checks that
unmarked routes refuse anonymous visitors, so forgetting the decorator fails a test.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


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
