"""Login through ID-porten or Ansattporten (issue 16), against the local provider in tests/oidc_provider.

The real flow with Django's test client as the browser: the login button, the provider's
authorize page, the callback; the code is exchanged and the keys fetched over HTTP from the
live server. Every way a token or a callback can be wrong is refused with a page in Norwegian,
and the person stays logged out.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.oidc_provider import server
from tilskudd.accounts.models import Role, User
from tilskudd.caselog.selectors import entries_for
from tilskudd.identity.backends import chosen_organisation
from tilskudd.identity.models import Identity

live = pytest.mark.django_db(transaction=True)

KARI = {"pid": "01017012345", "given_name": "Kari", "family_name": "Nordmann"}
REFUSED = "Innloggingen gikk ikke gjennom"


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


# --- logging in ----------------------------------------------------------------------------------


@live
def test_a_first_login_makes_a_user_with_no_role_linked_by_sub_and_records_it(client, oidc_provider):
    response = oidc_provider.log_in(client, **KARI)

    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)
    user = oidc_provider.user_for(pid=KARI["pid"])
    assert int(client.session[SESSION_KEY]) == user.pk
    assert (user.role, user.organisation_id, user.office_id) == (Role.NONE, None, None)
    assert (user.first_name, user.last_name) == ("Kari", "Nordmann")
    assert not user.has_usable_password()
    identity = Identity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.provider) == (
        oidc_provider.issuer,
        server.sub_for(KARI["pid"]),
        "idporten",
    )
    # the national identity number is kept nowhere
    assert KARI["pid"] not in str(list(User.objects.filter(pk=user.pk).values()))
    assert KARI["pid"] not in str(list(Identity.objects.values()))
    log = entries_for(user)
    assert {"user_created_at_login", "identity_linked", "logged_in_with_provider"} <= set(
        log.values_list("kind", flat=True)
    )
    assert all(KARI["pid"] not in entry.detail for entry in log)
    # what the session now says about the login, and the person's list of logins
    assert client.session["login_method"] == "idporten"
    from tilskudd.logins.models import LoginSession

    assert LoginSession.objects.get(user=user).method == "idporten"
    assert client.session["login_acr"] == "idporten-loa-substantial"
    assert "acting_orgnr" not in client.session
    # what was asked of the provider: the code flow with PKCE, state, nonce and the assurance level
    asked = oidc_provider.server.authorize_requests[-1]
    assert asked["acr_values"] == "idporten-loa-substantial"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) >= 43
    assert asked["state"] and asked["nonce"] and asked["ui_locales"] == "nb"
    assert asked["redirect_uri"] == "http://testserver/oidc/callback/"
    exchanged = oidc_provider.server.token_requests[-1]
    assert exchanged["code_verifier"] and exchanged["grant_type"] == "authorization_code"


@live
def test_a_person_with_no_role_sees_the_page_saying_so(client, oidc_provider):
    oidc_provider.log_in(client, **KARI)
    page = client.get("/").content.decode()
    assert "Velkommen, Kari" in page and "invitere deg" in page


@live
def test_the_same_sub_logs_in_to_the_same_user_again(client, oidc_provider):
    oidc_provider.log_in(client, **KARI)
    first = oidc_provider.user_for(pid=KARI["pid"])
    client.post(reverse("accounts:logout"))
    assert not _logged_in(client)

    response = oidc_provider.log_in(client, pid=KARI["pid"])

    assert response.status_code == 302 and int(client.session[SESSION_KEY]) == first.pk
    assert User.objects.filter(identities__isnull=False).count() == 1
    assert entries_for(first).filter(kind="logged_in_with_provider").count() == 2


@live
def test_a_user_with_the_same_name_and_e_mail_but_another_sub_is_not_matched(client, oidc_provider):
    namesake = User.objects.create(
        username="kari", first_name="Kari", last_name="Nordmann", email="kari@trondheim.kommune.no"
    )
    oidc_provider.log_in(client, **KARI, sub="another-persons-sub")

    user = oidc_provider.user_for(sub="another-persons-sub")
    assert user.pk != namesake.pk and int(client.session[SESSION_KEY]) == user.pk
    assert not Identity.objects.filter(user=namesake).exists()


@live
def test_next_survives_the_round_trip_and_only_to_this_site(client, oidc_provider):
    response = oidc_provider.log_in(client, next="/invitasjon/abc123/", **KARI)
    assert response["Location"] == "/invitasjon/abc123/"

    client.post(reverse("accounts:logout"))
    response = oidc_provider.log_in(client, next="https://elsewhere.example/", **KARI)
    assert response["Location"] == "/"


@live
def test_the_login_page_offers_the_provider_and_keeps_next(client, oidc_provider):
    page = client.get(reverse("accounts:login") + "?next=/invitasjon/abc123/").content.decode()
    assert "Logg inn med ID-porten" in page
    assert "/oidc/start/?next=%2Finvitasjon%2Fabc123%2F" in page
    assert 'id="id_password"' in page  # password login is on by default


# --- refused -------------------------------------------------------------------------------------


# Each fault, and the reason the service logs for refusing it (so each is refused for its own reason).
FAULTS = {
    "wrong_audience": "InvalidAudienceError",
    "expired": "ExpiredSignatureError",
    "bad_signature": "InvalidSignatureError",
    "wrong_nonce": "Nonce verification failed",
    "wrong_issuer": "InvalidIssuerError",
    "weak_acr": "assurance level 'idporten-loa-low' is too weak",
}


@live
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_wrong_token_is_refused_and_nobody_is_logged_in(client, oidc_provider, fault, caplog):
    response = oidc_provider.log_in(client, fault=fault, **KARI)

    assert response.status_code == 403
    assert FAULTS[fault] in caplog.text
    body = response.content.decode()
    assert REFUSED in body and "Vi kunne ikke bekrefte innloggingen fra ID-porten" in body
    assert not _logged_in(client)
    assert not Identity.objects.exists() and not User.objects.exists()


@live
def test_a_replayed_callback_is_refused(client, oidc_provider):
    callback = oidc_provider.authorize(client, **KARI)
    assert client.get(callback).status_code == 302 and _logged_in(client)
    client.post(reverse("accounts:logout"))
    client.get(reverse("identity:authenticate"))  # a new login under way: the session has a state again

    response = client.get(callback)

    assert response.status_code == 403 and REFUSED in response.content.decode()
    assert not _logged_in(client)


@live
def test_a_callback_this_browser_did_not_start_is_refused(client, oidc_provider):
    callback = oidc_provider.authorize(client, **KARI)
    stranger = Client()

    response = stranger.get(callback)

    assert response.status_code == 403 and not _logged_in(stranger)
    assert not User.objects.exists()


@live
def test_a_login_that_took_too_long_is_refused(client, oidc_provider, settings):
    callback = oidc_provider.authorize(client, **KARI)
    settings.OIDC_STATE_MAX_AGE = -1
    response = client.get(callback)
    assert response.status_code == 403 and not _logged_in(client)


@live
def test_a_login_cancelled_at_the_provider_says_so(client, oidc_provider):
    response = client.get(oidc_provider.authorize(client, cancel=True, next="/konto/"))
    body = response.content.decode()
    assert response.status_code == 403 and "avbrutt" in body and not _logged_in(client)
    assert "/logg-inn/?next=%2Fkonto%2F" in body  # "try again" keeps where the person was going


@live
def test_a_deactivated_user_cannot_log_in(client, oidc_provider):
    oidc_provider.log_in(client, **KARI)
    client.post(reverse("accounts:logout"))
    User.objects.filter(identities__isnull=False).update(is_active=False)

    response = oidc_provider.log_in(client, **KARI)

    assert response.status_code == 403 and not _logged_in(client)


def test_a_provider_that_cannot_be_reached_gives_a_page_not_an_error(client, settings):
    settings.OIDC_PROVIDER = "idporten"
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.OIDC_RP_CLIENT_ID = "tilskudd"
    from tilskudd.identity import provider

    provider.forget()
    response = client.get(reverse("identity:authenticate"))
    assert response.status_code == 503 and "ID-porten kan ikke nås akkurat nå" in response.content.decode()
    provider.forget()


def test_without_a_provider_the_login_routes_are_not_there_and_the_page_is_as_before(client, db):
    assert client.get(reverse("identity:authenticate")).status_code == 404
    assert client.get(reverse("identity:callback") + "?code=x&state=y").status_code == 404
    page = client.get(reverse("accounts:login")).content.decode()
    assert "ID-porten" not in page and 'id="id_password"' in page and "Har du ikke bruker ennå?" in page


# --- Ansattporten, private_key_jwt, logout ---------------------------------------------------------


@live
def test_an_ansattporten_login_names_the_organisation_chosen(client, oidc_provider):
    oidc_provider.use("ansattporten")
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Logg inn med Ansattporten" in page

    oidc_provider.log_in(client, orgnr="942110464", **KARI)

    assert client.session["login_method"] == "ansattporten"
    assert client.session["login_acr"] == "substantial"
    assert client.session["acting_orgnr"] == "942110464"
    asked = oidc_provider.server.authorize_requests[-1]
    assert asked["acr_values"] == "substantial"
    assert '"type":"ansattporten:altinn:resource"' in asked["authorization_details"]
    user = oidc_provider.user_for(pid=KARI["pid"])
    assert user.role == Role.NONE  # the organisation in the token gives no role by itself


@live
def test_the_client_can_authenticate_with_a_private_key(client, oidc_provider, tmp_path):
    oidc_provider.use("idporten", private_key_file=tmp_path / "client.pem")

    response = oidc_provider.log_in(client, **KARI)

    assert response.status_code == 302 and _logged_in(client)
    exchanged = oidc_provider.server.token_requests[-1]
    assert exchanged["client_assertion_type"].endswith("jwt-bearer") and "client_secret" not in exchanged


@live
def test_a_higher_assurance_level_can_be_required(client, oidc_provider):
    oidc_provider.use("idporten", acr_values="idporten-loa-high")
    oidc_provider.log_in(client, **KARI)
    assert oidc_provider.server.authorize_requests[-1]["acr_values"] == "idporten-loa-high"
    assert client.session["login_acr"] == "idporten-loa-high"


@live
def test_logging_out_ends_the_providers_session_too(client, oidc_provider):
    oidc_provider.log_in(client, **KARI)

    response = client.post(reverse("accounts:logout"))

    assert not _logged_in(client)
    assert response["Location"].startswith(f"{oidc_provider.issuer}/logout?id_token_hint=")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in response["Location"]


def test_a_password_login_says_so_in_the_session(client, cast):
    client.post(reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD})
    assert _logged_in(client) and client.session["login_method"] == "password"
    assert "login_acr" not in client.session


# --- password login switched off ---------------------------------------------------------------


def test_password_login_switched_off_hides_the_form_and_refuses_the_post(client, cast, settings):
    settings.PASSWORD_LOGIN = False
    settings.OIDC_PROVIDER = "idporten"  # the button needs no call to the provider
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Logg inn med ID-porten" in page and 'id="id_password"' not in page and "Glemt passord" not in page

    response = client.post(reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD})
    assert response.status_code == 403 and "slått av" in response.content.decode()
    assert not _logged_in(client)
    # the admin has no password form of its own
    response = client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not _logged_in(client)


# --- Ansattporten's organisation claim -----------------------------------------------------------


def test_the_organisation_is_read_from_every_kind_of_authorization_details():
    resource = [
        {
            "type": "ansattporten:altinn:resource",
            "authorized_parties": [{"orgno": {"authority": "iso6523-actorid-upis", "ID": "0192:314758625"}}],
        }
    ]
    service = [
        {
            "type": "ansattporten:altinn:service",
            "reportees": [{"Authority": "iso6523-actorid-upis", "ID": "0192:987464291", "Name": "DIGDIR"}],
        }
    ]
    orgno = [
        {"type": "ansattporten:orgno", "orgno": {"Authority": "iso6523-actorid-upis", "ID": "0192:942110464"}}
    ]
    assert chosen_organisation({"authorization_details": resource}) == "314758625"
    assert chosen_organisation({"authorization_details": service}) == "987464291"
    assert chosen_organisation({"authorization_details": orgno}) == "942110464"
    assert chosen_organisation({"authorization_details": [{"type": "x", "authorized_parties": []}]}) == ""
    assert chosen_organisation({"authorization_details": "nonsense"}) == ""
    assert chosen_organisation({"authorization_details": [{"reportees": [{"ID": "0192:12345"}]}]}) == ""


def test_the_provider_backend_answers_only_the_callback(rf, settings):
    """A password form posted with ?code=&state= (or any authenticate() call) never reaches the provider."""
    from tilskudd.identity.backends import OIDCBackend

    settings.OIDC_PROVIDER = "idporten"
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # a call to the provider would fail loudly
    request = rf.post("/logg-inn/?code=abc&state=def")
    request.session = {}
    assert OIDCBackend().authenticate(request, username="signer_a", password=PASSWORD) is None
    assert OIDCBackend().authenticate(request) is None
