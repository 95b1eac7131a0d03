"""The authorisation matrix, derived from the URL configuration.

Every route is enumerated from the resolver, so a route added later is covered
without anyone editing this file. For each route and each member of the cast
(anonymous included):

- a route not marked ``@public`` sends anonymous visitors to the login page;
- a route with an object in its URL is visited with an object that belongs to
  Trondheim kommune / Statsforvalteren i Trøndelag; everyone who has no business
  with that object (another kommune, another office, the fylkeskommune, an
  outsider) gets 403 or 404 and not a trace of the object in the body, by GET and
  by POST;
- nobody gets a server error.

A URL parameter this file does not know how to fill makes the test fail with a
message saying where to add it: it is never skipped.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC_ROUTES_THAT_MAY_CHANGE_STATE = {
    "accounts:set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    # login through ID-porten / Ansattporten: the button (keeps a state in the session) and the
    # provider's redirect back (logs in); both 404 while no provider is configured
    "identity:authenticate",
    "identity:callback",
    "accounts:two_step_code",  # a login's second step: the person is not logged in until it is done
}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    is_public: bool


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin site guards itself: see test_admin_site_is_for_administrators_only
            if entry.namespace == "api-v1":
                continue  # the REST API answers 401/404 as JSON: its own matrix is test_api_authorisation.py
            yield from _walk(
                entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            )
        elif isinstance(entry, URLPattern):
            assert entry.name, f"route {entry.pattern} has no name; every route must be named to be tested"
            converters = getattr(entry.pattern, "converters", {})
            yield Route(
                f"{namespace}{entry.name}", tuple(converters), getattr(entry.callback, "is_public", False)
            )


ROUTES = sorted(_walk(get_resolver().url_patterns), key=lambda r: r.name)


@dataclass(frozen=True)
class Target:
    """An object for a URL parameter, the text that betrays it, and who is related to it."""

    value: int | str
    marker: str
    related: frozenset[str]


@pytest.fixture
def targets(cast) -> dict[str, Target]:
    """One object per URL parameter, all owned by Trondheim kommune / Statsforvalteren i Trøndelag.

    The round is not published, so even its public page must not show it to anyone.
    """
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from tests.factories import make_round
    from tilskudd.applications import services
    from tilskudd.applications.models import Application, Line
    from tilskudd.assessment.models import Scenario
    from tilskudd.decisions.models import Decision
    from tilskudd.reporting.models import ReportObligation
    from tilskudd.rounds.models import Earmark

    round = make_round(cast.office_t, year=2031, published=False)
    earmark = Earmark.objects.create(round=round, name="Avlastningspotten", amount=1_000_000)
    application = Application.objects.create(round=round, organisation=cast.kommune_a)
    line = Line.objects.create(
        application=application, kind="competence", rank=1, title="Lindring i Trondheim"
    )
    attachment = services.add_attachment(
        application=application,
        by=cast.signer_a,
        upload=SimpleUploadedFile(
            "trondheim-budsjett.pdf", b"%PDF-1.4 trondheim", content_type="application/pdf"
        ),
    )
    scenario = Scenario.objects.create(round=round, name="Forslag", created_by=cast.officer_t)
    decision = Decision.objects.create(
        application=application,
        outcome="granted",
        granted=1,
        applied=1,
        scenario_name="Forslag",
        appeal_text="Vedtaket i Trondheim kan ikke påklages.",
        prepared_by=cast.officer_t,
    )
    from tilskudd.decisions.models import DecisionLine

    award = DecisionLine.objects.create(
        decision=decision,
        line=line,
        rank=1,
        kind="competence",
        title="Lindring i Trondheim",
        applied=1,
        granted=1,
    )
    obligation = ReportObligation.objects.create(
        organisation=cast.kommune_a, round=round, awarded=100_000, due=timezone.now()
    )
    from tilskudd.reporting.models import ReportAttachment

    report_attachment = ReportAttachment.objects.create(
        obligation=obligation,
        kind=ReportAttachment.AUDITOR,
        stored_name="trondheim-revisor.pdf",
        original_name="trondheim-revisor.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=cast.signer_a,
    )
    report_attachment.file.save(
        "trondheim-revisor.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"), save=True
    )
    from tilskudd.settlement.models import CarryOver, RepaymentClaim

    carry_over = CarryOver.objects.create(
        decision=decision,
        line=award,
        amount=1,
        from_year=2031,
        to_year=2032,
        state="approved",
        request_reason="Overført i Trondheim",
    )
    claim = RepaymentClaim.objects.create(
        decision=decision,
        amount=1,
        account_number="12345678903",
        reference="Trondheim-KID",
        due_on=timezone.localdate(),
        sent_by=cast.officer_t,
        sha256="0" * 64,
    )
    from tilskudd.api.services import create_token

    api_token, _secret = create_token(user=cast.signer_a, name="Trondheims sak", scope="write", days=30)
    from tilskudd.amendments.models import ChangeRequest

    change = ChangeRequest.objects.create(
        decision=decision,
        kind="content",
        line=award,
        new_title="Ny tittel",
        reason="Endring i Trondheim",
        requested_by=cast.signer_a,
    )
    from tests.test_logins import make_login

    login = make_login(cast.signer_a, address="203.0.113.77")

    from tilskudd.accounts.models import Invitation, Membership, Role, User

    member = User.objects.create(
        username="medlem",
        first_name="Mona",
        last_name="Medlem",
        role=Role.APPLICANT,
        organisation=cast.kommune_a,
    )
    invitation = Invitation.objects.create(
        role=Role.APPLICANT,
        organisation=cast.kommune_a,
        email="invitert@trondheim.example",
        invited_by=cast.org_admin_a,
        expires_at=timezone.now() + timedelta(days=14),
    )
    staff_t = {"officer_t", "approver_t"}
    own = {"applicant_a", "signer_a"}
    # Trondheim's administrator and auditor see its page; Trøndelag's administrator the office's
    # page and those of the organisations it covers (it appoints their administrators).
    org_people = {"org_admin_a", "auditor_a", "office_admin_t"}
    return {
        "organisation_id": Target(
            cast.kommune_a.pk, "Trondheim", frozenset({*own, *staff_t, *org_people, "national", "admin"})
        ),
        "office_id": Target(
            cast.office_t.pk,
            "Statsforvalteren i Trøndelag",
            frozenset({*staff_t, "office_admin_t", "national", "admin"}),
        ),
        # A writer's role at Trondheim, and an invitation to one: Trondheim's administrator's to manage.
        "membership_id": Target(
            Membership.objects.get(user=member).pk, "Mona Medlem", frozenset({"org_admin_a", "admin"})
        ),
        "invitation_id": Target(invitation.pk, "invitert@trondheim", frozenset({"org_admin_a", "admin"})),
        "round_id": Target(round.pk, "Trøndelag 2031", frozenset({*staff_t, "admin"})),
        "earmark_id": Target(earmark.pk, "Avlastningspotten", frozenset({*staff_t, "admin"})),
        "application_id": Target(application.pk, "Trondheim", frozenset({*own, *staff_t, "admin"})),
        "line_id": Target(line.pk, "Lindring i Trondheim", frozenset({*own, *staff_t, "admin"})),
        "scenario_id": Target(scenario.pk, "Trøndelag 2031", frozenset({*staff_t, "admin"})),
        "decision_id": Target(decision.pk, "Vedtaket i Trondheim", frozenset({*staff_t, "admin"})),
        "attachment_id": Target(attachment.pk, "trondheim-budsjett", frozenset({*own, *staff_t, "admin"})),
        # an award line of a decision not yet approved: not public, so nobody reaches it
        "award_id": Target(award.pk, "Lindring i Trondheim", frozenset()),
        "change_id": Target(change.pk, "Endring i Trondheim", frozenset({*own, *staff_t, "admin"})),
        # Trondheim's auditor sees its reports and their auditor's statements (R11)
        "obligation_id": Target(
            obligation.pk, "Trondheim", frozenset({*own, *staff_t, "auditor_a", "admin"})
        ),
        "carry_over_id": Target(carry_over.pk, "Overført i Trondheim", frozenset({*own, *staff_t, "admin"})),
        "claim_id": Target(claim.pk, "Trondheim-KID", frozenset({*own, *staff_t, "admin"})),
        "report_attachment_id": Target(
            report_attachment.pk, "trondheim-revisor", frozenset({*own, *staff_t, "auditor_a", "admin"})
        ),
        # A password reset link names a person and carries a token; a link whose token
        # does not work (this one) must give nobody anything about the person.
        "uidb64": Target(
            urlsafe_base64_encode(force_bytes(cast.signer_a.pk)), "Signer A", frozenset({"signer_a"})
        ),
        "token": Target("not-a-token", "Signer A", frozenset({"signer_a"})),
        # a personal API token: only its own person may revoke it
        "token_id": Target(api_token.pk, "Trondheims sak", frozenset({"signer_a"})),
        # a person's login (in another browser): only that person may end it
        "login_id": Target(login.pk, "203.0.113.77", frozenset({"signer_a"})),
    }


def _target(targets: dict[str, Target], kwarg: str) -> Target:
    if kwarg not in targets:
        pytest.fail(
            f"The authorisation test does not know URL parameter {kwarg!r}. Add it to the targets fixture in "
            f"{__file__} with an object owned by Trondheim kommune / Statsforvalteren i Trøndelag."
        )
    return targets[kwarg]


def test_every_route_is_enumerated():
    names = {route.name for route in ROUTES}
    assert {
        "home:home",
        "accounts:login",
        "organisations:organisation_detail",
        "organisations:organisation_edit",
        "organisations:office_detail",
    } <= names


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.is_public], ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_login(client, targets, route):
    kwargs = {k: _target(targets, k).value for k in route.kwargs}
    url = reverse(route.name, kwargs=kwargs)
    login = reverse("accounts:login")
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{method.__name__.upper()} {url} answered {response.status_code}"
        assert response["Location"].startswith(login), response["Location"]


def _page_content(body: str) -> str:
    """What a page says about its object: its <main>, not the header, which names the viewer's own place
    (Trondheim's administrator's header says "Trondheim kommune" on every page, a refusal included)."""
    start, end = body.find("<main"), body.rfind("</main>")
    return body[start:end] if start != -1 and end != -1 else body


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kwargs], ids=lambda r: r.name)
def test_nobody_reaches_another_organisations_or_offices_object(client, cast, targets, route):
    used = {k: _target(targets, k) for k in route.kwargs}
    url = reverse(route.name, kwargs={k: t.value for k, t in used.items()})
    related = frozenset.intersection(*(t.related for t in used.values()))
    strangers = {name: user for name, user in cast.members().items() if name not in related}
    assert strangers, "every route must have someone who may not see its object"
    for name, user in strangers.items():
        client.force_login(user)
        for method in (client.get, client.post):
            response = method(url)
            body = _page_content(response.content.decode())
            # 405 (method not allowed) is decided before the object is looked at, and says nothing of it
            refused = (403, 404, 405)
            assert response.status_code in refused, (
                f"{name}: {method.__name__.upper()} {url} -> {response.status_code}"
            )
            for target in used.values():
                assert target.marker not in body, f"{name} saw {target.marker!r} at {url}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_no_route_gives_a_server_error_to_anyone(client, cast, targets, route):
    kwargs = {k: _target(targets, k).value for k in route.kwargs}
    url = reverse(route.name, kwargs=kwargs)
    people = {"anonymous": None, **cast.members()}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code < 500, f"{name}: GET {url} -> {response.status_code}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.is_public], ids=lambda r: r.name)
def test_public_routes_are_the_ones_meant_to_be(route):
    assert route.name in {
        "home:home",
        "home:accessibility",
        "rounds:round_list",
        "rounds:round_detail",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
        # who got what (issue 14): approved awards, open data and statistics are public
        "publication:award_list",
        "publication:award_detail",
        "publication:organisation_awards",
        "publication:open_data",
        "publication:awards_json",
        "publication:awards_csv",
        "publication:round_awards_json",
        "publication:round_awards_csv",
        "publication:statistics",
        "publication:statistics_csv",
        "publication:office_statistics",
        "publication:office_statistics_csv",
        # the API's documentation (issue 15); the API itself is in test_api_authorisation.py
        "api:docs",
        *PUBLIC_ROUTES_THAT_MAY_CHANGE_STATE,
    }, f"{route.name} is marked @public: add it here only if anyone on the internet may use it"


def test_statistics_chosen_by_office_and_year_show_no_one_an_unpublished_round(client, cast, targets):
    """``/statistikk/?office=…&year=…`` (issue 14) is one public page for everyone: an office and a year
    without a published award (the targets' unpublished Trøndelag 2031) are no page, for anyone."""
    office, year = cast.office_t.pk, 2031  # the year of the targets' round
    urls = [
        reverse(name) + query
        for name in ("publication:statistics", "publication:statistics_csv")
        for query in (f"?office={office}&year={year}", f"?year={year}", f"?office={office}")
    ]
    for name, user in {"anonymous": None, **cast.members()}.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, f"{name}: {url} -> {response.status_code}"
            body = _page_content(response.content.decode())
            assert "Lindring i Trondheim" not in body and "Trøndelag 2031" not in body, f"{name}: {url}"


def test_admin_site_is_for_administrators_only(client, cast):
    url = reverse("admin:index")
    for name, user in cast.members().items():
        client.force_login(user)
        response = client.get(url)
        if name == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], name
