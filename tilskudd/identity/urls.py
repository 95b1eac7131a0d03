"""Register ``https://<host>/oidc/callback/`` as the redirect URI at Digdir's self-service (README)."""

from django.urls import path

from tilskudd.identity import views
from tilskudd.ui.access import public

app_name = "identity"
urlpatterns = [
    path("oidc/start/", public(views.AuthenticateView.as_view()), name="authenticate"),
    path("oidc/callback/", public(views.CallbackView.as_view()), name="callback"),
]
