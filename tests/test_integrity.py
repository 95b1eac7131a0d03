"""Issue 9: the rules hold on the server, under races and hostile input.

Each test is named after what it guards and failed on the code before the fix.
"""

import re
import threading
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta
from http.cookiejar import CookieJar

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_application, make_round, past_deadline, submitted_application
from tilskudd.accounts.models import Role, User
from tilskudd.applications import services as applications
from tilskudd.applications.models import Application, Line
from tilskudd.assessment import services as assessment
from tilskudd.decisions import hooks
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.home.overview import applicant_overview, office_overview

pytestmark = pytest.mark.django_db


# --- 1. An organisation applies only to its own office's rounds ----------------------------------------


def test_an_organisation_cannot_start_an_application_in_another_offices_round(client_for, cast):
    nordland = make_round(cast.office_n)
    response = client_for(cast.signer_a).post(reverse("applications:application_start", args=[nordland.pk]))
    assert response.status_code == 403
    assert not Application.objects.filter(round=nordland).exists()
    with pytest.raises(PermissionDenied):
        applications.start_application(round=nordland, organisation=cast.kommune_a, by=cast.signer_a)


def test_an_application_in_another_offices_round_is_refused_at_submission(cast):
    nordland = make_round(cast.office_n)
    # made behind the service's back, as an attacker's earlier foothold would be
    application = Application.objects.create(round=nordland, organisation=cast.kommune_a)
    problems = applications.submission_problems(application)
    assert [p.code for p in problems] == ["wrong_office"]
    with pytest.raises(applications.SubmissionRefused):
        applications.submit(application=application, by=cast.signer_a)
    application.refresh_from_db()
    assert application.is_draft


def test_an_office_cannot_grant_an_extension_to_another_offices_organisation(cast):
    with pytest.raises(PermissionDenied):
        applications.grant_extension(
            round=make_round(cast.office_t),
            organisation=cast.kommune_b,
            by=cast.officer_t,
            until=timezone.now() + timedelta(days=90),
            reason="Nei",
        )


# --- 2. Nothing changes after submission ------------------------------------------------------------------


def test_every_applicant_write_to_a_submitted_application_is_refused(cast):
    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    line = application.lines.first()
    writes = [
        lambda: applications.update_application(
            application=application, by=cast.signer_a, data={"partners": "x"}
        ),
        lambda: applications.add_line(application=application, by=cast.signer_a, kind="competence"),
        lambda: applications.update_line(line=line, by=cast.signer_a, data={"title": "Endret"}),
        lambda: applications.remove_line(line=line, by=cast.signer_a),
        lambda: applications.move_line(line=line, by=cast.signer_a, up=False),
        lambda: applications.share_with_office(application=application, by=cast.signer_a, shared=True),
    ]
    for write in writes:
        with pytest.raises(applications.NotEditable):
            write()
    assert application.lines.count() == 3 and line.title == Line.objects.get(pk=line.pk).title


def test_a_write_to_a_submitted_application_gets_a_clear_answer_never_a_500(client_for, cast):
    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    line = application.lines.first()
    client = client_for(cast.signer_a)
    detail = reverse("applications:application_detail", args=[application.pk])
    posts = [
        (reverse("applications:line_move", args=[application.pk, line.pk]), {"direction": "down"}),
        (reverse("applications:line_remove", args=[application.pk, line.pk]), {}),
        (reverse("applications:line_add", args=[application.pk]), {"kind": "competence"}),
        (reverse("applications:application_share", args=[application.pk]), {"shared": "yes"}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain[-1][0] == detail
        assert "er sendt inn og kan ikke lenger endres" in response.content.decode(), url
    htmx = client.post(posts[0][0], posts[0][1], HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409
    assert application.lines.count() == 3


class _Browser:
    """A logged-in person talking HTTP to the live server, with cookies and the CSRF token, as a browser would."""

    def __init__(self, base, client, user):
        client.force_login(user)
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.session = client.cookies["sessionid"].value

    def _request(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        request.add_header(
            "Cookie", f"sessionid={self.session}" + "".join(f"; {c.name}={c.value}" for c in self.jar)
        )
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path):
        _status, body = self._request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]

    def post(self, path, fields, token, files=None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": token}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/pdf\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_and_reorders_during_submission_leave_the_application_as_frozen(
    live_server, client, cast
):
    round = make_round(cast.office_t)
    application = make_application(
        round, cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa", "innovation")
    )
    detail = reverse("applications:application_detail", args=[application.pk])
    lines = list(application.lines.order_by("rank"))
    people = {
        name: _Browser(live_server.url, client, user)
        for name, user in (("a", cast.applicant_a), ("s", cast.signer_a))
    }
    tokens = {name: person.token(detail) for name, person in people.items()}
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    start = threading.Barrier(3)
    statuses = []

    def reorder():
        start.wait()
        for i in range(8):
            line = lines[i % 3]
            url = reverse("applications:line_move", args=[application.pk, line.pk])
            statuses.append(people["a"].post(url, {"direction": "down" if i % 2 else "up"}, tokens["a"]))

    def upload():
        start.wait()
        for i in range(6):
            url = reverse("applications:attachment_add", args=[application.pk])
            statuses.append(people["a"].post(url, {}, tokens["a"], files={"file": (f"vedlegg-{i}.pdf", pdf)}))

    def submit():
        start.wait()
        statuses.append(
            people["s"].post(
                reverse("applications:application_submit", args=[application.pk]), {}, tokens["s"]
            )
        )

    threads = [threading.Thread(target=f) for f in (reorder, upload, submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert all(status < 500 for status in statuses), statuses
    application.refresh_from_db()
    assert not application.is_draft
    frozen = application.snapshot
    now_lines = list(application.lines.order_by("rank").values_list("id", "rank"))
    assert [(line["id"], line["rank"]) for line in frozen["lines"]] == now_lines
    assert sorted(a["name"] for a in frozen["attachments"]) == sorted(
        application.attachments.values_list("original_name", flat=True)
    )
    assert all(a.uploaded_at <= application.submitted_at for a in application.attachments.all())


# --- 4. Roles exactly as SPEC "Parties and roles" --------------------------------------------------------------


def _prepared(cast):
    round = make_round(cast.office_t, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    return round, Decision.objects.get(application__round=round)


def test_a_case_officer_cannot_approve_a_colleagues_decision(client_for, cast):
    round, decision = _prepared(cast)
    colleague = User.objects.create(username="officer_t2", role=Role.CASE_OFFICER, office=cast.office_t)
    with pytest.raises(PermissionDenied):
        decisions.approve(decision=decision, by=colleague)
    with pytest.raises(PermissionDenied):
        decisions.approve_round(round=round, by=colleague)
    response = client_for(colleague).post(reverse("decisions:decision_approve", args=[round.pk, decision.pk]))
    assert response.status_code == 403
    page = client_for(colleague).get(reverse("decisions:round_decisions", args=[round.pk])).content.decode()
    assert reverse("decisions:decision_approve", args=[round.pk, decision.pk]) not in page
    decision.refresh_from_db()
    assert not decision.is_approved


def test_an_approver_approves_but_does_not_prepare(cast):
    round, decision = _prepared(cast)
    with pytest.raises(PermissionDenied):
        decisions.prepare_decisions(proposal=assessment.proposal(round.scenarios.first()), by=cast.approver_t)
    decisions.approve(decision=decision, by=cast.approver_t)
    assert Decision.objects.get(pk=decision.pk).approved_by == cast.approver_t


def _two_prepared(cast):
    round = make_round(cast.office_t, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    return round, scenario, list(Decision.objects.filter(application__round=round).order_by("pk"))


def test_R10_preparing_again_keeps_the_approved_decisions_and_replaces_only_drafts(cast):
    round, scenario, (first, second) = _two_prepared(cast)
    decisions.approve(decision=first, by=cast.approver_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    kept = Decision.objects.get(application=first.application)
    assert kept.pk == first.pk and kept.is_approved
    assert Decision.objects.get(application=second.application).pk != second.pk


def test_R10_approving_the_round_counts_a_decision_a_colleague_approved_meanwhile(cast, monkeypatch):
    """Approving a whole round while a colleague approves one of its decisions is no error (it was a 500)."""
    round, _scenario, (first, second) = _two_prepared(cast)
    colleague = User.objects.create(username="approver_t2", role=Role.APPROVER, office=cast.office_t)
    colleague.strong_login = True  # logged in with two steps, as the cast's approvers are
    approved_hook = hooks.decision_approved

    def colleague_approves_the_other(decision):
        approved_hook(decision)
        if decision.pk == first.pk:
            decisions.approve(decision=second, by=colleague)

    monkeypatch.setattr(hooks, "decision_approved", colleague_approves_the_other)
    result = decisions.approve_round(round=round, by=cast.approver_t)
    assert (result.approved, result.own, result.already) == (1, 0, 1)
    assert Decision.objects.get(pk=first.pk).approved_by == cast.approver_t
    assert Decision.objects.get(pk=second.pk).approved_by == colleague


def test_R10_approving_a_decision_prepared_again_meanwhile_is_refused_clearly(cast):
    round, scenario, (first, _second) = _two_prepared(cast)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)  # new ids
    with pytest.raises(decisions.Replaced):
        decisions.approve(decision=first, by=cast.approver_t)
    assert not Decision.objects.filter(approved_at__isnull=False).exists()


# --- 5. Decisions only after the call has closed ----------------------------------------------------------


def test_R10_decisions_are_refused_while_the_deadline_or_an_extension_is_ahead(client_for, cast):
    round = make_round(cast.office_t, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    make_application(round, cast.fylkeskommune, by=cast.fylke_user)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    with pytest.raises(decisions.CallStillOpen) as refused:
        decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    assert refused.value.drafts == 1 and refused.value.closes == round.application_deadline

    response = client_for(cast.officer_t).post(
        reverse("decisions:decisions_prepare", args=[round.pk]), {"scenario": scenario.pk}, follow=True
    )
    body = response.content.decode()
    assert (
        "Vedtak kan forberedes når utlysningen er stengt" in body and "1 søknad er fortsatt et utkast" in body
    )
    assert not Decision.objects.exists()

    close_call(round)
    later = timezone.now() + timedelta(days=3)
    applications.grant_extension(
        round=round, organisation=cast.fylkeskommune, by=cast.officer_t, until=later, reason="Sykdom"
    )
    with pytest.raises(decisions.CallStillOpen) as refused:
        decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    assert refused.value.closes == later


def test_R5_the_call_stays_open_to_the_end_of_the_deadlines_minute(cast):
    """A deadline covers its whole minute: at 23:59:30 on the day the call is open, for decisions and start pages."""
    round = make_round(cast.office_t, deadline=past_deadline(), carried_over_funds=0)
    half_a_minute_on = round.application_deadline + timedelta(seconds=30)
    with pytest.raises(decisions.CallStillOpen):
        decisions.check_call_closed(round, now=half_a_minute_on)
    assert decisions.call_is_open(round, half_a_minute_on)
    decisions.check_call_closed(round, now=round.application_deadline + timedelta(minutes=1))  # closed now

    work = office_overview(cast.officer_t, cast.office_t, now=half_a_minute_on)["rounds"]
    assert [w.is_open for w in work if w.round == round] == [True]
    shown = applicant_overview(cast.applicant_a, cast.kommune_a, now=half_a_minute_on)["open_rounds"]
    assert round in [r.round for r in shown]
    later = applicant_overview(cast.applicant_a, cast.kommune_a, now=half_a_minute_on + timedelta(seconds=30))
    assert round not in [r.round for r in later["open_rounds"]]


def test_a_submission_under_an_extension_after_decisions_exist_is_flagged_to_the_office(client_for, cast):
    round = make_round(cast.office_t, carried_over_funds=0)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    late = make_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    applications.grant_extension(
        round=round,
        organisation=cast.fylkeskommune,
        by=cast.officer_t,
        until=timezone.now() + timedelta(days=2),
        reason="Nettet var nede",
    )
    applications.submit(application=late, by=cast.fylke_user)
    page = (
        client_for(cast.officer_t).get(reverse("decisions:round_decisions", args=[round.pk])).content.decode()
    )
    assert "ble sendt inn etter at vedtakene ble forberedt" in page and "Trøndelag fylkeskommune" in page


# --- 9. Lost updates -----------------------------------------------------------------------------------------


def test_an_assessment_saved_without_a_version_is_stale_and_changes_nothing(client_for, cast):
    round, _decision = _prepared(cast)
    line = Line.objects.filter(application__round=round).first()
    assessment.assess_line(
        line=line, by=cast.officer_t, data={"eligible": True, "comment": "Første"}, version=0
    )
    with pytest.raises(assessment.StaleAssessment):
        assessment.assess_line(line=line, by=cast.officer_t, data={"comment": "Uten versjon"}, version=None)
    response = client_for(cast.officer_t).post(
        reverse("assessment:line_assess", args=[round.pk, line.pk]),
        {"eligible": "yes", "comment": "Forfalsket"},
    )
    assert response.status_code == 200 and "lagret en vurdering" in response.content.decode()
    line.assessment.refresh_from_db()
    assert line.assessment.comment == "Første"


# --- 11. Office staff do not read drafts ---------------------------------------------------------------------


def test_office_staff_do_not_read_a_draft_unless_the_organisation_shares_it(client_for, cast):
    draft = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    url = reverse("applications:application_detail", args=[draft.pk])
    for staff in (cast.officer_t, cast.approver_t):
        assert client_for(staff).get(url).status_code == 404
    own = client_for(cast.applicant_a).get(url).content.decode()
    assert "ingenting blir sendt til Statsforvalteren før lederen med budsjettansvar" in " ".join(own.split())
    applications.share_with_office(application=draft, by=cast.applicant_a, shared=True)
    assert client_for(cast.officer_t).get(url).status_code == 200
    applications.share_with_office(application=draft, by=cast.signer_a, shared=False)
    assert client_for(cast.officer_t).get(url).status_code == 404
