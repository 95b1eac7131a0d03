"""Assertions shared by many tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """The number of SQL queries serving ``url`` takes (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured.captured_queries)


def assert_queries_constant(client, url: str, grow) -> int:
    """Serve ``url``, call ``grow()`` to add data, serve it again: the query count must not change (P2)."""
    client.get(url)  # warm per-process caches (content types, sessions) out of the count
    before = page_queries(client, url)
    grow()
    after = page_queries(client, url)
    assert before == after, f"{url}: {before} queries on small data, {after} after growing it"
    return after
