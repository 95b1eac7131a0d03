"""schemathesis fuzzes the API from its live OpenAPI document (issue 15, DESIGN "Reliability").

The document is fetched from /api/v1/openapi.json through Django's WSGI application (no network),
and every operation gets generated requests, each sent with the token of a member of the cast
drawn at random (and sometimes none). schemathesis's checks run on every response: no server
error, status codes, content types, headers and bodies as the document says.
"""

import os

import pytest
import schemathesis
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import make_round, submitted_application
from tilskudd.api.services import create_token

pytestmark = pytest.mark.django_db

# Per operation; the count is printed when the test runs with -s. API_FUZZ_EXAMPLES=200 for a deeper run.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "25"))


@pytest.fixture
def wsgi():
    """Django's WSGI application, keeping the test's database connection open between requests.

    As Django's test client does: the handler closes "old" connections at each request's start
    and end, which would close the test transaction's connection.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(cast, settings):
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PER_ADDRESS = "1000000/min"
    settings.ALLOWED_HOSTS = ["*"]
    caches["shared"].clear()
    round = make_round(cast.office_t)
    submitted_application(make_round(cast.office_t, year=2026), cast.kommune_a, by=cast.signer_a)
    tokens = {
        name: create_token(user=user, name="fuzz", scope="write", days=1)[1]
        for name, user in cast.members().items()
    }
    return round, tokens


def test_schemathesis_finds_no_server_error_and_no_response_that_breaks_the_schema(wsgi, world, capsys):
    _round, tokens = world
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)
    people = [None, *tokens.values()]
    count = 0
    operations = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations.append(f"{operation.method.upper()} {operation.path}")

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), token=st.sampled_from(people))
        def fuzz(case, token):
            nonlocal count
            count += 1
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            # Requests the schema allows but the rules refuse (an unknown cursor, an education type
            # that is not one, a line kind the round does not allow) get 400/409/422 by design, so
            # "schema-valid data must be accepted" does not apply; every other check does.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        fuzz()
    with capsys.disabled():
        print(f"\nschemathesis: {count} generated cases over {len(operations)} operations")
    assert len(operations) >= 15
