"""Rounds and applications: R1–R6 at submission, drafts that keep work, the case log."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_application, make_round, past_deadline, submitted_application
from tests.helpers import assert_queries_constant
from tilskudd.applications import events, services
from tilskudd.applications.models import Application, Line, Status
from tilskudd.caselog.selectors import entries_for
from tilskudd.domain.deadlines import oslo
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.models import Extension, Round


@pytest.fixture
def round_t(cast):
    return make_round(cast.office_t, year=2027)


def _problem_codes(response):
    body = response.content.decode()
    return {
        code
        for code in (
            "deadline_passed",
            "report_missing",
            "line_kind_not_allowed",
            "line_limit_exceeded",
            "no_lines",
            "application_incomplete",
            "line_incomplete",
        )
        if f'data-code="{code}"' in body
    }


# --- R6: one combined application, anchored, prioritised, submitted by a signer ---------------------------


def test_R6_one_application_per_organisation_per_round(client_for, cast, round_t):
    client = client_for(cast.applicant_a)
    first = client.post(reverse("applications:application_start", args=[round_t.pk]))
    second = client_for(cast.signer_a).post(reverse("applications:application_start", args=[round_t.pk]))
    assert first["Location"] == second["Location"]
    assert Application.objects.filter(round=round_t, organisation=cast.kommune_a).count() == 1


def test_R6_a_plain_applicant_can_edit_but_not_submit(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    client = client_for(cast.applicant_a)
    page = client.get(reverse("applications:application_submit", args=[application.pk])).content.decode()
    assert "Bare leder med budsjettansvar kan sende inn søknaden" in page
    response = client.post(reverse("applications:application_submit", args=[application.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.submit(application=application, by=cast.applicant_a)
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_R6_the_signer_submits_and_gets_a_receipt(
    client_for, cast, round_t, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {  # the receipt e-mail is a background task: run it in-process here
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    application = make_application(
        round_t, cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa", "innovation")
    )
    client = client_for(cast.signer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:application_submit", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application_receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_by == cast.signer_a
    assert application.snapshot["total"] == 60_000 + 40_000 + 750_000
    assert len(mailoutbox) == 1
    receipt = client.get(reverse("applications:application_receipt", args=[application.pk])).content.decode()
    assert application.case_number in receipt
    pdf = client.get(reverse("applications:receipt_pdf", args=[application.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_R6_submission_is_atomic_and_idempotent(cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a)
    first, submitted_now = services.submit(application=application, by=cast.signer_a)
    again, submitted_again = services.submit(application=application, by=cast.signer_a)
    assert (submitted_now, submitted_again) == (True, False)
    assert first.submitted_at == again.submitted_at
    assert entries_for(application).filter(kind=events.SUBMITTED.code).count() == 1


def test_R6_missing_fields_are_named_with_links(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a, kinds=("bpa",), complete=False)
    response = client_for(cast.signer_a).post(
        reverse("applications:application_submit", args=[application.pk])
    )
    assert response.status_code == 400
    assert _problem_codes(response) == {"line_incomplete"}
    line = application.lines.get()
    assert reverse("applications:line_edit", args=[application.pk, line.pk]) in response.content.decode()


def test_the_submit_check_reads_the_lines_once_however_many_problems_it_names(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a, complete=False)

    def grow():
        for rank in (2, 3, 4):
            Line.objects.create(application=application, kind="competence", rank=rank)

    assert_queries_constant(
        client_for(cast.signer_a), reverse("applications:application_submit", args=[application.pk]), grow
    )


def test_R6_the_applicant_ranks_its_own_lines(client_for, cast, round_t):
    application = make_application(
        round_t, cast.kommune_a, by=cast.applicant_a, kinds=("competence", "bpa", "innovation")
    )
    competence, bpa, innovation = application.lines.order_by("rank")
    client = client_for(cast.applicant_a)
    client.post(reverse("applications:line_move", args=[application.pk, innovation.pk]), {"direction": "up"})
    client.post(reverse("applications:line_move", args=[application.pk, innovation.pk]), {"direction": "up"})
    assert list(application.lines.order_by("rank").values_list("pk", flat=True)) == [
        innovation.pk,
        competence.pk,
        bpa.pk,
    ]
    assert entries_for(application).filter(kind=events.REORDERED.code).count() == 2


# --- R2: who may apply for what ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bpa", "innovation"])
def test_R2_a_fylkeskommune_is_told_it_may_only_apply_for_competence(client_for, cast, round_t, kind):
    application = services.start_application(
        round=round_t, organisation=cast.fylkeskommune, by=cast.fylke_user
    )
    client = client_for(cast.fylke_user)
    response = client.post(
        reverse("applications:line_add", args=[application.pk]), {"kind": kind}, follow=True
    )
    assert "Trøndelag fylkeskommune kan ikke søke om" in response.content.decode()
    assert not application.lines.exists()
    page = client.get(reverse("applications:application_detail", args=[application.pk])).content.decode()
    assert 'value="competence"' in page and f'value="{kind}"' not in page


def test_R2_the_matrix_is_round_configuration(cast):
    round = make_round(
        cast.office_t,
        allowed_line_kinds={
            "kommune": ["competence"],
            "fylkeskommune": ["competence", "innovation"],
            "state": [],
        },
    )
    application = services.start_application(round=round, organisation=cast.fylkeskommune, by=cast.fylke_user)
    assert (
        services.add_line(application=application, by=cast.fylke_user, kind="innovation").kind == "innovation"
    )
    kommune_application = services.start_application(
        round=round, organisation=cast.kommune_a, by=cast.signer_a
    )
    with pytest.raises(services.LineKindNotAllowed):
        services.add_line(application=kommune_application, by=cast.signer_a, kind="innovation")


def test_R2_a_line_of_a_kind_no_longer_allowed_blocks_submission(cast, round_t):
    application = make_application(
        round_t, cast.kommune_a, by=cast.signer_a, kinds=("competence", "innovation")
    )
    round_t.allowed_line_kinds = {**round_t.allowed_line_kinds, "kommune": ["competence"]}
    round_t.save()
    codes = {p.code for p in services.submission_problems(application)}
    assert codes == {"line_kind_not_allowed"}


# --- R1: per-applicant limits -------------------------------------------------------------------------------


def test_R1_a_per_applicant_limit_is_enforced_at_submission(cast):
    round = make_round(cast.office_t, line_limits={"innovation": 1})
    application = make_application(
        round, cast.kommune_a, by=cast.signer_a, kinds=("innovation", "innovation")
    )
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit(application=application, by=cast.signer_a)
    assert [p.code for p in refused.value.problems] == ["line_limit_exceeded"]


# --- R4: report before applying again ------------------------------------------------------------------------


def test_R4_a_missing_report_blocks_submission_and_names_the_report(client_for, cast, round_t):
    earlier = make_round(cast.office_t, year=2026, deadline=past_deadline())
    obligation = ReportObligation.objects.create(
        organisation=cast.kommune_a, round=earlier, awarded=400_000, due=oslo(datetime(2027, 2, 1, 23, 59))
    )
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.signer_a)
    response = client.post(reverse("applications:application_submit", args=[application.pk]))
    body = response.content.decode()
    assert _problem_codes(response) == {"report_missing"}
    assert "Trøndelag 2026" in body
    assert reverse("reporting:report_obligation", args=[obligation.pk]) in body
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    # the report page it links to is there and says what is missing
    assert (
        "Ikke sendt inn"
        in client.get(reverse("reporting:report_obligation", args=[obligation.pk])).content.decode()
    )

    obligation.submitted_at = timezone.now()
    obligation.save()
    assert client.post(reverse("applications:application_submit", args=[application.pk])).status_code == 302


def test_R4_another_organisations_missing_report_does_not_block(cast, round_t):
    earlier = make_round(cast.office_t, year=2026, deadline=past_deadline())
    ReportObligation.objects.create(
        organisation=cast.fylkeskommune, round=earlier, awarded=1, due=timezone.now()
    )
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a)
    assert services.submission_problems(application) == []


# --- R5: the deadline -------------------------------------------------------------------------------------


def test_R5_after_the_deadline_submission_is_refused_with_the_deadline_shown(client_for, cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    application = make_application(round, cast.kommune_a, by=cast.signer_a)
    response = client_for(cast.signer_a).post(
        reverse("applications:application_submit", args=[application.pk])
    )
    assert _problem_codes(response) == {"deadline_passed"}
    assert "1. mars 2022 kl. 23:59" in response.content.decode()


def test_R5_the_last_second_of_the_deadline_day_is_on_time(cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    application = make_application(round, cast.kommune_a, by=cast.signer_a)
    late = oslo(datetime(2022, 3, 2, 0, 0, 0))
    assert [p.code for p in services.submission_problems(application, now=late)] == ["deadline_passed"]
    _, submitted = services.submit(
        application=application, by=cast.signer_a, now=oslo(datetime(2022, 3, 1, 23, 59, 59))
    )
    assert submitted


def test_R5_an_extension_granted_by_the_office_lets_one_organisation_submit_late(client_for, cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    application = make_application(round, cast.kommune_a, by=cast.signer_a)
    later = timezone.localtime() + timedelta(days=2)
    response = client_for(cast.officer_t).post(
        reverse("applications:round_extension", args=[round.pk]),
        {
            "organisation": cast.kommune_a.pk,
            "until": later.strftime("%Y-%m-%dT%H:%M"),
            "reason": "Sykdom hos rådgiver",
        },
    )
    assert response.status_code == 302
    assert entries_for(application).filter(kind=events.EXTENSION.code, actor=cast.officer_t).exists()
    _, submitted = services.submit(application=application, by=cast.signer_a)
    assert submitted
    other = make_application(round, cast.fylkeskommune, by=cast.fylke_user)
    assert [p.code for p in services.submission_problems(other)] == ["deadline_passed"]


def test_R5_after_the_deadline_only_an_organisation_with_a_later_deadline_may_start(client_for, cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    services.grant_extension(
        round=round,
        organisation=cast.kommune_a,
        by=cast.officer_t,
        until=timezone.now() + timedelta(days=2),
        reason="Sykdom hos rådgiver",
    )
    start = reverse("applications:application_start", args=[round.pk])
    page = reverse("rounds:round_detail", args=[round.pk])
    assert f'action="{start}"' in client_for(cast.signer_a).get(page).content.decode()
    assert f'action="{start}"' not in client_for(cast.fylke_user).get(page).content.decode()
    with pytest.raises(services.DeadlinePassed):
        services.start_application(round=round, organisation=cast.fylkeskommune, by=cast.fylke_user)
    response = client_for(cast.fylke_user).post(start, follow=True)
    assert "Fristen var 1. mars 2022 kl. 23:59" in response.content.decode()
    assert not Application.objects.filter(round=round, organisation=cast.fylkeskommune).exists()
    started = services.start_application(round=round, organisation=cast.kommune_a, by=cast.signer_a)
    assert started.organisation == cast.kommune_a


def test_R5_a_later_deadline_is_checked_against_the_rounds_deadline_as_stored(cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    opened = Round.objects.get(pk=round.pk)  # the page's copy, read before the deadline was moved
    Round.objects.filter(pk=round.pk).update(application_deadline=past_deadline(10))
    with pytest.raises(ValidationError) as refused:
        services.grant_extension(
            round=opened, organisation=cast.kommune_a, by=cast.officer_t, until=past_deadline(5), reason="x"
        )
    assert "until" in refused.value.message_dict
    assert not Extension.objects.exists()


def test_R5_an_officer_of_another_office_cannot_grant_an_extension(cast):
    round = make_round(cast.office_t, year=2022, deadline=past_deadline())
    with pytest.raises(PermissionDenied):
        services.grant_extension(
            round=round, organisation=cast.kommune_a, by=cast.officer_n, until=timezone.now(), reason="x"
        )


# --- Drafts that never lose work --------------------------------------------------------------------------


def test_a_line_form_with_bad_input_keeps_everything_typed_and_saves_nothing(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a, complete=False)
    line = application.lines.get()
    response = client_for(cast.applicant_a).post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"title": "Videreutdanning i demens", "amount_applied": "60 000,50", "employees_count": "3"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_amount_applied_error"' in body and "øre" in body
    assert 'value="Videreutdanning i demens"' in body and 'value="60 000,50"' in body
    assert 'class="ds-error-summary"' in body
    line.refresh_from_db()
    assert line.title == "" and line.amount_applied is None


def test_amounts_are_read_as_norwegians_type_them(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a, complete=False)
    line = application.lines.get()
    client_for(cast.applicant_a).post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"title": "Kurs", "amount_applied": "1 234 567 kr"},
    )
    line.refresh_from_db()
    assert line.amount_applied == 1_234_567


def test_bpa_amount_is_per_person_times_persons(client_for, cast, round_t):
    application = make_application(
        round_t, cast.kommune_a, by=cast.applicant_a, kinds=("bpa",), complete=False
    )
    line = application.lines.get()
    client = client_for(cast.applicant_a)
    response = client.post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"amount_per_person": "7 500", "persons_count": "12", "persons_untrained": "4"},
        HTTP_HX_REQUEST="true",
    )
    assert "90\u00a0000\u00a0kr" in response.content.decode()  # updated in the page as the applicant types
    line.refresh_from_db()
    assert line.amount == line.amount_applied == 90_000
    refused = client.post(
        reverse("applications:line_edit", args=[application.pk, line.pk]),
        {"persons_count": "3", "persons_untrained": "4"},
    )
    assert "Kan ikke være flere enn antall personer" in refused.content.decode()


def test_saving_a_line_read_before_a_move_keeps_the_new_order(cast, round_t):
    """The line form was opened before a colleague moved the line: saving it must not undo the move."""
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa"))
    competence, bpa = application.lines.order_by("rank")
    opened = Line.objects.get(pk=bpa.pk)  # the form's copy: rank 2
    services.move_line(line=bpa, by=cast.applicant_a, up=True)
    services.update_line(line=opened, by=cast.signer_a, data={"title": "BPA-kurs"})
    assert list(application.lines.order_by("rank").values_list("pk", "title")) == [
        (bpa.pk, "BPA-kurs"),
        (competence.pk, competence.title),
    ]


def test_cancelling_a_new_line_keeps_what_an_autosave_just_wrote(cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.signer_a, kinds=())
    line = services.add_line(application=application, by=cast.signer_a, kind="competence")
    opened = Line.objects.get(pk=line.pk)  # read empty, before the autosave below
    services.update_line(line=line, by=cast.signer_a, data={"title": "Videreutdanning"})
    assert services.cancel_new_line(line=opened, by=cast.signer_a) is False
    assert Line.objects.get(pk=line.pk).title == "Videreutdanning"
    empty = services.add_line(application=application, by=cast.signer_a, kind="bpa")
    assert services.cancel_new_line(line=empty, by=cast.signer_a) is True
    assert not Line.objects.filter(pk=empty.pk).exists()


def test_a_line_autosave_that_changes_nothing_leaves_a_colleagues_form_fresh(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    opened = Application.objects.get(pk=application.pk).version
    line = application.lines.get()
    services.update_line(line=line, by=cast.signer_a, data={"title": line.title})
    assert Application.objects.get(pk=application.pk).version == opened
    response = client_for(cast.applicant_a).post(
        reverse("applications:application_detail", args=[application.pk]),
        {"contact_name": "Siri", "version": opened},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.contact_name == "Siri"
    services.update_line(line=line, by=cast.signer_a, data={"title": "Nytt navn"})
    assert Application.objects.get(pk=application.pk).version == application.version + 1


def test_autosave_saves_and_hands_back_the_new_version(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a, complete=False)
    client = client_for(cast.applicant_a)
    url = reverse("applications:application_detail", args=[application.pk])
    response = client.post(
        url, {"contact_name": "Siri", "version": application.version}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    application.refresh_from_db()
    assert application.contact_name == "Siri"
    assert "Lagret kl." in body
    assert f'name="version" value="{application.version}"' in body and 'hx-swap-oob="true"' in body


def test_a_stale_form_is_refused_and_nothing_is_lost(client_for, cast, round_t):
    """Two colleagues edit the same draft: the second save is told, and the first save stands."""
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a, complete=False)
    opened = application.version
    services.update_application(application=application, by=cast.signer_a, data={"contact_name": "Lars"})
    response = client_for(cast.applicant_a).post(
        reverse("applications:application_detail", args=[application.pk]),
        {"contact_name": "Siri", "version": opened},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Noen andre lagret søknaden" in body
    assert 'value="Siri"' in body  # what was typed is still on the screen
    application.refresh_from_db()
    assert application.contact_name == "Lars"


def test_a_submitted_application_cannot_be_changed(client_for, cast, round_t):
    application = submitted_application(round_t, cast.kommune_a, by=cast.signer_a)
    snapshot = dict(application.snapshot)
    client = client_for(cast.signer_a)
    client.post(reverse("applications:application_detail", args=[application.pk]), {"contact_name": "Endret"})
    line = application.lines.first()
    client.post(reverse("applications:line_edit", args=[application.pk, line.pk]), {"title": "Endret"})
    with pytest.raises(services.NotEditable):
        services.update_application(application=application, by=cast.signer_a, data={"contact_name": "x"})
    with pytest.raises(services.NotEditable):
        services.add_line(application=application, by=cast.signer_a, kind="competence")
    application.refresh_from_db()
    assert application.contact_name != "Endret"
    assert Line.objects.get(pk=line.pk).title != "Endret"
    assert application.snapshot == snapshot


# --- Attachments --------------------------------------------------------------------------------------------


def test_removing_an_attachment_deletes_its_file_only_when_the_removal_commits(
    cast, round_t, django_capture_on_commit_callbacks
):
    from django.db import transaction

    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    pdf = SimpleUploadedFile("budsjett.pdf", b"%PDF-1.7\n% budsjett")
    attachment = services.add_attachment(application=application, by=cast.applicant_a, upload=pdf)
    storage, name, pk = attachment.file.storage, attachment.file.name, attachment.pk
    with pytest.raises(RuntimeError), transaction.atomic():  # something later in the request fails
        services.remove_attachment(attachment=attachment, by=cast.applicant_a)
        raise RuntimeError
    assert application.attachments.filter(pk=pk).exists() and storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment=application.attachments.get(), by=cast.applicant_a)
    assert not application.attachments.exists() and not storage.exists(name)


def test_attachments_are_checked_by_content_and_served_only_to_those_allowed(client_for, cast, round_t):
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    client = client_for(cast.applicant_a)
    url = reverse("applications:attachment_add", args=[application.pk])
    fake = SimpleUploadedFile("budsjett.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client.post(url, {"file": fake})
    assert response.status_code == 400
    assert "Innholdet i filen stemmer ikke med navnet (.pdf)" in response.content.decode()
    assert not application.attachments.exists()

    pdf = SimpleUploadedFile("budsjett.pdf", b"%PDF-1.7\n% budsjett", content_type="application/octet-stream")
    assert client.post(url, {"file": pdf}).status_code == 302
    attachment = application.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert "budsjett" not in attachment.file.name  # stored under a random name
    download = reverse("applications:attachment_download", args=[application.pk, attachment.pk])
    assert client_for(cast.officer_t).get(download).status_code == 404  # a draft is the organisation's own
    services.share_with_office(application=application, by=cast.applicant_a, shared=True)
    for reader in (cast.applicant_a, cast.officer_t):
        response = client_for(reader).get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(cast.officer_n).get(download).status_code == 404


def test_attachments_over_the_size_limit_are_refused(client_for, cast, round_t, settings, monkeypatch):
    from tilskudd.applications import uploads

    monkeypatch.setattr(uploads, "MAX_ATTACHMENT_BYTES", 100)
    application = make_application(round_t, cast.kommune_a, by=cast.applicant_a)
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"x" * 200)
    response = client_for(cast.applicant_a).post(
        reverse("applications:attachment_add", args=[application.pk]), {"file": big}
    )
    assert "større enn 20 MB" in response.content.decode()
    assert not application.attachments.exists()


# --- The case log --------------------------------------------------------------------------------------------


def test_the_case_log_shows_who_did_what_and_when(client_for, cast, round_t):
    application = submitted_application(round_t, cast.kommune_a, by=cast.signer_a)
    kinds = list(entries_for(application).values_list("kind", flat=True))
    assert kinds[0] == events.CREATED.code and kinds[-1] == events.SUBMITTED.code
    page = (
        client_for(cast.officer_t)
        .get(reverse("applications:application_detail", args=[application.pk]))
        .content.decode()
    )
    assert "Sendt inn" in page and str(cast.signer_a) in page


def test_the_office_finds_the_archive_download_on_a_submitted_case_and_the_applicant_does_not(
    client_for, cast, round_t
):
    application = submitted_application(round_t, cast.kommune_a, by=cast.signer_a)
    page = reverse("applications:application_detail", args=[application.pk])
    archive = reverse("decisions:case_archive", args=[application.pk])
    assert f'href="{archive}"' in client_for(cast.officer_t).get(page).content.decode()
    assert f'href="{archive}"' not in client_for(cast.signer_a).get(page).content.decode()
