"""The REST API (issue 15) as a kommune's integration developer uses it: tokens, drafts, refusals, submission.

Authorisation across every endpoint and the whole cast is in test_api_authorisation.py; the
fuzzing with schemathesis in test_api_schemathesis.py.
"""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from tests.factories import COMPETENCE, INNOVATION, make_round, past_deadline, submitted_application
from tilskudd.api import services as token_services
from tilskudd.api.models import ApiToken
from tilskudd.applications.models import Application
from tilskudd.caselog.models import Entry

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    caches["shared"].clear()
    yield
    caches["shared"].clear()


def token_for(user, scope="write", days=30):
    _token, secret = token_services.create_token(
        user=user, name="Saksbehandlingssystem", scope=scope, days=days
    )
    return secret


def call(client, method, path, token=None, data=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return getattr(client, method)(f"{API}{path}", data=data, **kwargs, **headers)


# --- tokens ------------------------------------------------------------------------------


def test_a_token_is_shown_once_on_the_profile_page_and_stored_only_as_its_sha256(client_for, cast):
    client = client_for(cast.signer_a)
    response = client.post(reverse("api:tokens"), {"name": "Sak/arkiv", "scope": "write", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    shown = response.context["shown"]
    assert shown.startswith("kkit_") and shown in response.content.decode()
    stored = ApiToken.objects.get(user=cast.signer_a)
    assert stored.digest == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in {stored.prefix, stored.digest, stored.name}
    again = client.get(reverse("api:tokens")).content.decode()
    assert shown not in again and stored.prefix in again  # listed by its prefix, never shown again
    assert Entry.objects.filter(kind="token_created", actor=cast.signer_a).exists()
    assert call(client_for(None), "get", "/me", shown).json()["username"] == "signer_a"


def test_a_revoked_or_expired_or_unknown_token_is_refused(client_for, cast, client):
    secret = token_for(cast.signer_a)
    assert call(client, "get", "/me", secret).status_code == 200
    token = ApiToken.objects.get(user=cast.signer_a)
    response = client_for(cast.signer_a).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    refused = call(client, "get", "/me", secret)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorised"
    expired = token_for(cast.signer_a, days=1)
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert call(client, "get", "/me", expired).status_code == 401
    assert call(client, "get", "/me", expired[:-2] + "xx").status_code == 401
    assert call(client, "get", "/me", "kkit_nothing_here").status_code == 401


def test_nobody_revokes_another_persons_token(client_for, cast):
    token_for(cast.signer_a)
    token = ApiToken.objects.get(user=cast.signer_a)
    assert client_for(cast.applicant_a).post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_read_token_reads_but_cannot_write(client, cast):
    round = make_round(cast.office_t)
    reader = token_for(cast.signer_a, scope="read")
    assert call(client, "get", "/applications", reader).status_code == 200
    refused = call(client, "post", "/applications", reader, {"round_id": round.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"
    assert not Application.objects.exists()


def test_the_browser_session_needs_the_csrf_token_to_write(cast):
    from django.test import Client

    round = make_round(cast.office_t)
    browser = Client(enforce_csrf_checks=True)
    anonymous = browser.post(f"{API}/applications", {"round_id": round.pk}, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorised"
    browser.force_login(cast.signer_a)
    assert browser.get(f"{API}/applications").status_code == 200
    refused = browser.post(f"{API}/applications", {"round_id": round.pk}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    browser.get(reverse("api:tokens"))  # sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    made = browser.post(
        f"{API}/applications", {"round_id": round.pk}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert made.status_code == 201


def test_too_many_requests_get_a_clear_429_per_token_and_per_address(client, cast, settings):
    settings.API_RATE_PER_TOKEN = "3/min"
    secret = token_for(cast.signer_a)
    for _ in range(3):
        assert call(client, "get", "/me", secret).status_code == 200
    limited = call(client, "get", "/me", secret)
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) >= 1
    other = token_for(cast.signer_b)
    assert call(client, "get", "/me", other).status_code == 200  # another token has its own count
    settings.API_RATE_PER_TOKEN = "1000/min"
    settings.API_RATE_PER_ADDRESS = "2/min"
    caches["shared"].clear()
    assert call(client, "get", "/rounds").status_code == 200
    assert call(client, "get", "/rounds").status_code == 200
    assert call(client, "get", "/rounds").status_code == 429
    caches["shared"].clear()
    for _ in range(2):  # wrong tokens count against the address as well
        assert call(client, "get", "/me", "kkit_guess_guess").status_code == 401
    assert call(client, "get", "/me", "kkit_guess_guess").status_code == 429


def _two_processes_count(monkeypatch, first, second, token) -> list[bool]:
    """Four requests with one token, alternately served by two processes each with its own cache object."""
    from django.test import RequestFactory

    from tilskudd.api.security import PerToken

    throttle = PerToken()
    allowed = []
    for store in (first, second, first, second):
        monkeypatch.setattr(PerToken, "cache", store)  # this process's cache connection
        request = RequestFactory().get(f"{API}/me")
        request.api_token = token
        allowed.append(throttle.allow_request(request))
    return allowed


def test_the_rate_limit_is_counted_once_across_processes_in_the_shared_database_cache(
    cast, settings, monkeypatch
):
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.locmem import LocMemCache

    settings.API_RATE_PER_TOKEN = "3/min"
    token_for(cast.signer_a)
    token = ApiToken.objects.get(user=cast.signer_a)
    # two processes' own memory: each counts two of the four, and lets all of them through
    apart = _two_processes_count(
        monkeypatch, LocMemCache("process-1", {}), LocMemCache("process-2", {}), token
    )
    assert apart == [True, True, True, True]
    # two processes' connections to the database's cache table (production): one count, the fourth refused
    table = settings.SHARED_CACHE_TABLE
    shared = _two_processes_count(monkeypatch, DatabaseCache(table, {}), DatabaseCache(table, {}), token)
    assert shared == [True, True, True, False]


def test_production_counts_the_rate_limits_in_the_database_table_the_migrations_made(client, cast, settings):
    from django.db import connection

    from tests.test_settings import _manage

    production = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['shared']['BACKEND'])",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-check-9f8e7d6c5b4a",
        ALLOWED_HOSTS="tilskudd.example.no",
    )
    assert production.stdout.strip().endswith("django.core.cache.backends.db.DatabaseCache"), (
        production.stderr
    )
    assert settings.SHARED_CACHE_TABLE in connection.introspection.table_names()  # migrate made it
    settings.CACHES = {  # as production has it (SHARED_CACHE=database)
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tilskudd_shared_cache",
        },
    }
    settings.API_RATE_PER_TOKEN = "2/min"
    secret = token_for(cast.signer_a)
    assert [call(client, "get", "/me", secret).status_code for _ in range(3)] == [200, 200, 429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.SHARED_CACHE_TABLE}")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("api-rate-token-" in key for key in keys)


# --- the integration developer's day ----------------------------------------------------


def test_a_signer_drafts_sees_refusals_as_json_fixes_them_and_submits(client, cast, mailoutbox):
    round = make_round(cast.office_t)
    secret = token_for(cast.signer_a)
    made = call(client, "post", "/applications", secret, {"round_id": round.pk})
    assert made.status_code == 201
    application = made.json()
    assert application["status"] == "draft" and application["organisation"]["name"] == "Trondheim kommune"
    again = call(client, "post", "/applications", secret, {"round_id": round.pk})
    assert again.status_code == 200 and again.json()["id"] == application["id"]  # one per round (R6)
    path = f"/applications/{application['id']}"

    lines = {}
    for kind in ("competence", "bpa", "innovation"):
        added = call(client, "post", f"{path}/lines", secret, {"kind": kind})
        assert added.status_code == 201, added.content
        lines[kind] = added.json()["id"]

    refused = call(client, "post", f"{path}/submit", secret)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "submission_refused"
    codes = {p["code"] for p in body["problems"]}
    assert {"application_incomplete", "line_incomplete"} <= codes
    assert all(p["message"] and p["rule"] for p in body["problems"])

    bad = call(
        client,
        "patch",
        f"{path}/lines/{lines['competence']}",
        secret,
        {"employees_count": 0, "amount_applied": -5},
    )
    assert bad.status_code == 422 and set(bad.json()["fields"]) == {"employees_count", "amount_applied"}

    ok = call(client, "patch", f"{path}/lines/{lines['competence']}", secret, COMPETENCE)
    assert ok.status_code == 200 and ok.json()["amount"] == 60_000
    bpa = {
        "title": "Arbeidsledere",
        "bpa_training_type": "work_leaders",
        "amount_per_person": 5_000,
        "persons_count": 8,
        "persons_untrained": 5,
    }
    assert call(client, "patch", f"{path}/lines/{lines['bpa']}", secret, bpa).json()["amount"] == 40_000
    innovation = dict(INNOVATION, budget_items=[{"description": "Prosjektleder", "amount": 500_000}])
    saved = call(client, "patch", f"{path}/lines/{lines['innovation']}", secret, innovation)
    assert saved.status_code == 200, saved.content
    assert saved.json()["budget_items"] == [{"description": "Prosjektleder", "amount": 500_000}]
    contact = {
        "contact_name": "Kari Kontakt",
        "contact_email": "kari@kommune.example",
        "contact_phone": "12345678",
        "leader_name": "Leif Leder",
        "leader_title": "Kommunedirektør",
    }
    assert call(client, "patch", path, secret, {"contact_email": "ikke-epost"}).status_code == 422
    assert call(client, "patch", path, secret, contact).status_code == 200
    assert call(client, "get", f"{path}/problems", secret).json() == {"problems": []}

    submitted = call(client, "post", f"{path}/submit", secret)
    assert submitted.status_code == 200, submitted.content
    receipt = submitted.json()
    assert receipt["status"] == "submitted" and receipt["total"] == 60_000 + 40_000 + 750_000
    assert receipt["submitted_at"].endswith(("+01:00", "+02:00"))  # ISO 8601 with Oslo's offset
    assert call(client, "post", f"{path}/submit", secret).status_code == 200  # idempotent
    pdf = call(client, "get", f"{path}/receipt.pdf", secret)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert call(client, "get", f"{path}/receipt.pdf", token_for(cast.signer_b)).status_code == 404
    late = call(client, "patch", f"{path}/lines/{lines['bpa']}", secret, {"title": "Etterpå"})
    assert late.status_code == 409 and late.json()["code"] == "not_editable"
    assert Entry.objects.filter(kind="submitted", actor=cast.signer_a).count() == 1


def test_the_rules_refuse_through_the_api_as_on_the_web(client, cast):
    round = make_round(cast.office_t)
    # R2: a fylkeskommune applies for competence measures only
    fylke = token_for(cast.fylke_user)
    application = call(client, "post", "/applications", fylke, {"round_id": round.pk}).json()
    refused = call(client, "post", f"/applications/{application['id']}/lines", fylke, {"kind": "innovation"})
    assert refused.status_code == 409 and refused.json()["code"] == "line_kind_not_allowed"
    assert "Trøndelag fylkeskommune" in refused.json()["message"]
    # R6: only the signer submits
    applicant = token_for(cast.applicant_a)
    own = call(client, "post", "/applications", applicant, {"round_id": round.pk}).json()
    assert call(client, "post", f"/applications/{own['id']}/submit", applicant).status_code == 403
    # R5: no new application after the deadline
    closed = make_round(cast.office_t, year=2026, deadline=past_deadline())
    late = call(client, "post", "/applications", applicant, {"round_id": closed.pk})
    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"
    assert "2022" in late.json()["message"]
    # another office's round: not for Trondheim
    nordland = make_round(cast.office_n)
    assert call(client, "post", "/applications", applicant, {"round_id": nordland.pk}).status_code == 403


def test_R4_and_R5_refusals_name_the_rule_and_speak_english_when_asked(client, cast):
    round = make_round(cast.office_t)
    secret = token_for(cast.signer_a)
    application = call(client, "post", "/applications", secret, {"round_id": round.pk}).json()
    Application.objects.filter(pk=application["id"]).update(contact_name="")
    round.application_deadline = past_deadline()
    round.save()
    nb = call(client, "post", f"/applications/{application['id']}/submit", secret).json()
    en = call(
        client, "post", f"/applications/{application['id']}/submit", secret, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    deadline_nb = next(p for p in nb["problems"] if p["code"] == "deadline_passed")
    deadline_en = next(p for p in en["problems"] if p["code"] == "deadline_passed")
    assert deadline_nb["rule"] == "R5" and "Fristen" in deadline_nb["message"]
    assert "The deadline was" in deadline_en["message"]
    nn = call(
        client, "post", f"/applications/{application['id']}/submit", secret, HTTP_ACCEPT_LANGUAGE="nn"
    ).json()
    assert (
        next(p for p in nn["problems"] if p["code"] == "deadline_passed")["message"] != deadline_nb["message"]
    )


def test_R4_a_missing_report_stops_submission_and_says_which(client, cast):
    from tilskudd.reporting.models import ReportObligation

    earlier = make_round(cast.office_t, year=2025, deadline=past_deadline())
    ReportObligation.objects.create(
        organisation=cast.kommune_a, round=earlier, awarded=100_000, due=past_deadline()
    )
    round = make_round(cast.office_t)
    secret = token_for(cast.signer_a)
    application = call(client, "post", "/applications", secret, {"round_id": round.pk}).json()
    problems = call(client, "get", f"/applications/{application['id']}/problems", secret).json()["problems"]
    missing = next(p for p in problems if p["code"] == "report_missing")
    assert missing["rule"] == "R4" and "2025" in missing["message"]


def test_public_rounds_awards_and_statistics(client, cast):
    from tests.test_publication import _decide
    from tilskudd.publication.selectors import as_award, awards
    from tilskudd.publication.threesixty import grant

    round = make_round(cast.office_t, fresh_funds=2_000_000, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    make_round(cast.office_t, year=2030, published=False)
    _decide(round, cast)
    rounds = call(client, "get", "/rounds").json()
    assert [r["id"] for r in rounds] == [round.pk]
    assert rounds[0]["total_funds"] == 2_000_000 and rounds[0]["call_text"]
    page = call(client, "get", "/awards?limit=1").json()
    first = awards().order_by("pk").first()
    expected = grant(as_award(first), data_source="http://testserver/apne-data/")
    assert page["items"] == [expected]  # the open data's record, field for field
    english = call(client, "get", "/awards?limit=1", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["items"] == [expected]  # the open data reads the same in every language
    seen = [page["items"][0]["id"]]
    while page.get("next_cursor"):
        page = call(client, "get", f"/awards?limit=1&cursor={page['next_cursor']}").json()
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == awards().count() == len(set(seen))
    assert call(client, "get", "/awards?cursor=nonsense").json()["code"] == "invalid_cursor"
    assert call(client, "get", f"/awards?organisation_id={cast.kommune_b.pk}").json()["items"] == []
    tables = call(client, "get", "/statistics").json()["tables"]
    assert tables[0]["rows"][0]["values"][0] == 2_000_000
    assert call(client, "get", f"/statistics/offices/{cast.office_n.pk}").status_code == 404


def test_the_docs_are_served_from_our_own_static_files_under_the_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "<script>" not in html  # only src= scripts and a JSON data block: no inline script
    assert "script-src 'self'" in response["Content-Security-Policy"]

    def no_duplicate_keys(pairs):  # Swagger UI's parser refuses a document with a key twice
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    schema = json.loads(client.get(f"{API}/openapi.json").content, object_pairs_hook=no_duplicate_keys)
    assert "/api/v1/awards" in schema["paths"]
    letter = schema["paths"]["/api/v1/applications/{application_id}/letter.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in letter["content"]


def test_a_case_officer_records_an_assessment_and_a_stale_one_is_refused(client, cast):
    from tilskudd.assessment.models import Assessment

    round = make_round(cast.office_t)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a, kinds=("competence",))
    line = application.lines.get()
    path = f"/office/rounds/{round.pk}/lines/{line.pk}/assessment"
    officer, approver = token_for(cast.officer_t), token_for(cast.approver_t)
    assert call(client, "get", path, officer).json()["version"] == 0
    too_much = call(client, "put", path, officer, {"recommended": line.amount + 1, "version": 0})
    assert too_much.status_code == 422 and "recommended" in too_much.json()["fields"]
    no_reason = call(client, "put", path, officer, {"eligible": False, "version": 0})
    assert no_reason.status_code == 422 and "ineligible_reason" in no_reason.json()["fields"]
    saved = call(client, "put", path, officer, {"recommended": 50_000, "comment": "God søknad", "version": 0})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert Assessment.objects.get(line=line).recommended == 50_000
    stale = call(client, "put", path, approver, {"recommended": 10_000, "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert Assessment.objects.get(line=line).recommended == 50_000
    for stranger in (cast.officer_n, cast.signer_a, cast.national):
        refused = call(client, "put", path, token_for(stranger), {"version": 1})
        assert refused.status_code == 404, stranger
    reader = token_for(cast.officer_t, scope="read")
    assert call(client, "put", path, reader, {"version": 1}).status_code == 403
    assert Entry.objects.filter(kind="assessed", actor=cast.officer_t).count() == 1


def test_decision_letter_report_obligation_and_payment_through_the_api(client, cast):
    from tests.test_letters import decide
    from tilskudd.decisions import issuing

    unapproved = decide(cast, approve=False, year=2026)
    hidden = f"/applications/{unapproved.application_id}/decision"
    assert call(client, "get", hidden, token_for(cast.signer_a)).status_code == 404  # not before approval
    assert call(client, "get", hidden, token_for(cast.officer_t)).json()["approved"] is False

    decision = decide(cast, year=2027)
    signer, officer = token_for(cast.signer_a), token_for(cast.officer_t)
    path = f"/applications/{decision.application_id}"
    body = call(client, "get", f"{path}/decision", signer).json()
    assert body["approved"] and body["granted"] == decision.granted
    english = call(client, "get", f"{path}/decision", signer, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (
        english["appeal_text"] == decision.appeal_texts["en"] != body["appeal_text"]
    )  # the reader's language
    assert sum(line["granted"] for line in body["lines"]) == decision.granted
    assert call(client, "get", f"{path}/letter.pdf", signer).status_code == 404  # not made yet
    issuing.issue_letter(decision)
    letter = call(client, "get", f"{path}/letter.pdf", signer)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")
    assert call(client, "get", f"{path}/letter.pdf", token_for(cast.signer_b)).status_code == 404

    obligations = call(client, "get", "/report-obligations", signer).json()
    assert [o["awarded"] for o in obligations if o["round_id"] == decision.application.round_id] == [
        decision.granted
    ]
    assert call(client, "get", "/report-obligations", token_for(cast.signer_b)).json() == []

    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    paid_on = issuing.payment_window(decision)[0]
    issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=paid_on, amount=1_000)
    payments = call(client, "get", f"/office/rounds/{decision.application.round_id}/payments", officer).json()
    assert [(p["amount"], p["paid_on"]) for p in payments] == [(1_000, paid_on.isoformat())]
    other = call(
        client, "get", f"/office/rounds/{decision.application.round_id}/payments", token_for(cast.approver_n)
    )
    assert other.status_code == 404 and "Trondheim" not in other.content.decode()


def test_P2_list_endpoints_take_a_constant_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_publication import _decide
    from tilskudd.organisations.models import Organisation

    officer = token_for(cast.officer_t)
    paths = ["/rounds", "/awards", "/applications", "/report-obligations", "/statistics"]

    def counts():
        caches["shared"].clear()
        result = {}
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert call(client, "get", path, officer).status_code == 200
            result[path] = len(queries)
        return result

    def grow(year, organisations):
        round = make_round(cast.office_t, year=year, fresh_funds=5_000_000, carried_over_funds=0)
        for organisation in organisations:
            signer = cast.signer_a if organisation == cast.kommune_a else None
            if signer is None:
                from tests.conftest import _user

                signer = _user(f"signer_{organisation.pk}", "signer", organisation=organisation)
            submitted_application(round, organisation, by=signer)
        _decide(round, cast)

    trondelag = list(
        Organisation.objects.filter(fylke__number="50", kind="kommune").exclude(pk=cast.kommune_a.pk)
    )
    grow(2025, [cast.kommune_a])
    small = counts()
    grow(2026, trondelag[:4])
    assert counts() == small


def test_a_number_too_large_for_the_database_filters_nothing_on_the_web_award_list_either(client):
    # schemathesis found it through /api/v1/awards; the public page reads the same selector
    for query in ("round=10274961065771628756992", "year=99999999999999999999", "office=²"):
        response = client.get(f"/tildelinger/?{query}")
        assert response.status_code == 200, query


# --- the office: proposal, decisions, approval --------------------------------------------


def _closed_round_with_application(cast, **fields):
    from tests.factories import close_call

    round = make_round(cast.office_t, carried_over_funds=0, **fields)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    return round, application, close_call


def test_the_office_reads_the_proposal_with_each_lines_explanation_as_the_allocation_page(client, cast):
    from tilskudd.assessment import services as assessment
    from tilskudd.assessment.summary import chosen_scenario, summary
    from tilskudd.domain.explanations import explain

    round, application, _close = _closed_round_with_application(cast, fresh_funds=1_000_000)
    officer = token_for(cast.officer_t)
    body = call(client, "get", f"/office/rounds/{round.pk}/proposal", officer).json()
    whole = summary(round, chosen_scenario(round)[1])
    assert [line["line_id"] for line in body["lines"]] == [
        row.line_id for row in whole.rows
    ]  # the page's order
    assert body["funds"] == 1_000_000 and body["applied"] == sum(
        line.amount for line in application.lines.all()
    )
    assert body["proposed"] == sum(line["proposed"] for line in body["lines"]) <= 1_000_000
    assert body["scenario"] == {"id": None, "name": "Forslag"}  # the unsaved default: reading writes nothing
    first = whole.rows[0]
    assert body["lines"][0]["explanation"] == explain(first.result, "nb")  # R8: the page's own sentence
    english = call(client, "get", f"/office/rounds/{round.pk}/proposal", officer, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        english.json()["lines"][0]["explanation"]
        == explain(first.result, "en")
        != explain(first.result, "nb")
    )
    # an amount set by hand: the new amount, who and why, and the explanation says so
    line = application.lines.get(kind="competence")
    assessment.set_override(
        round=round, scenario_id=0, line=line, by=cast.officer_t, amount=10_000, reason="Avtalt med kommunen"
    )
    body = call(client, "get", f"/office/rounds/{round.pk}/proposal", token_for(cast.approver_t)).json()
    row = next(r for r in body["lines"] if r["line_id"] == line.pk)
    assert row["proposed"] == 10_000 and body["scenario"]["id"] is not None
    assert row["override"] == {"amount": 10_000, "reason": "Avtalt med kommunen", "by": "Officer T"}
    assert "saksbehandler" in row["explanation"].lower()
    for stranger in (cast.approver_n, cast.signer_a, cast.national):
        refused = call(client, "get", f"/office/rounds/{round.pk}/proposal", token_for(stranger))
        assert refused.status_code == 404 and "Trondheim" not in refused.content.decode(), stranger


def test_R10_a_case_officer_prepares_decisions_after_the_call_has_closed_and_an_approver_may_not(
    client, cast
):
    round, application, close_call = _closed_round_with_application(cast)
    path = f"/office/rounds/{round.pk}/decisions/prepare"
    officer = token_for(cast.officer_t)
    still_open = call(client, "post", path, officer, {})
    assert still_open.status_code == 409 and still_open.json()["code"] == "call_still_open"
    assert "Vedtak kan forberedes" in still_open.json()["message"] or "frist" in still_open.json()["message"]
    assert not round.scenarios.exists()  # the refusal left no default scenario behind
    close_call(round)
    approver = call(client, "post", path, token_for(cast.approver_t), {})
    assert approver.status_code == 403 and approver.json()["code"] == "forbidden"
    unknown = call(client, "post", path, officer, {"scenario_id": 999_999})
    assert unknown.status_code == 404
    prepared = call(client, "post", path, officer, {})
    assert prepared.status_code == 200, prepared.content
    body = prepared.json()
    assert body["prepared"] == 1 and body["scenario"]["name"] == "Forslag" and body["scenario"]["id"]
    decision = body["decisions"][0]
    assert decision["application_id"] == application.pk and decision["approved"] is False
    assert decision["prepared_by"] == "Officer T" and decision["approved_by"] is None
    listed = call(client, "get", f"/office/rounds/{round.pk}/decisions?approved=false", officer).json()
    assert [d["id"] for d in listed] == [decision["id"]]
    one = call(client, "get", f"/office/rounds/{round.pk}/decisions/{decision['id']}", officer).json()
    assert one["lines"] and sum(line["granted"] for line in one["lines"]) == one["granted"]
    assert Entry.objects.filter(kind="decision_prepared", actor=cast.officer_t).count() == 1
    other = call(client, "get", f"/office/rounds/{round.pk}/decisions", token_for(cast.approver_n))
    assert other.status_code == 404 and "Trondheim" not in other.content.decode()


def _strong_session(user):
    """A browser that logged in with two steps (as tests/conftest.py's client_for), CSRF enforced."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.helpers import verified_app

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = verified_app(user).persistent_id
    session.save()
    browser.get(reverse("api:tokens"))  # sets the CSRF cookie
    return browser, browser.cookies["csrftoken"].value


def test_R10_approving_needs_another_person_and_a_strong_login_which_a_token_never_is(client, cast):
    from tests.test_letters import decide
    from tilskudd.decisions.models import Decision

    decision = decide(cast, approve=False)
    path = f"/office/rounds/{decision.application.round_id}/decisions/{decision.pk}/approve"
    # by token: refused with a code and the words, in the language asked for; nothing approved
    by_token = call(client, "post", path, token_for(cast.approver_t))
    assert by_token.status_code == 403 and by_token.json()["code"] == "strong_login_required"
    assert "sterk innlogging" in by_token.json()["message"]
    english = call(client, "post", path, token_for(cast.approver_t), HTTP_ACCEPT_LANGUAGE="en")
    assert "An API token is never a strong login" in english.json()["message"]
    # four eyes: the case officer who prepared it cannot approve it
    own = call(client, "post", path, token_for(cast.officer_t))
    assert own.status_code == 403 and own.json()["code"] == "four_eyes"
    preparer, preparer_csrf = _strong_session(cast.officer_t)  # a strong login does not change that
    own = preparer.post(f"{API}{path}", content_type="application/json", HTTP_X_CSRFTOKEN=preparer_csrf)
    assert own.status_code == 403 and own.json()["code"] == "four_eyes"
    assert (
        "Another person at the office"
        in call(client, "post", path, token_for(cast.officer_t), HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    )
    assert not Decision.objects.get(pk=decision.pk).is_approved
    # a browser session without the second step is not strong either
    from django.test import Client

    weak = Client()
    weak.force_login(cast.approver_t)
    refused = weak.post(f"{API}{path}", content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "strong_login_required"
    # the approver's strong browser session, with the CSRF token: approved
    browser, csrf = _strong_session(cast.approver_t)
    assert browser.post(f"{API}{path}", content_type="application/json").json()["code"] == "csrf_failed"
    approved = browser.post(f"{API}{path}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert approved.status_code == 200, approved.content
    assert approved.json()["approved"] is True and approved.json()["approved_by"] == "Approver T"
    assert Decision.objects.get(pk=decision.pk).approved_by == cast.approver_t
    again = browser.post(f"{API}{path}", content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert again.status_code == 409 and again.json()["code"] == "already_approved"
    assert Entry.objects.filter(kind="decision_approved", actor=cast.approver_t).count() == 1
    stranger = call(client, "post", path, token_for(cast.approver_n))
    assert stranger.status_code == 404 and "Trondheim" not in stranger.content.decode()


# --- attachments ---------------------------------------------------------------------------


def _pdf(name="plan.pdf", content=b"%PDF-1.4 prosjektplan"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, path, token, file, **headers):
    return client.post(f"{API}{path}", {"file": file}, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def test_attachments_are_uploaded_checked_listed_and_downloaded_as_on_the_web(client, cast):
    from tests.factories import make_application

    round = make_round(cast.office_t)
    application = make_application(round, cast.kommune_a, by=cast.signer_a)
    path = f"/applications/{application.pk}/attachments"
    signer = token_for(cast.signer_a)
    made = upload(client, path, signer, _pdf())
    assert made.status_code == 201, made.content
    attachment = made.json()
    assert attachment["name"] == "plan.pdf" and attachment["content_type"] == "application/pdf"
    # the web's checks: a renamed web page, an old Word file, nothing at all
    fake = upload(client, path, signer, _pdf("plan.pdf", b"<html><script>alert(1)</script></html>"))
    assert fake.status_code == 422 and fake.json()["code"] == "upload_refused"
    assert fake.json()["fields"]["file"] == [fake.json()["message"]]
    legacy = upload(
        client, path, signer, _pdf("gammel.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    )
    assert legacy.status_code == 422 and ".docx" in legacy.json()["message"]
    assert call(client, "post", path, signer, {}).status_code == 422  # no file: the request is refused
    listed = call(client, "get", path, signer).json()
    assert [a["id"] for a in listed] == [attachment["id"]]
    download = call(client, "get", f"{path}/{attachment['id']}", signer)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert upload(client, path, token_for(cast.signer_b), _pdf()).status_code == 404
    officer = token_for(cast.officer_t)
    assert call(client, "get", f"{path}/{attachment['id']}", officer).status_code == 404  # a draft: not yet
    from tilskudd.applications import services

    services.submit(application=application, by=cast.signer_a)
    assert call(client, "get", f"{path}/{attachment['id']}", officer).status_code == 200
    late = upload(client, path, signer, _pdf("etterpå.pdf"))
    assert late.status_code == 409 and late.json()["code"] == "not_editable"
    assert application.attachments.count() == 1
    assert Entry.objects.filter(kind="attached", actor=cast.signer_a).count() == 1


# --- reports (R11) -------------------------------------------------------------------------


def test_R11_the_organisation_fills_in_and_submits_its_report_and_the_office_reads_it(client, cast):
    from tests.test_letters import decide

    decision = decide(cast)
    obligation = decision.report_obligation
    path = f"/report-obligations/{obligation.pk}"
    applicant, signer = token_for(cast.applicant_a), token_for(cast.signer_a)
    report = call(client, "get", f"{path}/report", applicant).json()
    assert report["editable"] and report["version"] == obligation.version
    line = report["lines"][0]
    assert line["granted"] == decision.lines.get(line_id=line["line_id"]).granted and line["explanation"]
    field = f"lines.{line['id']}.used"
    too_much = call(
        client,
        "patch",
        f"{path}/report",
        applicant,
        {"lines": {str(line["id"]): {"used": line["granted"] + 1}}},
    )
    assert too_much.status_code == 422 and field in too_much.json()["fields"]
    assert "mer enn det som ble innvilget" in too_much.json()["fields"][field][0]
    unknown = call(client, "patch", f"{path}/report", applicant, {"lines": {"999999": {"used": 1}}})
    assert unknown.status_code == 422 and "lines.999999" in unknown.json()["fields"]

    refused = call(client, "post", f"{path}/submit", signer)
    assert refused.status_code == 422 and refused.json()["code"] == "report_incomplete"
    problems = refused.json()["problems"]
    assert {p["rule"] for p in problems} == {"R11"} and "attachment_missing" in {p["code"] for p in problems}
    assert call(client, "post", f"{path}/submit", applicant).status_code == 403  # the signer submits

    for item in report["lines"]:
        values = {"used": item["granted"], "unused": 0}
        values |= {
            "competence": {"completed": 3, "in_education": 0, "dropped_out": 0},
            "bpa": {
                "bpa_training_type": "work_leaders",
                "work_leaders_trained": 5,
                "case_workers_trained": 0,
                "assistants_trained": 0,
            },
            "innovation": {"innovation_status": "completed", "results": "Gode", "sharing": "Nettverk"},
        }[item["kind"]]
        saved = call(
            client,
            "patch",
            f"{path}/report",
            applicant,
            {"lines": {str(item["id"]): values}, "version": report["version"]},
        )
        assert saved.status_code == 200, saved.content
        report = saved.json()
    stale = call(client, "patch", f"{path}/report", signer, {"lines": {}, "version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    attached = upload(client, f"{path}/attachments", applicant, _pdf("regnskap.pdf"))
    assert attached.status_code == 201, attached.content
    submitted = call(client, "post", f"{path}/submit", signer)
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted" and not submitted.json()["editable"]
    late = call(client, "patch", f"{path}/report", applicant, {"lines": {}})
    assert late.status_code == 409 and late.json()["code"] == "not_editable"
    assert upload(client, f"{path}/attachments", applicant, _pdf()).status_code == 409

    officer = token_for(cast.officer_t)
    read = call(client, "get", f"{path}/report", officer).json()
    assert read["lines"] == submitted.json()["lines"]
    files = call(client, "get", f"{path}/attachments", officer).json()
    download = call(client, "get", f"{path}/attachments/{files[0]['id']}", officer)
    assert download.status_code == 200
    assert call(client, "patch", f"{path}/report", officer, {"lines": {}}).status_code == 403
    for stranger in (cast.approver_n, cast.signer_b):
        refused = call(client, "get", f"{path}/report", token_for(stranger))
        assert refused.status_code == 404 and "Trondheim" not in refused.content.decode()
    assert Entry.objects.filter(kind="report_submitted", actor=cast.signer_a).count() == 1


def test_the_api_tokens_page_is_found_from_the_account_page_and_every_pages_footer(client_for, cast):
    client = client_for(cast.signer_a)
    tokens, docs = reverse("api:tokens"), reverse("api:docs")
    assert f'href="{tokens}"' in client.get(reverse("accounts:account")).content.decode()
    home = client.get(reverse("home:home")).content.decode()
    footer = home[home.index('class="site-footer"') :]
    assert f'href="{tokens}"' in footer and f'href="{docs}"' in footer
    anonymous = client_for(None).get(reverse("home:home")).content.decode()
    assert f'href="{docs}"' in anonymous and f'href="{tokens}"' not in anonymous  # only for those logged in


def test_P2_the_office_round_lists_take_as_many_queries_for_many_applications_as_for_one(client, cast):
    """The round's decisions and its proposal: as many queries for a round of five applications as of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import _user
    from tests.test_publication import _decide
    from tilskudd.organisations.models import Organisation

    officer = token_for(cast.officer_t)
    others = list(
        Organisation.objects.filter(fylke__number="50", kind="kommune").exclude(pk=cast.kommune_a.pk)
    )

    def decided_round(year, organisations):
        round = make_round(cast.office_t, year=year, fresh_funds=5_000_000, carried_over_funds=0)
        for organisation in organisations:
            signer = _user(f"signer_{organisation.pk}", "signer", organisation=organisation)
            submitted_application(round, organisation, by=signer)
        _decide(round, cast)
        return round

    def counts(round):
        result = {}
        for path in (f"/office/rounds/{round.pk}/decisions", f"/office/rounds/{round.pk}/proposal"):
            call(client, "get", path, officer)  # warm the per-process caches (the proposal's summary)
            with CaptureQueriesContext(connection) as queries:
                response = call(client, "get", path, officer)
            assert response.status_code == 200, path
            result[path.rsplit("/", 1)[1]] = len(queries)
        return result

    one = decided_round(2025, others[:1])
    five = decided_round(2026, others[1:6])
    assert len(call(client, "get", f"/office/rounds/{five.pk}/decisions", officer).json()) == 5
    assert counts(five) == counts(one)
