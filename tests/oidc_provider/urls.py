"""The service's URLs plus the local provider's, under /test-oidc/: the tests' ROOT_URLCONF while
``oidc_provider`` is in use (so the live server serves both)."""

from django.urls import path

from tests.oidc_provider import server
from tilskudd.urls import urlpatterns as service

PREFIX = "test-oidc"

urlpatterns = [
    path(f"{PREFIX}/.well-known/openid-configuration", server.well_known, name="test_oidc_well_known"),
    path(f"{PREFIX}/authorize", server.authorize, name="test_oidc_authorize"),
    path(f"{PREFIX}/token", server.token, name="test_oidc_token"),
    path(f"{PREFIX}/jwks", server.jwks, name="test_oidc_jwks"),
    path(f"{PREFIX}/logout", server.logout, name="test_oidc_logout"),
    *service,
]
