"""The API's authorisation matrix, derived from its own OpenAPI document (issue 15).

Every operation the API describes is called by every member of the cast with their own
token (and anonymously), with objects owned by Trondheim kommune / Statsforvalteren i
Trøndelag in the path. An endpoint added later is covered without editing this file;
a path parameter this file does not know fails the test with a message saying where to add it.

- nobody gets a server error;
- anonymous callers get 401 from everything that is not public;
- everyone with no business with the object gets 403/404 (405 says nothing), with not a trace
  of it in the body;
- the lists show strangers nothing of Trondheim's;
- GET never writes to the database.
"""

import json
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_round, submitted_application
from tilskudd.api.api import api
from tilskudd.api.services import create_token
from tilskudd.applications.models import Attachment
from tilskudd.applications.uploads import store_upload
from tilskudd.decisions.models import Decision
from tilskudd.reporting.models import ReportAttachment

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = sorted(
    (method.upper(), path, bool(spec.get("security")))
    for path, methods in SCHEMA["paths"].items()
    for method, spec in methods.items()
)
PUBLIC = {path for method, path, secured in OPERATIONS if not secured}
BODIES = {  # a valid body for operations that take one, so the object is looked up (not the body refused)
    ("POST", "/api/v1/applications/{application_id}/lines"): {"kind": "competence"},
    ("PATCH", "/api/v1/applications/{application_id}/lines/{line_id}"): {"title": "Endret"},
    ("PATCH", "/api/v1/applications/{application_id}"): {"partners": "Endret"},
    ("PATCH", "/api/v1/report-obligations/{obligation_id}/report"): {"lines": {}},
}
PDF = b"%PDF-1.4 matrise"
# Operations that take a file (multipart/form-data): sent a valid PDF, so the object is looked up
MULTIPART = {
    (method.upper(), path)
    for path, methods in SCHEMA["paths"].items()
    for method, spec in methods.items()
    if "multipart/form-data" in spec.get("requestBody", {}).get("content", {})
}


@dataclass(frozen=True)
class Target:
    value: int
    marker: str
    related: frozenset[str]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    settings.API_RATE_PER_TOKEN = settings.API_RATE_PER_ADDRESS = "100000/min"
    caches["shared"].clear()


@pytest.fixture
def targets(cast):
    from tilskudd.reporting.models import ReportObligation

    round = make_round(cast.office_t, year=2031, call_text="RUNDE-MARKØR")
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a, kinds=("competence",))
    type(application).objects.filter(pk=application.pk).update(contact_name="SØKNAD-MARKØR")
    line = application.lines.get()
    type(line).objects.filter(pk=line.pk).update(title="TILTAK-MARKØR")
    hidden_round = make_round(cast.office_t, year=2032, published=False, call_text="SKJULT-MARKØR")
    # A decision waiting for approval in the hidden round (the office's paths name the round and the decision)
    hidden_round.published_at = timezone.now()  # published for a moment, so an application can be started
    hidden_round.save(update_fields=["published_at"])
    decided = submitted_application(hidden_round, cast.kommune_a, by=cast.signer_a, kinds=("competence",))
    hidden_round.published_at = None
    hidden_round.save(update_fields=["published_at"])
    obligation = ReportObligation.objects.create(
        organisation=cast.kommune_a,
        round=round,
        awarded=100_000,
        due=timezone.now(),
        return_reason="RAPPORT-MARKØR",
    )
    decision = Decision.objects.create(
        application=decided,
        outcome="granted",
        granted=60_000,
        applied=60_000,
        scenario_name="VEDTAK-MARKØR",
        appeal_text="",
        prepared_by=cast.officer_t,
    )
    attachment = Attachment(application=application, uploaded_by=cast.signer_a)
    store_upload(attachment, SimpleUploadedFile("VEDLEGG-MARKØR.pdf", PDF, content_type="application/pdf"))
    attachment.save()
    report_attachment = ReportAttachment(obligation=obligation, kind="account", uploaded_by=cast.signer_a)
    store_upload(report_attachment, SimpleUploadedFile("RAPPORTVEDLEGG-MARKØR.pdf", PDF))
    report_attachment.save()
    own = {"applicant_a", "signer_a"}
    staff_t = {"officer_t", "approver_t"}
    return {
        # not published: the public endpoint shows it to nobody; only its office manages it
        "round_id": Target(hidden_round.pk, "SKJULT-MARKØR", frozenset({*staff_t, "admin"})),
        "application_id": Target(application.pk, "SØKNAD-MARKØR", frozenset({*own, *staff_t, "admin"})),
        "line_id": Target(line.pk, "TILTAK-MARKØR", frozenset(own)),
        # Trondheim's auditor sees its reports (R11)
        "obligation_id": Target(
            obligation.pk, "RAPPORT-MARKØR", frozenset({*own, *staff_t, "auditor_a", "admin"})
        ),
        "decision_id": Target(decision.pk, "VEDTAK-MARKØR", frozenset({*staff_t, "admin"})),
        # read by whoever reads the application (the office: submitted ones) or the report
        "attachment_id": Target(attachment.pk, "VEDLEGG-MARKØR", frozenset({*own, *staff_t, "admin"})),
        "report_attachment_id": Target(
            report_attachment.pk, "RAPPORTVEDLEGG-MARKØR", frozenset({*own, *staff_t, "auditor_a", "admin"})
        ),
        # an office without published awards has no public statistics yet
        "office_id": Target(cast.office_t.pk, "Statsforvalteren i Trøndelag", frozenset()),
    }


@pytest.fixture
def tokens(cast):
    return {
        name: create_token(user=user, name="matrise", scope="write", days=1)[1]
        for name, user in cast.members().items()
    }


def _params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _url(path: str, targets) -> str:
    for name in _params(path):
        if name not in targets:
            pytest.fail(
                f"test_api_authorisation.py does not know path parameter {name!r}: add it to `targets`"
            )
        path = path.replace("{" + name + "}", str(targets[name].value))
    return path


def _text(response) -> str:
    """The body as text, JSON unescaped (the API writes ø as \\u00f8), so a marker is found wherever it is."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def _call(client, method, url, token=None, body=None, path=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if (method, path) in MULTIPART:
        upload = SimpleUploadedFile("matrise.pdf", PDF, content_type="application/pdf")
        return client.post(url, {"file": upload}, **headers)
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    return getattr(client, method.lower())(url, **kwargs, **headers)


def test_the_matrix_sees_every_operation():
    assert len(OPERATIONS) >= 15
    assert {"/api/v1/rounds", "/api/v1/awards", "/api/v1/statistics"} <= PUBLIC
    assert ("POST", "/api/v1/applications/{application_id}/submit", True) in OPERATIONS
    office = "/api/v1/office/rounds/{round_id}"
    for operation in (
        ("GET", f"{office}/proposal"),
        ("GET", f"{office}/decisions"),
        ("GET", f"{office}/decisions/{{decision_id}}"),
        ("POST", f"{office}/decisions/prepare"),
        ("POST", f"{office}/decisions/{{decision_id}}/approve"),
        ("POST", "/api/v1/applications/{application_id}/attachments"),
        ("GET", "/api/v1/applications/{application_id}/attachments/{attachment_id}"),
        ("PATCH", "/api/v1/report-obligations/{obligation_id}/report"),
        ("POST", "/api/v1/report-obligations/{obligation_id}/submit"),
        ("POST", "/api/v1/report-obligations/{obligation_id}/attachments"),
    ):
        assert (*operation, True) in OPERATIONS, operation
    assert ("POST", "/api/v1/applications/{application_id}/attachments") in MULTIPART


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda o: f"{o[0]} {o[1]}")
def test_no_operation_gives_anyone_a_server_error_and_anonymous_get_401(
    client, cast, targets, tokens, operation
):
    method, path, secured = operation
    url = _url(path, targets)
    for name in ("anonymous", *cast.members()):
        body = BODIES.get(
            (method, path), {"round_id": targets["round_id"].value} if method == "POST" else None
        )
        response = _call(client, method, url, tokens.get(name), body if method != "GET" else None, path)
        assert response.status_code < 500, f"{name}: {method} {url} -> {response.status_code}"
        if name == "anonymous" and secured:
            assert response.status_code == 401, f"anonymous: {method} {url} -> {response.status_code}"
            assert response.json()["code"] == "unauthorised"


@pytest.mark.parametrize(
    "operation", [o for o in OPERATIONS if _params(o[1])], ids=lambda o: f"{o[0]} {o[1]}"
)
def test_nobody_reaches_another_organisations_or_offices_object(client, cast, targets, tokens, operation):
    method, path, _secured = operation
    url = _url(path, targets)
    used = [targets[name] for name in _params(path)]
    related = frozenset.intersection(*(t.related for t in used))
    strangers = [name for name in cast.members() if name not in related]
    assert strangers
    for name in strangers:
        body = BODIES.get((method, path), {} if method != "GET" else None)
        response = _call(client, method, url, tokens[name], body, path)
        assert response.status_code in (403, 404, 405), f"{name}: {method} {url} -> {response.status_code}"
        body = _text(response)
        for target in used:
            assert target.marker not in body, f"{name} saw {target.marker!r} at {method} {url}"
        assert "code" in response.json()


def test_another_offices_approver_gets_404_from_every_operation_on_trondheims_objects(
    client, cast, targets, tokens
):
    """The issue's "approver's token on another office: 404 everywhere", every operation with an object."""
    for method, path, _secured in OPERATIONS:
        if not _params(path):
            continue
        url = _url(path, targets)
        body = BODIES.get((method, path), {} if method != "GET" else None)
        response = _call(client, method, url, tokens["approver_n"], body, path)
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
        assert not any(t.marker in _text(response) for t in targets.values()), f"{method} {url}"


@pytest.mark.parametrize("path", sorted({p for m, p, _ in OPERATIONS if m == "GET" and not _params(p)}))
def test_lists_show_strangers_nothing_of_trondheims(client, cast, targets, tokens, path):
    related = targets["application_id"].related
    for name in cast.members():
        if name in related:
            continue
        body = _text(_call(client, "GET", path, tokens[name]))
        for marker in ("SØKNAD-MARKØR", "TILTAK-MARKØR", "RAPPORT-MARKØR", "SKJULT-MARKØR", "VEDTAK-MARKØR"):
            if marker == "RAPPORT-MARKØR" and name in targets["obligation_id"].related:
                continue  # Trondheim's auditor sees Trondheim's reports, and nothing else of it
            assert marker not in body, f"{name} saw {marker} in {path}"


def test_the_own_organisation_and_its_office_do_see_it(client, cast, targets, tokens):
    url = f"/api/v1/applications/{targets['application_id'].value}"
    for name in ("applicant_a", "signer_a", "officer_t", "approver_t", "admin"):
        response = _call(client, "GET", url, tokens[name])
        assert response.status_code == 200 and "SØKNAD-MARKØR" in _text(response), name
    listed = _call(client, "GET", "/api/v1/applications", tokens["officer_n"]).json()
    assert listed == []
    rounds = _call(client, "GET", "/api/v1/office/rounds", tokens["officer_t"]).json()
    assert targets["round_id"].value in [r["id"] for r in rounds]
    payments = f"/api/v1/office/rounds/{targets['round_id'].value}/payments"
    assert _call(client, "GET", payments, tokens["approver_t"]).status_code == 200


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.mark.parametrize("path", sorted({p for m, p, _ in OPERATIONS if m == "GET"}))
def test_no_get_writes_to_the_database(client, cast, targets, tokens, path):
    url = _url(path, targets)
    for name in ("anonymous", *cast.members()):
        with CaptureQueriesContext(connection) as queries:
            _call(client, "GET", url, tokens.get(name))
        written = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert not written, f"{name}: GET {url} wrote {written[:2]}"
