"""The ``oidc_provider`` fixture: the service logs in through a local OpenID provider on the live server.

Nothing leaves the machine: the provider (``server.py``) is served by pytest-django's live
server under ``/test-oidc/``, and the service is configured exactly as for ID-porten or
Ansattporten in production, only with this issuer: it reads the provider's
``.well-known/openid-configuration``, sends the browser to its authorize page, exchanges
the code at its token endpoint over HTTP and checks the ID token against its JWKS.

In a browser test (``tests/browser``), the real flow::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_a_colleague_logs_in(page, oidc_provider):
        page.goto(page.base_url + "/invitasjon/<token>/")       # -> the login page, with next
        page.click("text=Logg inn med ID-porten")
        oidc_provider.log_in_in_browser(page, pid="01017012345", given_name="Kari", family_name="Nordmann")
        # back at the invitation, logged in as Kari's (new) user
        user = oidc_provider.user_for(pid="01017012345")

For Ansattporten, call ``oidc_provider.use("ansattporten")`` first and pass ``orgnr=`` (the
organisation Kari chose in its picker: the session gets ``acting_orgnr``).

With Django's test client (no browser, still over the live server for the back channel)::

    response = oidc_provider.log_in(client, pid="01017012345", next="/min-side/")
    callback = oidc_provider.authorize(client, pid=...)   # just the callback URL, to replay or tamper with

``fault="expired"`` (or ``wrong_audience``, ``bad_signature``, ``wrong_nonce``, ``wrong_issuer``,
``weak_acr``) makes the provider's next token wrong that way. ``oidc_provider.server`` is the
provider's state: the authorization and token requests it saw, its logouts.

The test must allow the live server: ``django_db(transaction=True)``. The same person (pid)
always gets the same ``sub``; pass ``sub=`` to choose one.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from tests.oidc_provider import server
from tests.oidc_provider.urls import PREFIX
from tilskudd.identity import provider as service_provider

ANSATTPORTEN_DETAILS = (
    '[{"type":"ansattporten:altinn:resource","resource":"urn:altinn:resource:tilskudd_test"}]'
)


class LocalProvider:
    def __init__(self, settings, base_url: str):
        self.settings = settings
        self.base_url = base_url.rstrip("/")
        self.issuer = f"{self.base_url}/{PREFIX}"
        self.server = server.PROVIDER
        settings.ROOT_URLCONF = "tests.oidc_provider.urls"
        self.use("idporten")

    def use(self, kind: str = "idporten", *, acr_values: str = "", private_key_file=None) -> "LocalProvider":
        """Configure the service for this provider as ``kind`` ("idporten" or "ansattporten").

        ``private_key_file``: a path to write a fresh client key to; the service then
        authenticates with private_key_jwt (the provider knows the public half) instead of
        client_secret_post.
        """
        self.server.reset(self.issuer, kind)
        s = self.settings
        s.OIDC_PROVIDER = kind
        s.OIDC_ISSUER = self.issuer
        s.OIDC_DISCOVERY_URL = ""
        s.OIDC_OP_AUTHORIZATION_ENDPOINT = s.OIDC_OP_TOKEN_ENDPOINT = ""
        s.OIDC_OP_JWKS_ENDPOINT = s.OIDC_OP_LOGOUT_ENDPOINT = ""
        s.OIDC_RP_CLIENT_ID = server.CLIENT_ID
        s.OIDC_RP_CLIENT_SECRET = server.CLIENT_SECRET
        s.OIDC_CLIENT_AUTH_METHOD = "client_secret_post"
        s.OIDC_ACR_VALUES = acr_values
        s.OIDC_AUTHORIZATION_DETAILS = ANSATTPORTEN_DETAILS if kind == "ansattporten" else ""
        if private_key_file is not None:
            key = server._new_key()
            private_key_file.write_bytes(server.pem(key))
            self.server.client_public_key = key.public_key()
            s.OIDC_CLIENT_AUTH_METHOD = "private_key_jwt"
            s.OIDC_RP_CLIENT_SECRET = ""
            s.OIDC_RP_PRIVATE_KEY_FILE = str(private_key_file)
            s.OIDC_RP_PRIVATE_KEY_ID = "test-client-key"
        service_provider.forget()
        return self

    # --- with Django's test client -------------------------------------------------------

    def authorize(self, client, *, next: str | None = None, cancel: bool = False, **person) -> str:
        """Start at the login button, log in at the provider as ``person``; the callback URL it sends back."""
        start = reverse("identity:authenticate") + (f"?{urlencode({'next': next})}" if next else "")
        response = client.get(start)
        assert response.status_code == 302, response.content[:500]
        location = urlsplit(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{self.issuer}/authorize"
        shown = client.get(response["Location"])
        assert shown.status_code == 200, shown.content[:500]
        form = dict(parse_qsl(location.query), **({"cancel": "1"} if cancel else {"login": "1"}), **person)
        answer = client.post(f"{self.issuer}/authorize", form)
        assert answer.status_code == 302, answer.content[:500]
        return answer["Location"]

    def log_in(self, client, *, next: str | None = None, **person):
        """The whole flow; the response of the service's callback (a redirect when logged in)."""
        return client.get(self.authorize(client, next=next, **person))

    # --- in the browser ------------------------------------------------------------------

    def log_in_in_browser(self, page, *, cancel: bool = False, **person) -> None:
        """On the provider's page (after the service's login button): fill in the person, log in."""
        page.wait_for_url(f"{self.issuer}/authorize**")
        for name, value in person.items():
            if name == "fault":
                page.select_option("#fault", value)
            else:
                page.fill(f"#{name}", value)
        page.click("button[name=cancel]" if cancel else "button[name=login]")

    # --- what came of it -----------------------------------------------------------------

    def user_for(self, *, pid: str = "", sub: str = ""):
        """The service's user linked to this person's identifier at this provider, or None."""
        from tilskudd.identity.models import Identity

        found = Identity.objects.filter(issuer=self.issuer, subject=sub or server.sub_for(pid)).first()
        return found.user if found else None


@pytest.fixture
def oidc_provider(live_server, settings):
    """The service configured to log in through the local provider on the live server (see module doc)."""
    local = LocalProvider(settings, live_server.url)
    yield local
    service_provider.forget()
