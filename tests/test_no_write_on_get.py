"""GET never writes (DESIGN "Reliability and security"): every GET route, as every member of the cast.

Each request runs under a query log; any INSERT, UPDATE or DELETE (other than Django's own
session row, which a page that shows a flash message touches) fails the test. The routes
come from the URL configuration, so a route added later is covered without editing this file.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_authorisation import ROUTES, _target, targets  # noqa: F401 (the fixture)

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
ALLOWED_TABLES = ("django_session",)


def _writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES) and not any(t in q["sql"] for t in ALLOWED_TABLES)
    ]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_no_get_request_writes_to_the_database(client, cast, targets, route):  # noqa: F811
    url = reverse(route.name, kwargs={k: _target(targets, k).value for k in route.kwargs})
    for name, user in {"anonymous": None, **cast.members()}.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        written = _writes(queries)
        assert not written, f"{name}: GET {url} wrote: {written[:3]}"


def test_the_allocation_page_shows_the_default_proposal_without_saving_it(client_for, cast):
    from tests.factories import make_round
    from tilskudd.assessment.models import Scenario

    round = make_round(cast.office_t)
    response = client_for(cast.officer_t).get(reverse("assessment:allocation", args=[round.pk]))
    assert response.status_code == 200 and "Forslag" in response.content.decode()
    assert not Scenario.objects.filter(round=round).exists()
