"""Reporting (SPEC "Reporting", R11, R11b, R4's two steps): obligations from decisions, the report that
mirrors the letter, the recipient's web form, the office's handling, and merged kommuner."""

from datetime import date, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_application, make_round, submitted_application
from tests.helpers import assert_queries_constant
from tilskudd.applications import services as applications
from tilskudd.applications.models import Status
from tilskudd.assessment import services as assessment
from tilskudd.caselog.models import Entry
from tilskudd.decisions import hooks as decision_hooks
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.domain.deadlines import deadline_on, oslo
from tilskudd.reporting import services
from tilskudd.reporting.models import ReportAttachment, ReportLine, ReportObligation

pytestmark = pytest.mark.django_db


def award(cast, *, organisation=None, year=2027, kinds=("competence", "bpa", "innovation"), approve=True):
    """An approved award to Trondheim (or ``organisation``) in Trøndelag ``year``."""
    organisation = organisation or cast.kommune_a
    signer = cast.signer_a if organisation == cast.kommune_a else None
    if signer is None:
        from tests.conftest import _user
        from tilskudd.accounts.models import Role

        signer = _user(f"signer_{organisation.pk}", Role.SIGNER, organisation=organisation)
    round = make_round(cast.office_t, year=year, carried_over_funds=0)
    application = submitted_application(round, organisation, by=signer, kinds=kinds)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decision = Decision.objects.get(application=application)
    if approve:
        decision = decisions.approve(decision=decision, by=cast.approver_t)
    return decision


def _pdf(name="revisoruttalelse.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 revisor", content_type="application/pdf")


def fill(obligation, by):
    """Every line filled in completely: all money used."""
    values = {}
    for line in obligation.lines.all():
        v = {"used": line.granted, "unused": 0}
        if line.kind == "competence":
            v |= {"completed": 3, "in_education": 1, "dropped_out": 0}
        elif line.kind == "bpa":
            v |= {
                "bpa_training_type": "work_leaders",
                "work_leaders_trained": 8,
                "case_workers_trained": 0,
                "assistants_trained": 0,
            }
        else:
            v |= {
                "innovation_status": "completed",
                "results": "Færre innleggelser.",
                "sharing": "Konferanse.",
            }
        values[line.pk] = v
    return services.update_report(obligation=obligation, by=by, values=values)


def submitted_report(cast, **kwargs):
    obligation = award(cast, **kwargs).report_obligation
    fill(obligation, cast.signer_a)
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    obligation, _ = services.submit_report(obligation=obligation, by=cast.signer_a)
    return obligation


# --- Obligations from decisions ------------------------------------------------------------------


def test_R11_approving_an_award_creates_its_report_obligation_with_one_line_per_awarded_line(cast):
    decision = award(cast)
    obligation = ReportObligation.objects.get(decision=decision)
    assert obligation.organisation == cast.kommune_a and obligation.awarded == decision.granted > 0
    # no next round with a reporting deadline: 23:59 on 1 February the year after
    assert obligation.due == deadline_on(date(2028, 2, 1))
    awarded = [(d.pk, d.title, d.granted) for d in decision.lines.filter(granted__gt=0)]
    assert [(r.decision_line_id, r.title, r.granted) for r in obligation.lines.all()] == awarded
    assert len(awarded) == 3
    assert Entry.objects.filter(subject_id=obligation.pk, kind="report_required").exists()


def test_R11_making_the_obligation_again_finds_the_first_and_adds_nothing(
    cast, django_assert_max_num_queries
):
    decision = award(cast)
    obligation = decision.report_obligation
    before = (list(obligation.lines.values_list("pk", flat=True)), Entry.objects.count())
    decision = Decision.objects.get(pk=decision.pk)
    with django_assert_max_num_queries(3):  # the application, its round, the obligation: no line queries
        again = services.create_obligation(decision=decision)
    assert again == obligation
    assert (list(obligation.lines.values_list("pk", flat=True)), Entry.objects.count()) == before


def test_R11_an_obligation_made_before_the_decision_is_tied_to_it_with_its_lines(cast):
    decision = award(cast, approve=False)
    application = decision.application
    made = ReportObligation.objects.create(
        organisation=application.organisation, round=application.round, awarded=1, due=timezone.now()
    )
    decision = decisions.approve(decision=decision, by=cast.approver_t)
    made.refresh_from_db()
    assert (made.decision, made.awarded) == (decision, decision.granted)
    assert made.lines.count() == decision.lines.filter(granted__gt=0).count() == 3


def test_R11_making_the_obligation_asks_for_its_lines_once_not_once_per_line(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decision = award(cast)
    obligation = decision.report_obligation
    obligation.lines.all().delete()
    Entry.objects.filter(subject_id=obligation.pk).delete()
    obligation.delete()
    decision = Decision.objects.get(pk=decision.pk)
    with CaptureQueriesContext(connection) as queries:
        obligation = services.create_obligation(decision=decision)
    assert obligation.lines.count() == 3
    on_lines = [q["sql"] for q in queries.captured_queries if "reporting_reportline" in q["sql"]]
    assert len(on_lines) <= 2, on_lines  # the awarded lines without a report line, and one insert


def test_R11_the_due_date_is_the_next_rounds_reporting_deadline_when_there_is_one(cast):
    make_round(cast.office_t, year=2028, report_deadline=oslo(datetime(2028, 3, 15, 12, 0)))
    obligation = award(cast).report_obligation
    assert obligation.due == oslo(datetime(2028, 3, 15, 12, 0))


def test_R11_the_obligation_is_made_in_the_approvals_transaction(cast, monkeypatch):
    decision = award(cast, approve=False)

    def broken(decision):
        raise RuntimeError("the obligation could not be made")

    monkeypatch.setattr(decision_hooks, "_on_approved", [*decision_hooks._on_approved, broken])
    with pytest.raises(RuntimeError):
        decisions.approve(decision=decision, by=cast.approver_t)
    decision.refresh_from_db()
    assert not decision.is_approved
    assert not ReportObligation.objects.exists()


def test_R11_a_refusal_owes_no_report(cast):
    decision = award(cast, approve=False)
    Decision.objects.filter(pk=decision.pk).update(granted=0, outcome="refused")
    decision.lines.update(granted=0)
    decisions.approve(decision=decision, by=cast.approver_t)
    assert not ReportObligation.objects.exists()


def test_R11_the_migration_gives_awards_approved_before_it_their_obligations(cast):
    decision = award(cast)
    ReportLine.objects.all().delete()
    ReportObligation.objects.all().delete()
    migration = import_module("tilskudd.reporting.migrations.0004_obligations_for_approved_awards")
    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)  # twice: nothing doubled
    obligation = ReportObligation.objects.get()
    assert obligation.decision_id == decision.pk and obligation.awarded == decision.granted
    assert obligation.due == deadline_on(date(2028, 2, 1))
    assert obligation.lines.count() == decision.lines.filter(granted__gt=0).count() == 3


# --- The report in the web form ------------------------------------------------------------------


def test_R11_the_form_shows_the_letters_lines_and_autosaves_them(client_for, cast):
    obligation = award(cast).report_obligation
    client = client_for(cast.applicant_a)
    url = reverse("reporting:report_obligation", args=[obligation.pk])
    body = client.get(url).content.decode()
    for line in obligation.lines.all():
        assert line.title in body and f"l{line.pk}-used" in body
    assert 'hx-post="' + url in body and "Revisoruttalelse" in body
    competence = obligation.lines.get(kind="competence")
    response = client.post(
        url,
        {
            "version": obligation.version,
            f"l{competence.pk}-completed": "4",
            f"l{competence.pk}-used": "10 000",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "save-status--ok" in response.content.decode()
    competence.refresh_from_db()
    assert (competence.completed, competence.used) == (4, 10_000)
    assert Entry.objects.filter(
        subject_id=obligation.pk, kind="report_edited", actor=cast.applicant_a
    ).exists()


def test_R11_the_case_log_shows_a_choices_words_not_its_code(cast):
    from django.utils.translation import override

    obligation = award(cast).report_obligation
    innovation = obligation.lines.get(kind="innovation")
    bpa = obligation.lines.get(kind="bpa")
    with override("nb"):
        services.update_report(
            obligation=obligation,
            by=cast.signer_a,
            values={
                innovation.pk: {"innovation_status": "ongoing", "used": 1_000, "unused_choice": "carry_over"},
                bpa.pk: {"bpa_training_type": "assistants"},
            },
        )
    entry = Entry.objects.get(subject_id=obligation.pk, kind="report_edited")
    after = {change["field"]: change["after"] for change in entry.changes}
    assert after["innovation_status"] == "pågår"
    assert after["unused_choice"].startswith("søke") and after["bpa_training_type"] == "assistenter"
    assert after["used"] == 1_000  # numbers stay numbers
    labels = {change["field"]: change["label"] for change in entry.changes}
    assert labels["innovation_status"] == f"{innovation.title}: status"
    innovation.refresh_from_db()
    assert innovation.innovation_status == "ongoing"  # the code is what is stored


def test_R11_the_grounds_of_a_reduced_line_are_shown_in_the_readers_language(client_for, cast):
    obligation = award(cast).report_obligation
    line = obligation.lines.get(kind="competence")
    letter = line.decision_line
    letter.granted = letter.applied - 1_000
    letter.explanation = "Redusert fordi rammen er brukt opp."  # the letter's language (bokmål)
    letter.explanations = {"nb": letter.explanation, "nn": "Redusert fordi ramma er brukt opp."}
    letter.save()
    client = client_for(cast.signer_a)
    client.post(reverse("accounts:set_language"), {"language": "nn", "next": "/"})
    url = reverse("reporting:report_obligation", args=[obligation.pk])
    body = client.get(url).content.decode()
    assert "Redusert fordi ramma er brukt opp." in body and "rammen" not in body
    refused = client.post(url, {"version": obligation.version, f"l{line.pk}-used": "99 000 000"})
    assert "Redusert fordi ramma er brukt opp." in refused.content.decode()


def test_R11_a_refused_save_shows_the_page_again_without_a_query_per_line(client_for, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    obligation = award(cast).report_obligation
    competence = obligation.lines.get(kind="competence")
    url = reverse("reporting:report_obligation", args=[obligation.pk])
    client = client_for(cast.signer_a)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"version": obligation.version, f"l{competence.pk}-used": "99 000 000"})
    assert response.status_code == 200 and "mer enn det som ble innvilget" in response.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if 'FROM "decisions_decisionline"' in q], "a query per line for the letter"
    assert not [q for q in sql if 'FROM "applications_application"' in q], "the case number fetched apart"
    assert len([q for q in sql if 'FROM "reporting_reportobligation"' in q]) == 1, "the report fetched twice"


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("used", "99 000 000", "mer enn det som ble innvilget"),
        ("completed", "-1", ""),
        ("completed", "tre", "heltall"),
    ],
)
def test_R11_bad_values_are_refused_next_to_the_field_and_nothing_is_stored(
    client_for, cast, field, typed, message
):
    obligation = award(cast).report_obligation
    competence = obligation.lines.get(kind="competence")
    innovation = obligation.lines.get(kind="innovation")
    response = client_for(cast.applicant_a).post(
        reverse("reporting:report_obligation", args=[obligation.pk]),
        {f"l{competence.pk}-{field}": typed, f"l{innovation.pk}-results": "Skal ikke lagres"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and f'href="#id_l{competence.pk}-{field}"' in body
    assert message in body
    innovation.refresh_from_db()
    competence.refresh_from_db()
    assert innovation.results == "" and competence.completed is None and competence.used is None


def test_R11_used_and_unused_must_add_up_to_the_grant_and_unused_money_needs_a_choice(cast):
    obligation = award(cast).report_obligation
    line = obligation.lines.get(kind="competence")
    with pytest.raises(services.ReportInvalid) as invalid:
        services.update_report(
            obligation=obligation, by=cast.applicant_a, values={line.pk: {"used": 1, "unused": 1}}
        )
    assert [p.code for p in invalid.value.problems[line.pk]] == ["sum_mismatch"]
    fill(obligation, cast.applicant_a)
    services.update_report(
        obligation=obligation,
        by=cast.applicant_a,
        values={line.pk: {"used": line.granted - 5_000, "unused": 5_000}},
    )
    services.add_report_attachment(obligation=obligation, by=cast.applicant_a, upload=_pdf())
    with pytest.raises(services.ReportIncomplete) as gaps:
        services.submit_report(obligation=obligation, by=cast.signer_a)
    assert [p.code for p in gaps.value.problems[line.pk]] == ["choice_missing"]
    services.update_report(
        obligation=obligation, by=cast.applicant_a, values={line.pk: {"unused_choice": "carry_over"}}
    )
    with pytest.raises(services.ReportIncomplete) as gaps:
        services.submit_report(obligation=obligation, by=cast.signer_a)
    assert [p.code for p in gaps.value.problems[line.pk]] == ["reason_missing"]
    services.update_report(
        obligation=obligation,
        by=cast.applicant_a,
        values={line.pk: {"carry_over_reason": "Studiet varer til våren."}},
    )
    obligation, submitted = services.submit_report(obligation=obligation, by=cast.signer_a)
    assert submitted
    line.refresh_from_db()
    assert (line.unused, line.unused_choice, line.carry_over_reason) == (
        5_000,
        "carry_over",
        "Studiet varer til våren.",
    )


def test_R11_a_colleagues_save_in_between_is_not_overwritten(cast):
    obligation = award(cast).report_obligation
    line = obligation.lines.get(kind="competence")
    opened = obligation.version
    services.update_report(obligation=obligation, by=cast.signer_a, values={line.pk: {"completed": 2}})
    with pytest.raises(services.StaleEdit):
        services.update_report(
            obligation=obligation, by=cast.applicant_a, values={line.pk: {"completed": 9}}, version=opened
        )
    line.refresh_from_db()
    assert line.completed == 2


@pytest.mark.parametrize(
    "threshold, wanted", [(200_000, ReportAttachment.AUDITOR), (10_000_000, ReportAttachment.ACCOUNT)]
)
def test_R11_the_auditors_confirmation_at_or_above_the_threshold_else_the_project_account(
    client_for, cast, threshold, wanted
):
    obligation = award(cast).report_obligation
    obligation.round.report_audit_threshold = threshold
    obligation.round.save()
    obligation.refresh_from_db()
    assert obligation.awarded >= 200_000
    fill(obligation, cast.signer_a)
    response = client_for(cast.signer_a).post(reverse("reporting:report_submit", args=[obligation.pk]))
    body = response.content.decode()
    assert response.status_code == 422
    assert ("Legg ved revisoruttalelse." in body) == (wanted == ReportAttachment.AUDITOR)
    assert ("Legg ved prosjektregnskapet." in body) == (wanted == ReportAttachment.ACCOUNT)
    obligation.refresh_from_db()
    assert obligation.submitted_at is None
    # the attachment follows the upload rules: a disguised file is refused
    bad = SimpleUploadedFile("revisor.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client_for(cast.signer_a).post(
        reverse("reporting:report_attach", args=[obligation.pk]), {"file": bad}
    )
    assert response.status_code == 422 and not obligation.attachments.exists()
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    assert obligation.attachments.get().kind == wanted
    services.submit_report(obligation=obligation, by=cast.signer_a)


def test_R11_a_file_attached_before_the_office_changes_the_threshold_still_counts(cast):
    obligation = award(cast).report_obligation
    obligation.round.report_audit_threshold = 10_000_000
    obligation.round.save()
    fill(obligation, cast.signer_a)
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf("regnskap.pdf"))
    assert obligation.attachments.get().kind == ReportAttachment.ACCOUNT
    obligation.round.report_audit_threshold = 200_000  # now the award needs the auditor's confirmation
    obligation.round.save()
    obligation.refresh_from_db()
    obligation, submitted = services.submit_report(obligation=obligation, by=cast.signer_a)
    assert submitted and obligation.submitted_at is not None


def test_R11_a_report_file_is_served_as_a_download_the_browser_may_not_sniff(client_for, cast):
    obligation = award(cast).report_obligation
    attachment = services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    response = client_for(cast.officer_t).get(
        reverse("reporting:report_attachment", args=[obligation.pk, attachment.pk])
    )
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf" and "attachment;" in response["Content-Disposition"]


def test_R11_removing_a_report_file_deletes_it_only_when_the_removal_commits(
    cast, django_capture_on_commit_callbacks
):
    from django.db import transaction

    obligation = award(cast).report_obligation
    attachment = services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    storage, name, pk = attachment.file.storage, attachment.file.name, attachment.pk
    with pytest.raises(RuntimeError), transaction.atomic():  # something later in the request fails
        services.remove_report_attachment(attachment=attachment, by=cast.signer_a)
        raise RuntimeError
    assert obligation.attachments.filter(pk=pk).exists() and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_report_attachment(attachment=ReportAttachment.objects.get(pk=pk), by=cast.signer_a)
    assert not obligation.attachments.exists() and not storage.exists(name)


def test_R11_only_the_signer_submits_the_report(cast):
    obligation = award(cast).report_obligation
    fill(obligation, cast.applicant_a)
    services.add_report_attachment(obligation=obligation, by=cast.applicant_a, upload=_pdf())
    with pytest.raises(PermissionDenied):
        services.submit_report(obligation=obligation, by=cast.applicant_a)
    obligation, first = services.submit_report(obligation=obligation, by=cast.signer_a)
    _, second = services.submit_report(obligation=obligation, by=cast.signer_a)
    assert (first, second) == (True, False)
    with pytest.raises(services.NotEditable):
        fill(obligation, cast.signer_a)


# --- The office's side ---------------------------------------------------------------------------


def test_R11_the_office_returns_with_a_reason_the_recipient_is_told_and_corrects_then_it_is_approved(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.signer_a.email = "signer@trondheim.example"
    cast.signer_a.save()
    obligation = submitted_report(cast)
    client = client_for(cast.officer_t)
    url = reverse("reporting:report_obligation", args=[obligation.pk])
    assert "Godkjenn rapporten" in client.get(url).content.decode()
    response = client.post(reverse("reporting:report_return", args=[obligation.pk]), {"return-reason": ""})
    assert response.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:report_return", args=[obligation.pk]),
            {"return-reason": "Tallene for BPA mangler fordeling."},
        )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert (
        obligation.submitted_at is None and obligation.return_reason == "Tallene for BPA mangler fordeling."
    )
    assert len(mailoutbox) == 1 and "Tallene for BPA mangler fordeling." in mailoutbox[0].body
    assert mailoutbox[0].to == ["signer@trondheim.example"]
    body = client_for(cast.signer_a).get(url).content.decode()
    assert "Tallene for BPA mangler fordeling." in body and "returnert" in body
    # the recipient corrects and submits again; the office approves
    line = obligation.lines.get(kind="bpa")
    services.update_report(
        obligation=obligation, by=cast.signer_a, values={line.pk: {"case_workers_trained": 2}}
    )
    services.submit_report(obligation=obligation, by=cast.signer_a)
    assert (
        client_for(cast.approver_t)
        .post(reverse("reporting:report_approve", args=[obligation.pk]))
        .status_code
        == 302
    )
    obligation.refresh_from_db()
    assert obligation.approved_by == cast.approver_t
    kinds = list(
        Entry.objects.filter(subject_type__model="reportobligation", subject_id=obligation.pk)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds[-4:] == ["report_returned", "report_edited", "report_submitted", "report_approved"]
    returned = Entry.objects.get(subject_id=obligation.pk, kind="report_returned")
    assert returned.reason == "Tallene for BPA mangler fordeling." and returned.actor == cast.officer_t


def test_R11_the_organisation_is_reminded_once_before_the_report_is_due(cast, mailoutbox):
    from tilskudd.reporting.reminders import send_report_reminders

    cast.signer_a.email = "signer@trondheim.example"
    cast.signer_a.save()
    obligation = award(cast).report_obligation
    now = obligation.due - timedelta(days=3)
    assert send_report_reminders(now=now) == 1
    assert send_report_reminders(now=now) == 0  # never twice
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["signer@trondheim.example"]
    assert "Påminnelse" in mailoutbox[0].subject and obligation.round.title in mailoutbox[0].body


def test_R11_the_office_registers_a_paper_report_on_the_organisations_behalf(client_for, cast):
    obligation = award(cast).report_obligation
    response = client_for(cast.officer_t).post(
        reverse("reporting:report_register", args=[obligation.pk]),
        {"received_on": "2028-01-20", "note": "Kom per post, arkivert i sak 28/123."},
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.on_paper and obligation.submitted_by == cast.officer_t
    entry = Entry.objects.get(subject_id=obligation.pk, kind="report_registered")
    assert entry.reason == "Kom per post, arkivert i sak 28/123." and entry.detail == "20.01.2028"


def test_R11_the_office_writes_off_a_requirement_with_a_reason_and_R4_stops_waiting_for_it(cast):
    obligation = award(cast).report_obligation
    later = make_round(cast.office_t, year=2028)
    application = make_application(later, cast.kommune_a, by=cast.signer_a)
    assert [p.code for p in applications.submission_problems(application)] == ["report_missing"]
    with pytest.raises(ValidationError):
        services.write_off(obligation=obligation, by=cast.officer_t, reason="  ")
    services.write_off(obligation=obligation, by=cast.officer_t, reason="Kommunen ble slått sammen.")
    assert applications.submission_problems(application) == []
    assert (
        Entry.objects.get(subject_id=obligation.pk, kind="report_written_off").reason
        == "Kommunen ble slått sammen."
    )


def test_R11_a_written_off_report_cannot_be_returned_or_approved_and_the_page_offers_neither(
    client_for, cast
):
    obligation = submitted_report(cast)
    services.write_off(obligation=obligation, by=cast.officer_t, reason="Kommunen ble slått sammen.")
    with pytest.raises(services.WrongState):
        services.return_report(obligation=obligation, by=cast.officer_t, reason="Mangler tall.")
    with pytest.raises(services.WrongState):
        services.approve_report(obligation=obligation, by=cast.approver_t)
    obligation.refresh_from_db()
    assert obligation.submitted_at is not None and obligation.written_off_at is not None
    assert not Entry.objects.filter(subject_id=obligation.pk, kind="report_returned").exists()
    body = client_for(cast.officer_t).get(reverse("reporting:report_obligation", args=[obligation.pk]))
    page = body.content.decode()
    assert reverse("reporting:report_approve", args=[obligation.pk]) not in page
    assert reverse("reporting:report_return", args=[obligation.pk]) not in page


def test_R11_another_office_cannot_handle_the_report(cast):
    obligation = submitted_report(cast)
    with pytest.raises(PermissionDenied):
        services.approve_report(obligation=obligation, by=cast.approver_n)


def test_R11_the_round_list_shows_every_state_and_filters(client_for, cast):
    obligation = submitted_report(cast)
    round = obligation.round
    client = client_for(cast.officer_t)
    url = reverse("reporting:round_reports", args=[round.pk])
    body = client.get(url).content.decode()
    assert "Trondheim" in body and 'data-state="submitted"' in body
    assert "Trondheim" not in client.get(url, {"state": "overdue"}).content.decode().split("<tbody>")[1]
    assert "Trondheim" not in client.get(url, {"q": "Bodø"}).content.decode().split("<tbody>")[1]
    # the round page links to the list
    assert url in client.get(reverse("rounds:round_manage", args=[round.pk])).content.decode()


def test_R11_the_round_list_takes_as_many_queries_for_many_reports_as_for_one(client_for, cast):
    from tilskudd.organisations.models import Organisation

    obligation = award(cast).report_obligation
    round = obligation.round
    others = Organisation.objects.in_office(cast.office_t).exclude(pk=cast.kommune_a.pk)[:12]

    def grow():
        for organisation in others:
            ReportObligation.objects.create(
                organisation=organisation,
                round=round,
                awarded=100_000,
                due=timezone.now() + timedelta(days=5),
            )

    assert_queries_constant(
        client_for(cast.officer_t), reverse("reporting:round_reports", args=[round.pk]), grow
    )


def test_R11_states_follow_the_calendar(cast):
    obligation = award(cast).report_obligation
    assert obligation.state(now=oslo(datetime(2027, 6, 1, 12, 0))) == "not_yet_due"
    assert obligation.state(now=oslo(datetime(2028, 1, 15, 12, 0))) == "due"
    assert obligation.state(now=oslo(datetime(2028, 2, 2, 12, 0))) == "overdue"


# --- R4 in two steps -----------------------------------------------------------------------------


def test_R4_a_submitted_report_lets_the_organisation_submit_and_a_returned_one_stops_it_again(cast):
    obligation = award(cast).report_obligation
    later = make_round(cast.office_t, year=2028)
    application = make_application(later, cast.kommune_a, by=cast.signer_a)
    problems = applications.submission_problems(application)
    assert [(p.code, p.params["ref"]) for p in problems] == [("report_missing", obligation.pk)]
    fill(obligation, cast.signer_a)
    services.add_report_attachment(obligation=obligation, by=cast.signer_a, upload=_pdf())
    services.submit_report(obligation=obligation, by=cast.signer_a)
    assert applications.submission_problems(application) == []  # submitted is enough to apply
    services.return_report(obligation=obligation, by=cast.officer_t, reason="Mangler tall.")
    assert [p.code for p in applications.submission_problems(application)] == ["report_missing"]


def test_R4_an_unapproved_report_is_marked_for_the_office_and_preparing_decisions_warns(client_for, cast):
    obligation = submitted_report(cast)
    later = make_round(cast.office_t, year=2028, carried_over_funds=0)
    application = submitted_application(later, cast.kommune_a, by=cast.signer_a)
    assert application.status == Status.SUBMITTED  # R4's first step is met
    office = client_for(cast.officer_t)
    case = office.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert 'data-rule="R4"' in case and "Trøndelag 2027" in case
    decisions_page = office.get(reverse("decisions:round_decisions", args=[later.pk])).content.decode()
    assert "Rapport for Trøndelag 2027 er ikke behandlet" in decisions_page
    close_call(later)
    response = office.post(
        reverse("decisions:decisions_prepare", args=[later.pk]), {"scenario": "0"}, follow=True
    )
    assert "Rapport for Trøndelag 2027 er ikke behandlet" in response.content.decode()
    # the applicant does not see the office's flag
    mine = client_for(cast.signer_a).get(reverse("applications:application_detail", args=[application.pk]))
    assert 'data-rule="R4"' not in mine.content.decode()
    services.approve_report(obligation=obligation, by=cast.approver_t)
    decisions_page = office.get(reverse("decisions:round_decisions", args=[later.pk])).content.decode()
    assert "er ikke behandlet" not in decisions_page


def test_R4_a_successor_inherits_its_predecessors_missing_report_with_the_predecessor_named(cast):
    from tilskudd.organisations.models import Organisation, OrganisationKind

    predecessor = Organisation.objects.create(
        name="Gamle Klæbu kommune",
        kommunenummer="5030",
        kind=OrganisationKind.KOMMUNE,
        fylke=cast.kommune_a.fylke,
        valid_to=date(2019, 12, 31),
        successor=cast.kommune_a,
    )
    obligation = award(cast, organisation=predecessor, kinds=("competence",)).report_obligation
    later = make_round(cast.office_t, year=2028)
    application = make_application(later, cast.kommune_a, by=cast.signer_a)
    problems = applications.submission_problems(application)
    assert [(p.code, p.params["ref"]) for p in problems] == [("report_missing", obligation.pk)]
    assert "Gamle Klæbu kommune" in problems[0].params["round"]
    # the former kommune reports separately (SPEC R11): its own obligation, not Trondheim's
    assert obligation.organisation == predecessor


def test_R11_the_office_downloads_every_reports_figures_for_the_round(client_for, cast):
    import io as _io

    from openpyxl import load_workbook

    obligation = submitted_report(cast)
    ReportObligation.objects.create(
        organisation=cast.fylkeskommune, round=obligation.round, awarded=123_000, due=timezone.now()
    )
    url = reverse("reporting:round_reports_export", args=[obligation.round_id])
    response = client_for(cast.officer_t).get(url)
    assert response.status_code == 200
    rows = list(load_workbook(_io.BytesIO(response.content))["Rapporter"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Organisasjon", "Tilstand", "Sendt inn")
    trondheim = [r for r in rows[1:] if r[0] == "Trondheim - Tråante"]
    assert {r[4] for r in trondheim} == {"Kompetanse", "BPA", "Innovasjon"}
    competence = next(r for r in trondheim if r[4] == "Kompetanse")
    assert competence[1] == "sendt inn" and competence[6] == competence[5] and competence[10] == 3
    assert any(r[0] == "Trøndelag fylkeskommune" and r[5] == 123_000 for r in rows[1:])
    assert client_for(cast.officer_n).get(url).status_code == 404


def test_R11_the_round_export_takes_as_many_queries_for_many_reports_as_for_one(client_for, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tilskudd.organisations.models import Organisation

    obligation = award(cast).report_obligation
    client = client_for(cast.officer_t)
    url = reverse("reporting:round_reports_export", args=[obligation.round_id])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = count()
    for organisation in Organisation.objects.in_office(cast.office_t).exclude(pk=cast.kommune_a.pk)[:10]:
        ReportObligation.objects.create(
            organisation=organisation, round=obligation.round, awarded=1, due=timezone.now()
        )
    assert count() == before


def test_the_report_page_shows_the_case_number_without_reading_the_round_again(client_for, cast):
    """The award's application is of the report's round, read with the report: its case number
    ("2027/00042") asks for no round of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decision = award(cast)
    obligation = decision.report_obligation
    client = client_for(cast.signer_a)
    url = reverse("reporting:report_obligation", args=[obligation.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert decision.application.case_number in response.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if q.startswith('SELECT "rounds_round"')], "the round read apart"


def test_the_case_page_shows_the_decided_status_from_the_decision_it_reads_once(client_for, cast):
    """The tag beside the application follows the approved decision (issue 10), taken from the decision
    the case page's panels read (an exists and the read), not asked for a third time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils.text import capfirst
    from django.utils.translation import override

    from tilskudd.decisions.models import Outcome

    decision = award(cast)
    client = client_for(cast.officer_t)
    url = reverse("applications:application_detail", args=[decision.application_id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    with override("nb"):
        label = capfirst(str(Outcome(decision.outcome).label))
    assert f">{label}</span>" in response.content.decode()
    on_decisions = [q["sql"] for q in queries.captured_queries if 'FROM "decisions_decision"' in q["sql"]]
    assert len(on_decisions) == 2, on_decisions
