"""The login page's button for the identity provider (the page is the accounts app's)."""

from urllib.parse import urlencode

from django.urls import reverse

from tilskudd.accounts.panels import LOGIN
from tilskudd.identity import provider
from tilskudd.ui.panels import Panel


@LOGIN.provide(order=10)
def provider_button(request, next_url, state):
    if not provider.enabled():
        return None
    href = reverse("identity:authenticate")
    if next_url:
        href += "?" + urlencode({"next": next_url})
    return Panel("identity/_login_button.html", {"href": href, "provider_name": provider.name()})
