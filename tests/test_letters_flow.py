"""From an approved decision to money paid: letters made by the real worker, acceptance, payment (R10c)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import close_call, make_round, submitted_application
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import events, issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Acceptance, Decision, Letter, LetterBatch


@pytest.fixture
def approved(cast):
    # 850 000 kr applied for; no single line asks for more than the round's funds (issue 9)
    round = make_round(cast.office_t, fresh_funds=800_000, carried_over_funds=0)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    return round, application, Decision.objects.get(application=application)


@pytest.mark.django_db(
    transaction=True
)  # the worker closes and reopens database connections, as in production
def test_a_whole_rounds_letters_are_made_by_the_background_worker(client_for, cast, approved, mailoutbox):
    round, application, decision = approved
    response = client_for(cast.officer_t).post(reverse("decisions:letters_start", args=[round.pk]))
    assert response.status_code == 302
    batch = LetterBatch.objects.get(round=round)
    assert batch.total == 1 and batch.task_id
    assert not Letter.objects.exists()  # nothing made in the request
    progress = (
        client_for(cast.officer_t)
        .get(reverse("decisions:letters_progress", args=[round.pk]))
        .content.decode()
    )
    assert 'hx-trigger="every 2s"' in progress

    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)

    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.is_finished) == (1, 0, True)
    letter = Letter.objects.get(decision=decision)
    with letter.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")
    letters_sent = [m for m in mailoutbox if any(a[0].startswith("tildelingsbrev") for a in m.attachments)]
    assert len(letters_sent) == 1 and "kari@kommune.example" in letters_sent[0].to
    assert entries_for(application).filter(kind=events.LETTER_ISSUED.code).exists()
    finished = (
        client_for(cast.officer_t)
        .get(reverse("decisions:letters_progress", args=[round.pk]))
        .content.decode()
    )
    assert "every 2s" not in finished


def test_the_polled_fragment_offers_the_letters_still_missing_once_a_batch_has_finished(
    client_for, cast, approved
):
    round, _, _ = approved
    LetterBatch.objects.create(
        round=round, requested_by=cast.officer_t, total=1, failed=1, finished_at=timezone.now()
    )
    progress = (
        client_for(cast.officer_t)
        .get(reverse("decisions:letters_progress", args=[round.pk]))
        .content.decode()
    )
    assert f'action="{reverse("decisions:letters_start", args=[round.pk])}"' in progress
    assert "Lag 1 brev" in progress
    as_admin = client_for(cast.admin).get(reverse("decisions:letters_progress", args=[round.pk]))
    assert as_admin.status_code == 200 and "Lag 1 brev" not in as_admin.content.decode()  # looks, never acts


def test_a_letter_is_never_made_twice(approved):
    _, _, decision = approved
    first = issuing.issue_letter(decision)
    again = issuing.issue_letter(decision)
    assert first.pk == again.pk and first.sha256 == again.sha256
    assert Letter.objects.count() == 1


def test_the_recipient_and_the_office_download_the_letter(client_for, cast, approved):
    _, application, decision = approved
    issuing.issue_letter(decision)
    url = reverse("decisions:letter_download", args=[application.pk])
    for who in (cast.signer_a, cast.applicant_a, cast.officer_t):
        response = client_for(who).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(cast.officer_n).get(url).status_code == 404


def test_R10c_acceptance_needs_a_valid_account_number(client_for, cast, approved):
    _, application, decision = approved
    client = client_for(cast.signer_a)
    url = reverse("decisions:decision_accept", args=[application.pk])
    wrong = client.post(url, {"accept_conditions": "on", "account_number": "1234 56 78904"})
    assert wrong.status_code == 400
    assert 'id="id_account_number_error"' in wrong.content.decode()
    assert not Acceptance.objects.exists()
    right = client.post(url, {"accept_conditions": "on", "account_number": "1234 56 78903"})
    assert right.status_code == 302
    acceptance = Acceptance.objects.get(decision=decision)
    assert acceptance.account_number == "12345678903" and acceptance.accepted_by == cast.signer_a
    with pytest.raises(ValidationError):
        issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678904")


def test_R10c_only_the_signer_accepts(client_for, cast, approved):
    _, application, decision = approved
    response = client_for(cast.applicant_a).post(
        reverse("decisions:decision_accept", args=[application.pk]),
        {"accept_conditions": "on", "account_number": "12345678903"},
    )
    assert response.status_code in (403, 404)
    assert not Acceptance.objects.exists()


def test_R10c_payments_follow_acceptance_and_never_exceed_the_grant(client_for, cast, approved):
    round, _, decision = approved
    # payments are dated from a week before the approval to a year ahead, so these follow today
    first, second = timezone.localdate(), timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        issuing.record_payment(decision=decision, by=cast.officer_t, paid_on=first, amount=1)
    issuing.accept(decision=decision, by=cast.signer_a, account_number="12345678903")
    client = client_for(cast.officer_t)
    url = reverse("decisions:round_payments", args=[round.pk])
    client.post(
        url, {"decision": decision.pk, "paid_on": first.isoformat(), "amount": str(decision.granted - 1000)}
    )
    client.post(
        url, {"decision": decision.pk, "paid_on": second.isoformat(), "amount": "2 000"}
    )  # one krone too many
    assert issuing.paid_total(decision) == decision.granted - 1000
    client.post(url, {"decision": decision.pk, "paid_on": second.isoformat(), "amount": "1 000"})
    assert issuing.paid_total(decision) == decision.granted
    assert entries_for(decision.application).filter(kind=events.PAID.code).count() == 2
    with pytest.raises(PermissionDenied):
        issuing.record_payment(decision=decision, by=cast.officer_n, paid_on=first, amount=1)


def test_reminders_go_once_to_those_who_have_not_submitted(cast, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    from tilskudd.reporting.models import ReportObligation
    from tilskudd.reporting.reminders import send_reminders

    for user in (cast.signer_a, cast.fylke_user, cast.signer_b):
        user.email = f"{user.username}@example.no"
        user.save()
    round = make_round(cast.office_t, deadline=timezone.now() + timedelta(days=3))
    submitted_application(round, cast.fylkeskommune, by=cast.fylke_user, kinds=("competence",))
    earlier = make_round(cast.office_n, year=2026, deadline=timezone.now() - timedelta(days=300))
    ReportObligation.objects.create(
        organisation=cast.kommune_b, round=earlier, awarded=1, due=timezone.now() + timedelta(days=5)
    )
    mailoutbox.clear()
    assert send_reminders(days=7) == 2
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == [
        "signer_a@example.no",
        "signer_b@example.no",
    ]  # not the fylkeskommune: it has submitted
    assert send_reminders(days=7) == 0  # never the same reminder twice
    assert len(mailoutbox) == 2


def test_the_case_archive_holds_every_document_with_its_metadata(client_for, cast, approved):
    import io
    import json
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tilskudd.applications.models import Attachment

    round, application, decision = approved
    Attachment.objects.create(
        application=application,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 budsjett"),
        stored_name="x.pdf",
        original_name="budsjett.pdf",
        content_type="application/pdf",
        size=17,
        uploaded_by=cast.signer_a,
    )
    issuing.issue_letter(decision)
    response = client_for(cast.officer_t).get(reverse("decisions:case_archive", args=[application.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = application.case_number.replace("/", "-")
    names = set(archive.namelist())
    metadata = json.loads(archive.read(f"{folder}/metadata.json"))
    assert metadata["saksnummer"] == application.case_number
    assert metadata["vedtak_godkjent_av"] == str(cast.approver_t)
    listed = {document["fil"] for document in metadata["dokumenter"]}
    assert {f"{folder}/{name}" for name in listed} | {f"{folder}/metadata.json"} == names
    assert {"soknad.json", "kvittering.pdf", "vedtak.json"} <= listed
    assert any(name.startswith("tildelingsbrev") for name in listed)
    assert any(name.startswith("vedlegg/") for name in listed)
    assert (
        client_for(cast.signer_a).get(reverse("decisions:case_archive", args=[application.pk])).status_code
        == 403
    )


def test_the_polled_letters_fragment_offers_the_button_again_when_letters_are_missing(
    client_for, cast, approved
):
    """The page and its polled fragment are built from one context: a retry needs no reload."""
    round, _application, _decision = approved
    LetterBatch.objects.create(round=round, requested_by=cast.officer_t, total=1, failed=1)
    LetterBatch.objects.filter(round=round).update(finished_at=timezone.now())
    fragment = (
        client_for(cast.officer_t)
        .get(reverse("decisions:letters_progress", args=[round.pk]))
        .content.decode()
    )
    assert reverse("decisions:letters_start", args=[round.pk]) in fragment
    page = (
        client_for(cast.officer_t).get(reverse("decisions:round_decisions", args=[round.pk])).content.decode()
    )
    assert reverse("decisions:letters_start", args=[round.pk]) in page
