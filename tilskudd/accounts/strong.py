"""Whether this request's login is strong: ``request.user.strong_login``.

A login is strong when the session passed the second step (django-otp's ``is_verified()``: a
code from the person's authenticator app or a recovery code), or when it came from ID-porten or
Ansattporten at a level in STRONG_LOGIN_ACR (the OpenID Connect login writes the level into the
session as ``login_acr``). Approval services refuse anything else (``access.require_strong_login``).

The middleware runs after AuthenticationMiddleware and django-otp's OTPMiddleware and, like them,
works lazily: a request that never looks at ``request.user`` costs nothing. A user object that did
not come through here (a command, an API token, a test) keeps the model's ``strong_login = False``.
A refusal that reaches the top of a view becomes a page saying how to log in with two steps.
"""

import functools

from django.conf import settings
from django.shortcuts import render
from django.utils.functional import LazyObject, SimpleLazyObject

from tilskudd.accounts.access import SecondFactorRequired, second_factor_required
from tilskudd.accounts.twofactor import has_second_factor

LOGIN_ACR_SESSION_KEY = "login_acr"


def is_strong(request, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return True
    return request.session.get(LOGIN_ACR_SESSION_KEY) in settings.STRONG_LOGIN_ACR


class StrongLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(functools.partial(self._mark, request, user))
        return self.get_response(request)

    @staticmethod
    def _mark(request, user):
        strong = is_strong(request, user)  # evaluates the lazy users of the middlewares before
        while isinstance(user, LazyObject):
            user = user._wrapped
        user.strong_login = strong
        return user

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorRequired):
            return render(
                request,
                "twofactor/required.html",
                {
                    "has_device": has_second_factor(request.user),
                    "required": second_factor_required(request.user),
                    "next": request.get_full_path() if request.method == "GET" else "",
                },
                status=403,
            )
        return None
