"""Login throttling behind a proxy, the per-username lock, and password reset by e-mail.

Two locks guard the login: axes' lock on a username + address pair (five failures),
and a gentler lock on a username whatever the address (twenty failures within an
hour lock it for 15 minutes). Which address a request comes from is REMOTE_ADDR
unless TRUSTED_PROXY_COUNT says how many proxies of ours append to X-Forwarded-For.
"""

import re
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new stapler for Trondheim"


def _login(client, username, password, address="127.0.0.1", **headers):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def _fail_from_many_addresses(client, username, count):
    """``count`` wrong passwords for ``username``, each from its own address; the last response."""
    response = None
    for i in range(count):
        response = _login(client, username, "wrong", address=f"192.0.2.{i + 1}")
    return response


@pytest.fixture
def clock():
    """``clock.forward(minutes=16)``: move the time everybody reads through django.utils.timezone."""
    real_now = timezone.now
    offset = timedelta()

    class Clock:
        def forward(self, **delta):
            nonlocal offset
            offset += timedelta(**delta)

    with mock.patch("django.utils.timezone.now", lambda: real_now() + offset):
        yield Clock()


@pytest.fixture
def tasks_run_at_once(settings):
    """The reset e-mail is sent by the background worker; here it runs inside the request."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def signer_with_email(cast):
    cast.signer_a.email = "leder@trondheim.kommune.example"
    cast.signer_a.save(update_fields=["email"])
    return cast.signer_a


# --- Which address a request comes from -------------------------------------------


def test_a_spoofed_forwarded_for_header_does_not_change_the_address_by_default(client, cast, settings):
    """Off by default: an attacker cannot escape the pair lock by inventing addresses, nor lock
    out someone else's address. (This one is a guard: axes without django-ipware already used
    REMOTE_ADDR; the setting must keep it so.)"""
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "signer_a", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    response = _login(client, "signer_a", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert response.status_code == 429


def test_behind_trusted_proxies_the_address_is_the_one_the_outermost_proxy_saw(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for i in range(settings.AXES_FAILURE_LIMIT):
        # whatever the client puts on the left, the proxy appends the address it saw
        _login(client, "signer_a", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    locked = _login(client, "signer_a", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    # the same person behind the same proxy, from another address, is not locked out
    other = _login(client, "signer_a", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # off: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left-most entry is the client's own say
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.1", "203.0.113.7"),  # two proxies: second entry from the right
        (2, "203.0.113.7", "10.0.0.2"),  # fewer entries than proxies: not through our proxies
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_counts_trusted_hops_from_the_right(settings, count, forwarded_for, expected):
    from tilskudd.accounts.throttle import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


# --- The per-username lock ---------------------------------------------------------


def test_twenty_failures_from_twenty_addresses_lock_the_username(client, cast, settings):
    assert settings.LOGIN_USERNAME_FAILURE_LIMIT == 20
    last = _fail_from_many_addresses(client, "signer_a", 20)
    assert last.status_code == 429  # the failure that locks shows the lockout page, as axes' lock does
    response = _login(client, "signer_a", PASSWORD, address="198.51.100.1")
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    # another person logging in from the same addresses is not affected
    assert _login(client, "signer_b", PASSWORD, address="192.0.2.1").status_code == 302


def test_nineteen_failures_do_not_lock_the_username_the_twentieth_does(client, cast):
    _fail_from_many_addresses(client, "signer_a", 19)
    assert _login(client, "signer_a", PASSWORD, address="198.51.100.1").status_code == 302
    client.logout()
    # a successful login does not wipe the count: a slow guesser would otherwise start afresh
    assert _login(client, "signer_a", "wrong", address="198.51.100.2").status_code == 429


def test_an_unknown_username_is_locked_just_like_a_real_one(client, cast):
    """A lock (or its absence) must not tell anyone whether a username exists."""
    real = [_login(client, "signer_a", "wrong", address=f"192.0.2.{i}").status_code for i in range(1, 22)]
    unknown = [
        _login(client, "nobody_here", "wrong", address=f"192.0.2.{i}").status_code for i in range(1, 22)
    ]
    assert real == unknown == [200] * 19 + [429, 429]


def test_the_username_lock_expires_after_fifteen_minutes(client, cast, clock):
    _fail_from_many_addresses(client, "signer_a", 20)
    clock.forward(minutes=14)
    assert _login(client, "signer_a", PASSWORD, address="198.51.100.1").status_code == 429
    clock.forward(minutes=2)
    response = _login(client, "signer_a", PASSWORD, address="198.51.100.2")
    assert response.status_code == 302
    assert response.wsgi_request.user == cast.signer_a


def test_only_failures_within_the_last_hour_count(client, cast, clock):
    _fail_from_many_addresses(client, "signer_a", 19)
    clock.forward(minutes=61)
    assert _fail_from_many_addresses(client, "signer_a", 19).status_code == 200
    assert _login(client, "signer_a", "wrong", address="198.51.100.1").status_code == 429


@pytest.mark.parametrize("lock", ["pair", "username"])
def test_a_locked_out_person_gets_the_lockout_page_with_a_way_out(client, cast, settings, lock):
    if lock == "pair":
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _login(client, "signer_a", "wrong")
    else:
        _fail_from_many_addresses(client, "signer_a", settings.LOGIN_USERNAME_FAILURE_LIMIT)
    response = _login(client, "signer_a", PASSWORD, address="127.0.0.1")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Glemt passord?" in body
    assert reverse("accounts:password_reset") in body


# --- Password reset by e-mail -------------------------------------------------------


def test_the_login_page_links_to_password_reset(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in body
    assert "Glemt passord?" in body


def test_a_password_is_reset_by_following_the_link_in_the_email(
    client, signer_with_email, tasks_run_at_once, mailoutbox
):
    page = client.get(reverse("accounts:password_reset"))
    assert page.status_code == 200
    assert 'class="ds-input"' in page.content.decode()

    response = client.post(reverse("accounts:password_reset"), {"email": "Leder@Trondheim.kommune.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["leder@trondheim.kommune.example"]
    assert "Nytt passord" in mail.subject
    assert "signer_a" in mail.body
    link = re.search(r"http://testserver(/\S+)", mail.body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    assert _login(client, "signer_a", PASSWORD).status_code == 200  # the old one no longer works
    response = _login(client, "signer_a", NEW_PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user == signer_with_email

    # the link works once
    client.logout()
    assert client.get(link).status_code == 404


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    client, signer_with_email, tasks_run_at_once, mailoutbox
):
    known = client.post(reverse("accounts:password_reset"), {"email": signer_with_email.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mailoutbox] == [[signer_with_email.email]]


def test_reset_emails_to_one_address_are_limited(client, signer_with_email, tasks_run_at_once, mailoutbox):
    for i in range(4):
        response = client.post(
            reverse("accounts:password_reset"),
            {"email": signer_with_email.email},
            REMOTE_ADDR=f"192.0.2.{i + 1}",
        )
        # the fourth is answered as usual: nothing tells that the address is known, or limited
        assert response.status_code == 302
    assert len(mailoutbox) == 3


def test_reset_requests_from_one_address_are_limited(
    client, signer_with_email, tasks_run_at_once, mailoutbox
):
    for i in range(10):
        response = client.post(reverse("accounts:password_reset"), {"email": f"someone{i}@example.org"})
        assert response.status_code == 302
    # a made-up X-Forwarded-For does not make a new address
    response = client.post(
        reverse("accounts:password_reset"),
        {"email": signer_with_email.email},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 429
    assert "registration/password_reset_throttled.html" in [t.name for t in response.templates]
    assert mailoutbox == []
    # another address may still ask
    other = client.post(
        reverse("accounts:password_reset"), {"email": signer_with_email.email}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302
    assert len(mailoutbox) == 1


def test_reset_limits_are_lifted_after_an_hour(
    client, signer_with_email, tasks_run_at_once, mailoutbox, clock
):
    for _ in range(4):
        client.post(reverse("accounts:password_reset"), {"email": signer_with_email.email})
    assert len(mailoutbox) == 3
    clock.forward(minutes=61)
    client.post(reverse("accounts:password_reset"), {"email": signer_with_email.email})
    assert len(mailoutbox) == 4


def test_a_new_password_lifts_the_login_locks(
    client, signer_with_email, tasks_run_at_once, mailoutbox, settings
):
    _fail_from_many_addresses(client, "signer_a", settings.LOGIN_USERNAME_FAILURE_LIMIT)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "signer_a", "wrong")
    assert _login(client, "signer_a", PASSWORD).status_code == 429

    client.post(reverse("accounts:password_reset"), {"email": signer_with_email.email})
    link = re.search(r"http://testserver(/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert _login(client, "signer_a", NEW_PASSWORD).status_code == 302


def test_a_link_that_does_not_work_says_so(client, signer_with_email):
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "made-up-token"})
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Lenken virker ikke" in body
    assert reverse("accounts:password_reset") in body
