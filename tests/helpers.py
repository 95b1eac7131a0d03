"""Assertions shared by many tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """The number of SQL queries serving ``url`` takes (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries)


def assert_queries_constant(client, url: str, grow, *, forget=None) -> int:
    """Serve ``url``, call ``grow()`` to add data, serve it again: the query count must not change (P2).

    Each count is of a page served once before (per-process caches warm). A page that keeps what it
    computed per state of its data (the allocation page) passes ``forget``, which empties that cache:
    then the page's first view after a change is counted too, before and after growing.
    """
    client.get(url)  # warm per-process caches (content types, sessions) out of the count
    before = page_queries(client, url)
    before_cold = _forgotten(client, url, forget)
    grow()
    client.get(url)
    after = page_queries(client, url)
    after_cold = _forgotten(client, url, forget)
    assert before == after, f"{url}: {before} queries on small data, {after} after growing it"
    assert before_cold == after_cold, (
        f"{url}, computed afresh: {before_cold} queries on small data, {after_cold} after growing it"
    )
    return after


def _forgotten(client, url: str, forget) -> int | None:
    if forget is None:
        return None
    forget()
    return page_queries(client, url)


def app_code(key_hex: str, *, steps: int = 0) -> str:
    """What an authenticator app shows now for this secret (``steps`` later: +1 is the next code)."""
    from binascii import unhexlify

    from django_otp.oath import totp

    return f"{totp(unhexlify(key_hex), drift=steps):06d}"


def verified_app(user):
    """A confirmed authenticator app for ``user`` (a new one: no code of it used yet)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)
