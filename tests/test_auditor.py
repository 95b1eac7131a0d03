"""The organisation's auditor (SPEC roles table, R11; issue 16): sees the organisation's reports and
nothing else of it, and uploads and confirms the auditor's statement (revisoruttalelse) on a draft.

The auditor is not in the shared cast (a new member there would show its own kommune's name in the
header of every refusal, which the cast's matrix reads as a leak); the matrix below walks every
route for the auditor of Trondheim with the same objects instead, and reads only the page's main
content for traces of them.
"""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_round
from tests.helpers import assert_queries_constant
from tests.test_authorisation import ROUTES, _target
from tests.test_authorisation import targets as shared_targets  # noqa: F401  (a fixture: its objects)
from tests.test_reporting import award, fill, submitted_report
from tilskudd.accounts import roles
from tilskudd.accounts.models import Membership, Role, User
from tilskudd.caselog.models import Entry
from tilskudd.reporting import services
from tilskudd.reporting.models import ReportAttachment, ReportObligation

pytestmark = pytest.mark.django_db


def _pdf(name="revisoruttalelse.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 revisor", content_type="application/pdf")


def _auditor(organisation, username="auditor_a") -> User:
    return User.objects.create(
        username=username,
        first_name="Rita",
        last_name="Revisor",
        role=Role.AUDITOR,
        organisation=organisation,
    )


@pytest.fixture
def auditor_a(cast):
    """Trondheim kommune's auditor."""
    return _auditor(cast.kommune_a)


@pytest.fixture
def report(cast):
    """Trondheim's draft report on an award at or above the round's threshold (it needs the auditor)."""
    obligation = award(cast).report_obligation
    obligation.round.report_audit_threshold = 1
    obligation.round.save(update_fields=["report_audit_threshold"])
    obligation.refresh_from_db()
    assert services.required_attachment(obligation) == ReportAttachment.AUDITOR
    return obligation


def _main(response) -> str:
    """The page's own content: the header names the place the person acts for, which is not a leak."""
    body = response.content.decode(errors="replace")
    return body.split("<main", 1)[-1].split("</main>", 1)[0]


def _url(name: str, obligation, attachment=None) -> str:
    args = [obligation.pk] + ([attachment.pk] if attachment is not None else [])
    return reverse(f"reporting:{name}", args=args)


# --- What the auditor sees ------------------------------------------------------------------------


def test_the_auditors_start_page_lists_the_organisations_reports_those_needing_the_statement_first(
    client, cast, auditor_a
):
    small_round = make_round(cast.office_t, year=2030, report_audit_threshold=500_000)
    big_round = make_round(cast.office_t, year=2029, report_audit_threshold=200_000)
    due = timezone.now() + timedelta(days=30)
    small = ReportObligation.objects.create(
        organisation=cast.kommune_a, round=small_round, awarded=100_000, due=due
    )
    big = ReportObligation.objects.create(
        organisation=cast.kommune_a, round=big_round, awarded=200_000, due=due
    )
    bodo = ReportObligation.objects.create(
        organisation=cast.kommune_b, round=big_round, awarded=900_000, due=due
    )
    client.force_login(auditor_a)
    main = _main(client.get(reverse("home:home")))
    links = [_url("report_obligation", o) for o in (big, small)]
    assert all(link in main for link in links)
    assert main.index(links[0]) < main.index(links[1])  # at the threshold: needs the statement, first
    assert _url("report_obligation", bodo) not in main
    assert 'data-needs-statement="yes"' in main and 'data-needs-statement="no"' in main
    assert "Trøndelag 2029" in main and "Bodø" not in main


def test_the_auditor_reads_the_report_without_any_form_to_change_it(client, cast, auditor_a, report):
    fill(report, cast.signer_a)
    client.force_login(auditor_a)
    response = client.get(_url("report_obligation", report))
    assert response.status_code == 200
    main = _main(response)
    for line in report.lines.all():
        assert line.title in main  # the lines, read-only
    assert 'id="report-form"' not in main
    for writers_only in ("report_submit", "report_workbook_upload", "report_attach"):
        assert _url(writers_only, report) not in main, writers_only
    assert _url("report_auditor_statement", report) in main  # the auditor's one form
    assert client.get(_url("report_workbook", report)).status_code == 200  # the figures in Excel, to read


def test_the_auditor_sees_the_entries_meant_for_the_organisation_not_the_offices_own(
    client, cast, auditor_a, report
):
    from django.db import transaction

    from tilskudd.caselog.kinds import kind
    from tilskudd.caselog.log import record

    internal = kind("test_internal_note", "intern merknad", visible_to_applicant=False)
    with transaction.atomic():
        record(report, by=cast.officer_t, kind=internal, detail="Kontorets egen merknad")
    client.force_login(auditor_a)
    assert "Kontorets egen merknad" not in _main(client.get(_url("report_obligation", report)))
    client.force_login(cast.officer_t)
    assert "Kontorets egen merknad" in _main(client.get(_url("report_obligation", report)))


def test_an_auditor_of_another_kommune_gets_404_on_the_report_and_its_files(client, cast, report):
    attachment = services.add_report_attachment(obligation=report, by=cast.signer_a, upload=_pdf())
    bodo_auditor = _auditor(cast.kommune_b, "auditor_b")
    client.force_login(bodo_auditor)
    for url in (
        _url("report_obligation", report),
        _url("report_workbook", report),
        _url("report_attachment", report, attachment),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("report_auditor_statement", report), {"file": _pdf()}).status_code == 404
    assert client.post(_url("report_auditor_confirm", report, attachment)).status_code == 404
    assert client.get(reverse("home:home")).status_code == 200
    assert _url("report_obligation", report) not in _main(client.get(reverse("home:home")))
    with pytest.raises(PermissionDenied):
        services.confirm_auditor_statement(attachment=attachment, by=bodo_auditor)
    assert not ReportAttachment.objects.filter(confirmed_at__isnull=False).exists()


# Routes the auditor of Trondheim may use on Trondheim's objects: GET to read, POST to act.
READS = {
    "reporting:report_obligation",
    "reporting:report_attachment",
    "reporting:report_workbook",
    # the organisation's own details page (its administrator and auditor see it; tilskudd.organisations.access)
    "organisations:organisation_detail",
}
ACTS = {"reporting:report_auditor_statement", "reporting:report_auditor_confirm"}
# The report's round, organisation and office are named with the report (the scenario's marker is
# the round's title); the auditor's own account pages name the auditor's organisation.
SHOWN_WITH_THE_REPORT = ("Trondheim", "Trøndelag 2031", "Statsforvalteren i Trøndelag")
NOT_FOR_THE_AUDITOR = (
    "obligation_id",
    "report_attachment_id",
    "organisation_id",
    "uidb64",
    "token",
    "token_id",
    "office_id",
)


@pytest.mark.parametrize("route", [r for r in ROUTES if r.kwargs and not r.is_public], ids=lambda r: r.name)
def test_the_auditor_reaches_nothing_of_the_organisation_but_its_reports(
    client, cast, request, auditor_a, route
):
    targets = request.getfixturevalue("shared_targets")
    used = {k: _target(targets, k) for k in route.kwargs}
    url = reverse(route.name, kwargs={k: t.value for k, t in used.items()})
    client.force_login(auditor_a)
    report_page = reverse("reporting:report_obligation", args=[targets["obligation_id"].value])
    get = client.get(url)
    if route.name in READS:
        assert get.status_code == 200, f"GET {url} -> {get.status_code}"
    else:
        # a POST-only action of the report answers a reload by going to the report page
        assert get.status_code in (403, 404, 405) or (
            get.status_code == 302 and get["Location"] == report_page
        ), f"GET {url} -> {get.status_code}"
        for target in used.values():
            assert target.marker not in _main(get), f"GET {url} showed {target.marker!r}"
    post = client.post(url)
    if route.name not in ACTS:
        assert post.status_code in (403, 404, 405), f"POST {url} -> {post.status_code}"
        for target in used.values():
            assert target.marker not in _main(post), f"POST {url} showed {target.marker!r}"
    else:
        assert post.status_code < 500


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if not r.kwargs and not r.is_public], ids=lambda r: r.name
)
def test_the_auditors_other_pages_show_nothing_of_the_organisations_cases(
    client, cast, request, auditor_a, route
):
    targets = request.getfixturevalue("shared_targets")
    client.force_login(auditor_a)
    response = client.get(reverse(route.name))
    assert response.status_code < 500
    main = _main(response)
    for name, target in targets.items():
        if name in NOT_FOR_THE_AUDITOR or target.marker in SHOWN_WITH_THE_REPORT:
            continue
        assert target.marker not in main, f"{route.name} showed {target.marker!r} ({name})"


def test_the_auditors_token_lists_the_organisations_reports_and_nothing_else(client, cast, auditor_a, report):
    from tilskudd.api.services import create_token

    _token, secret = create_token(user=auditor_a, name="Revisjon", scope="read", days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    obligations = client.get("/api/v1/report-obligations", **headers)
    assert [o["id"] for o in obligations.json()] == [report.pk]
    assert client.get("/api/v1/applications", **headers).json() == []
    assert client.get(f"/api/v1/applications/{report.decision.application_id}", **headers).status_code == 404


# --- Uploading and confirming the statement -------------------------------------------------------


def test_the_auditor_uploads_and_confirms_the_statement_on_a_draft_and_the_case_log_says_so(
    client, cast, auditor_a, report
):
    client.force_login(auditor_a)
    response = client.post(_url("report_auditor_statement", report), {"file": _pdf("uttalelse-2027.pdf")})
    assert response.status_code == 302
    attachment = report.attachments.get()
    assert (attachment.kind, attachment.uploaded_by, attachment.confirmed_at) == (
        ReportAttachment.AUDITOR,
        auditor_a,
        None,
    )
    response = client.post(_url("report_auditor_confirm", report, attachment))
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.confirmed_by == auditor_a and attachment.confirmed_at is not None
    confirmed_at = attachment.confirmed_at
    client.post(_url("report_auditor_confirm", report, attachment))  # a double click changes nothing
    attachment.refresh_from_db()
    assert attachment.confirmed_at == confirmed_at

    entries = Entry.objects.filter(subject_id=report.pk, kind__startswith="auditor_statement")
    assert [(e.kind, e.actor, e.detail, e.visible_to_applicant) for e in entries.order_by("pk")] == [
        ("auditor_statement_added", auditor_a, "uttalelse-2027.pdf", True),
        ("auditor_statement_confirmed", auditor_a, "uttalelse-2027.pdf", True),
    ]
    # the writers, the signer and the office see who confirmed it and when
    for person in (cast.applicant_a, cast.signer_a, cast.officer_t):
        client.force_login(person)
        main = _main(client.get(_url("report_obligation", report)))
        assert (
            'data-confirmed="auditor"' in main and "Revisor har bekreftet uttalelsen (Rita Revisor," in main
        )
        assert "Revisoruttalelse bekreftet av revisor" in main  # the case log entry
    # the confirmation is extra assurance: the signer submits with or without it (R11 asks for a file)
    fill(report, cast.signer_a)
    report, submitted = services.submit_report(obligation=report, by=cast.signer_a)
    assert submitted


def test_the_auditor_confirms_a_statement_a_writer_uploaded(cast, auditor_a, report):
    attachment = services.add_report_attachment(obligation=report, by=cast.applicant_a, upload=_pdf())
    services.confirm_auditor_statement(attachment=attachment, by=auditor_a)
    attachment.refresh_from_db()
    assert attachment.confirmed_by == auditor_a


def test_an_unconfirmed_statement_still_completes_the_report(cast, auditor_a, report):
    """Decided (issue 16): R11's check asks for the file, not the auditor's confirmation, so an
    organisation whose auditor is not a user of the service is not stopped."""
    fill(report, cast.signer_a)
    services.add_report_attachment(obligation=report, by=cast.signer_a, upload=_pdf())
    assert services.submission_gaps(report) is None


def test_the_auditor_can_neither_upload_nor_confirm_after_submission(client, cast, auditor_a):
    report = submitted_report(cast)
    attachment = report.attachments.get()
    with pytest.raises(services.NotEditable):
        services.add_auditor_statement(obligation=report, by=auditor_a, upload=_pdf())
    with pytest.raises(services.NotEditable):
        services.confirm_auditor_statement(attachment=attachment, by=auditor_a)
    client.force_login(auditor_a)
    page = _main(client.get(_url("report_obligation", report)))
    assert _url("report_auditor_statement", report) not in page
    assert _url("report_auditor_confirm", report, attachment) not in page
    assert client.post(_url("report_auditor_statement", report), {"file": _pdf()}).status_code == 422
    client.post(_url("report_auditor_confirm", report, attachment))
    attachment.refresh_from_db()
    assert report.attachments.count() == 1 and attachment.confirmed_at is None


def test_writers_and_signers_cannot_confirm_as_the_auditor(client, cast, report):
    attachment = services.add_report_attachment(obligation=report, by=cast.signer_a, upload=_pdf())
    for person in (cast.applicant_a, cast.signer_a, cast.officer_t, cast.admin):
        with pytest.raises(PermissionDenied):
            services.confirm_auditor_statement(attachment=attachment, by=person)
        with pytest.raises(PermissionDenied):
            services.add_auditor_statement(obligation=report, by=person, upload=_pdf())
        client.force_login(person)
        assert client.post(_url("report_auditor_confirm", report, attachment)).status_code == 403, person
        assert client.post(_url("report_auditor_statement", report), {"file": _pdf()}).status_code == 403
    attachment.refresh_from_db()
    assert attachment.confirmed_at is None and report.attachments.count() == 1


def test_a_signer_who_is_also_made_the_auditor_still_cannot_confirm(client, cast, report):
    """The auditor's statement is worth something because the auditor is independent of those who report."""
    attachment = services.add_report_attachment(obligation=report, by=cast.signer_a, upload=_pdf())
    Membership.objects.create(user=cast.signer_a, role=Role.AUDITOR, organisation=cast.kommune_a)
    both = roles.apply(User.objects.get(pk=cast.signer_a.pk))
    assert both.has_role(Role.AUDITOR) and both.has_role(Role.SIGNER)
    with pytest.raises(PermissionDenied):
        services.confirm_auditor_statement(attachment=attachment, by=both)
    client.force_login(cast.signer_a)
    assert client.post(_url("report_auditor_confirm", report, attachment)).status_code == 403


def test_the_auditor_cannot_write_the_report_submit_it_or_change_the_writers_files(
    client, cast, auditor_a, report
):
    writers = services.add_report_attachment(obligation=report, by=cast.signer_a, upload=_pdf("regnskap.pdf"))
    line = report.lines.first()
    with pytest.raises(PermissionDenied):
        services.update_report(obligation=report, by=auditor_a, values={line.pk: {"used": 1}})
    with pytest.raises(PermissionDenied):
        services.submit_report(obligation=report, by=auditor_a)
    with pytest.raises(PermissionDenied):
        services.add_report_attachment(obligation=report, by=auditor_a, upload=_pdf())
    with pytest.raises(PermissionDenied):
        services.remove_report_attachment(attachment=writers, by=auditor_a)
    client.force_login(auditor_a)
    assert client.post(_url("report_obligation", report), {f"line-{line.pk}-used": "1"}).status_code == 403
    assert client.post(_url("report_submit", report)).status_code == 403
    assert client.post(_url("report_attach", report), {"file": _pdf()}).status_code == 403
    assert client.post(_url("report_workbook_upload", report)).status_code == 403
    assert client.post(_url("report_attachment_remove", report, writers)).status_code == 403
    report.refresh_from_db()
    assert report.submitted_at is None and report.attachments.count() == 1


def test_the_auditor_removes_a_statement_they_uploaded_by_mistake(client, cast, auditor_a, report):
    client.force_login(auditor_a)
    client.post(_url("report_auditor_statement", report), {"file": _pdf("feil-fil.pdf")})
    mine = report.attachments.get()
    assert client.post(_url("report_attachment_remove", report, mine)).status_code == 302
    assert not report.attachments.exists()
    assert Entry.objects.filter(subject_id=report.pk, kind="report_detached", actor=auditor_a).exists()


def test_a_refused_upload_says_why_next_to_the_field_and_stores_nothing(client, cast, auditor_a, report):
    client.force_login(auditor_a)
    fake = SimpleUploadedFile("uttalelse.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(_url("report_auditor_statement", report), {"file": fake})
    assert response.status_code == 422
    assert 'id="error-summary"' in _main(response)
    assert not report.attachments.exists()
    assert not Entry.objects.filter(subject_id=report.pk, kind="auditor_statement_added").exists()


def test_the_auditors_start_page_takes_the_same_queries_however_many_reports(client, cast, auditor_a):
    client.force_login(auditor_a)
    years = iter(range(2040, 2060))

    def grow():
        for _ in range(3):
            round = make_round(cast.office_t, year=next(years))
            obligation = ReportObligation.objects.create(
                organisation=cast.kommune_a, round=round, awarded=300_000, due=timezone.now()
            )
            attachment = services.add_auditor_statement(obligation=obligation, by=auditor_a, upload=_pdf())
            services.confirm_auditor_statement(attachment=attachment, by=auditor_a)

    grow()
    assert_queries_constant(client, reverse("home:home"), grow)


def test_the_demo_has_an_auditor_for_steinkjer_whose_report_needs_the_statement(client, reference_data):
    call_command("load_demo", stdout=io.StringIO())
    from tilskudd.demo.users import DEMO_PASSWORD

    auditor = User.objects.get(username="revisor-steinkjer")
    assert auditor.check_password(DEMO_PASSWORD) and auditor.role == Role.AUDITOR
    client.force_login(auditor)
    obligation = ReportObligation.objects.get(organisation=auditor.organisation, round__year=2025)
    main = _main(client.get(reverse("home:home")))
    assert f"{_url('report_obligation', obligation)}#attachments" in main  # "what to do now"
    others = ReportObligation.objects.exclude(organisation=auditor.organisation)
    assert others.exists() and not any(_url("report_obligation", o) in main for o in others)
