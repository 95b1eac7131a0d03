"""Account hygiene (issue 16): logins end after inactivity and at a maximum age, and a person sees
and ends their own active logins.

Time is moved by changing the login's stored timestamps, never by sleeping.
"""

import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import make_application, make_round
from tests.helpers import assert_queries_constant
from tilskudd.accounts.models import User
from tilskudd.applications.models import Application
from tilskudd.caselog.models import Entry
from tilskudd.logins import devices, tracking
from tilskudd.logins.models import LoginSession

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"
PAGE = "/konto/okter/"


def make_login(user, *, address="198.51.100.9", browser="Firefox", system="Linux", **fields) -> LoginSession:
    """A login row as a login in another browser would make it (its session key is never seen)."""
    now = timezone.now()
    return LoginSession.objects.create(
        user=user,
        key_digest=tracking.digest(secrets.token_urlsafe(24)),
        started_at=fields.pop("started_at", now),
        last_seen_at=fields.pop("last_seen_at", now),
        address=address,
        browser=browser,
        system=system,
        **fields,
    )


def log_in(username, *, address="127.0.0.1", agent=FIREFOX_WINDOWS) -> Client:
    """A browser of its own, logged in through the login page."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def row_of(client) -> LoginSession:
    return LoginSession.objects.get(key_digest=tracking.digest(client.session.session_key))


def age(client, **stored):
    """Move this login's stored times into the past: ``age(client, last_seen_at=timedelta(minutes=40))``."""
    now = timezone.now()
    LoginSession.objects.filter(pk=row_of(client).pk).update(**{k: now - v for k, v in stored.items()})


def message_after(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- What a login records ----------------------------------------------------------------------


def test_logging_in_records_device_address_and_method_but_not_the_session_key(cast):
    client = log_in("signer_a", address="203.0.113.7", agent=CHROME_ANDROID)
    key = client.session.session_key
    login = LoginSession.objects.get(user=cast.signer_a)
    assert (login.browser, login.system, login.device) == ("Chrome", "Android", "Chrome på Android")
    assert login.address == "203.0.113.7" and login.method == "password"
    assert login.method_label == "passord"
    assert key not in login.key_digest and login.key_digest == tracking.digest(key)


def test_the_login_method_is_taken_from_the_session(cast):
    client = Client()
    session = client.session
    session["login_method"] = "idporten"  # as the OpenID Connect login sets it before logging in
    session.save()
    client.cookies["sessionid"] = session.session_key
    client.post(reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD})
    assert client.session.session_key != session.session_key  # a new key at login: no session fixation
    assert not Session.objects.filter(session_key=session.session_key).exists()
    assert LoginSession.objects.get(user=cast.signer_a).method_label == "ID-porten"
    assert "ID-porten" in client.get(PAGE).content.decode()


def test_logging_out_removes_the_login(cast):
    client = log_in("signer_a")
    client.post(reverse("accounts:logout"))
    assert not LoginSession.objects.exists()


def test_logging_in_as_someone_else_in_the_same_browser_tracks_the_new_login(cast):
    client = log_in("signer_a")
    # Another person logs in in the same browser (Django's login() over an existing session, as the
    # ID-porten callback does): the browser's login is now theirs.
    client.force_login(cast.admin)
    assert row_of(client).user == cast.admin


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_ANDROID, ("Chrome", "Android")),
        (FIREFOX_WINDOWS, ("Firefox", "Windows")),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            ("Edge", "Windows"),
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            ("Safari", "iPhone"),
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Safari/605.1.15",
            ("Safari", "macOS"),
        ),
        ("curl/8.5.0", ("", "")),
        (None, ("", "")),
    ],
)
def test_the_device_is_named_roughly_from_the_user_agent(agent, expected):
    assert devices.parse(agent) == expected


# --- Inactivity and age ------------------------------------------------------------------------


def test_a_login_idle_longer_than_the_limit_is_sent_to_log_in_again_and_told_why(cast):
    client = log_in("signer_a")
    session_key = client.session.session_key
    age(client, last_seen_at=timedelta(minutes=32))
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PAGE}"
    login_page = client.get(response["Location"])
    assert "Du ble logget ut fordi du ikke hadde gjort noe på 30 minutter." in message_after(login_page)
    assert not LoginSession.objects.exists()
    assert not Session.objects.filter(session_key=session_key).exists()  # gone from the session store


def test_a_login_used_within_the_limit_goes_on_and_is_seen(cast):
    client = log_in("signer_a")
    age(client, last_seen_at=timedelta(minutes=29))
    assert client.get(PAGE).status_code == 200
    assert timezone.now() - row_of(client).last_seen_at < timedelta(seconds=30)


def test_the_idle_limit_is_a_setting(cast, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = log_in("signer_a")
    age(client, last_seen_at=timedelta(minutes=7))
    response = client.get(PAGE, follow=True)
    assert "ikke hadde gjort noe på 5 minutter" in message_after(response)


def test_a_login_ends_at_the_maximum_age_however_busy(cast):
    client = log_in("signer_a")
    age(client, started_at=timedelta(hours=12, minutes=1))  # last seen just now
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert "Du ble logget ut fordi du hadde vært logget inn i 12 timer." in message_after(response)
    assert not LoginSession.objects.exists()


def test_a_form_sent_after_expiry_saves_nothing_and_the_login_page_says_so(cast):
    application = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    url = reverse("applications:application_detail", args=[application.pk])
    client = log_in("signer_a")
    age(client, last_seen_at=timedelta(minutes=45))
    response = client.post(url, {"contact_name": "Skrevet 23:40", "version": application.version})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    login_page = client.get(response["Location"])
    text = message_after(login_page)
    assert "ikke hadde gjort noe på 30 minutter" in text
    assert "Det du sendte, ble ikke lagret" in text and "Det som var lagret før, er tatt vare på." in text
    assert Application.objects.get(pk=application.pk).contact_name == "Kari Kontakt"  # the draft as saved


def test_an_autosave_after_expiry_says_so_in_the_form_and_leaves_the_page(cast):
    """Typing at 23:40 after a long pause: the page with what was typed stays, and says it was not saved."""
    application = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    url = reverse("applications:application_detail", args=[application.pk])
    client = log_in("signer_a")
    age(client, last_seen_at=timedelta(minutes=45))
    data = {"contact_name": "Skrevet 23:40", "version": application.version}
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{url}?check=1"}
    response = client.post(url, data, **headers)
    body = response.content.decode()
    assert response.status_code == 200 and "save-status--error" in body
    assert "ikke hadde gjort noe på 30 minutter" in body and "ble ikke lagret" in body
    assert "Kopier det du har skrevet" in body
    assert f'href="{reverse("accounts:login")}?next={url}%3Fcheck%3D1"' in body  # back to the page
    again = client.post(url, data, **headers).content.decode()  # the next autosave: simply not logged in
    assert "Ikke lagret: du er ikke logget inn lenger." in again and "<form" not in again
    assert Application.objects.get(pk=application.pk).contact_name == "Kari Kontakt"


def test_a_public_page_after_expiry_is_shown_logged_out_with_the_reason(cast):
    client = log_in("signer_a")
    age(client, last_seen_at=timedelta(minutes=31, seconds=30))
    response = client.get(reverse("rounds:round_list"))
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "ikke hadde gjort noe på 30 minutter" in message_after(response)


def test_reading_pages_writes_the_last_seen_time_at_most_once_a_minute(cast):
    client = log_in("signer_a")
    client.get(PAGE)
    with CaptureQueriesContext(connection) as within_a_minute:
        client.get(reverse("home:home"))
    assert not [
        q for q in within_a_minute if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    age(client, last_seen_at=timedelta(seconds=61))
    with CaptureQueriesContext(connection) as after_a_minute:
        client.get(reverse("home:home"))
    writes = [
        q["sql"]
        for q in after_a_minute
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert len(writes) == 1 and "logins_loginsession" in writes[0] and "last_seen_at" in writes[0]


def test_clear_sessions_removes_ended_logins_and_expired_sessions(cast):
    fresh = make_login(cast.signer_a)
    idle = make_login(cast.signer_a, last_seen_at=timezone.now() - timedelta(hours=1))
    old = make_login(cast.signer_a, started_at=timezone.now() - timedelta(hours=13))
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    call_command("clear_sessions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(LoginSession.objects.all()) == [fresh]
    assert not LoginSession.objects.filter(pk__in=[idle.pk, old.pk]).exists()
    assert not Session.objects.filter(session_key="x" * 32).exists()


# --- The person's list ------------------------------------------------------------------------


def test_the_page_lists_only_the_persons_own_logins_and_marks_this_device(cast):
    phone = log_in("signer_a", address="203.0.113.7", agent=CHROME_ANDROID)
    pc = log_in("signer_a", address="203.0.113.8", agent=FIREFOX_WINDOWS)
    log_in("applicant_a", address="203.0.113.99")
    make_login(
        cast.signer_a, address="203.0.113.50", last_seen_at=timezone.now() - timedelta(hours=2)
    )  # ended
    body = pc.get(PAGE).content.decode()
    assert "Aktive innlogginger" in body
    assert "203.0.113.7" in body and "Chrome på Android" in body
    assert "203.0.113.8" in body and "Firefox på Windows" in body
    assert "203.0.113.99" not in body and "203.0.113.50" not in body
    assert body.count("denne enheten") == 1
    assert body.index("203.0.113.8") < body.index("203.0.113.7")  # this device first
    assert f'action="{reverse("logins:end", args=[row_of(phone).pk])}"' in body
    assert f'action="{reverse("logins:end", args=[row_of(pc).pk])}"' not in body


def test_the_account_page_links_to_the_page(client_for, cast):
    body = client_for(cast.signer_a).get(reverse("accounts:account")).content.decode()
    assert f'href="{PAGE}"' in body


def test_ending_another_login_logs_that_browser_out(cast):
    pc = log_in("signer_a")
    phone = log_in("signer_a", agent=CHROME_ANDROID)
    phone_key = phone.session.session_key
    response = pc.post(reverse("logins:end", args=[row_of(phone).pk]), follow=True)
    assert "Innloggingen er avsluttet" in message_after(response)
    assert "Chrome på Android" not in response.content.decode()
    entry = Entry.objects.get(kind="login_ended")
    assert entry.actor == cast.signer_a and "Chrome på Android" in entry.detail
    answer = phone.get(reverse("home:home"), follow=True)
    assert not answer.wsgi_request.user.is_authenticated
    assert "denne innloggingen er avsluttet" in message_after(answer)
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert pc.get(PAGE).status_code == 200  # the one that ended it goes on


def test_ending_someone_elses_login_is_refused(client_for, cast):
    theirs = make_login(cast.applicant_a)
    client = client_for(cast.signer_a)
    url = reverse("logins:end", args=[theirs.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404
    assert LoginSession.objects.filter(pk=theirs.pk).exists()
    assert not Entry.objects.filter(kind="login_ended").exists()


def test_ending_all_other_logins_keeps_this_one(cast):
    pc = log_in("signer_a")
    others = [log_in("signer_a", agent=CHROME_ANDROID), log_in("signer_a")]
    colleague = log_in("applicant_a")
    response = pc.post(reverse("logins:end_others"), follow=True)
    assert "2 andre innlogginger er avsluttet." in message_after(response)
    for other in others:
        assert not other.get(reverse("home:home")).wsgi_request.user.is_authenticated
    assert pc.get(PAGE).wsgi_request.user == cast.signer_a
    assert colleague.get(PAGE).wsgi_request.user == cast.applicant_a
    assert list(LoginSession.objects.filter(user=cast.signer_a)) == [row_of(pc)]
    assert Entry.objects.get(kind="other_logins_ended").actor == cast.signer_a


def test_a_new_password_ends_every_login(cast):
    phone = log_in("signer_a", agent=CHROME_ANDROID)
    pc = log_in("signer_a")
    stranger = Client()
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(cast.signer_a.pk)),
            # made after the logins above: a reset token covers the time of the last login
            "token": default_token_generator.make_token(User.objects.get(pk=cast.signer_a.pk)),
        },
    )
    form = stranger.get(link, follow=True)
    new = "a brand new stapler for Trondheim"
    done = stranger.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert not LoginSession.objects.filter(user=cast.signer_a).exists()
    for client in (phone, pc):
        assert not client.get(reverse("home:home")).wsgi_request.user.is_authenticated
    entry = Entry.objects.get(kind="other_logins_ended")
    assert entry.reason == "nytt passord"


def test_changing_ones_password_in_the_admin_keeps_one_logged_in(cast):
    """Django gives the session a new key when the password changes there: the login follows it."""
    admin = log_in("admin")
    new = "a brand new stapler for the admin"
    response = admin.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert admin.get(PAGE).status_code == 200
    assert row_of(admin).user == cast.admin


def test_the_page_writes_nothing_but_the_session(cast):
    client = log_in("signer_a")
    make_login(cast.signer_a)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert all("django_session" in sql for sql in writes), writes


def test_P2_the_page_queries_are_constant_in_the_number_of_logins(cast):
    client = log_in("signer_a")
    make_login(cast.signer_a)
    assert_queries_constant(client, PAGE, lambda: [make_login(cast.signer_a) for _ in range(20)])
