"""Login throttling behind a proxy.

Which address a request comes from is REMOTE_ADDR unless TRUSTED_PROXY_COUNT says how
many proxies of ours append to X-Forwarded-For.
"""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

PASSWORD = "correct horse battery staple"


def _login(client, username, password, address="127.0.0.1", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


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
