"""Username and password, as Django checks them, unless PASSWORD_LOGIN is off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    """Django's ModelBackend that checks no password while ``PASSWORD_LOGIN`` is False.

    The one switch for every password form: the login page, the Django admin's login, and
    anything else that calls ``authenticate(username=..., password=...)``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
