"""Each letter and its e-mail are made exactly once, even with two workers at once."""

import hashlib
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import close_old_connections, connection
from django.utils import timezone

from tests.factories import make_round, submitted_application
from tilskudd.accounts.models import Role, User
from tilskudd.applications.models import Event, EventKind
from tilskudd.assessment import services as assessment
from tilskudd.decisions import issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision, Letter
from tilskudd.organisations.models import Organisation, OrganisationKind


def approved_round(cast, count: int):
    """A round in Trøndelag with ``count`` approved decisions, one per kommune."""
    round = make_round(cast.office_t)
    kommuner = Organisation.objects.filter(kind=OrganisationKind.KOMMUNE, fylke__number="50").exclude(
        pk=cast.kommune_a.pk
    )[:count]
    for kommune in kommuner:
        signer = User.objects.create(
            username=f"signer_{kommune.pk}",
            role=Role.SIGNER,
            organisation=kommune,
            email=f"signer-{kommune.pk}@kommune.example",
        )
        submitted_application(round, kommune, by=signer, kinds=("competence",))
    scenario = assessment.default_scenario(round, cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    approved = list(Decision.objects.filter(application__round=round, approved_at__isnull=False))
    assert len(approved) == count
    return round, approved


def assert_each_letter_made_and_sent_once(round, approved, *, mail: list[str]) -> None:
    letters = list(Letter.objects.filter(decision__in=approved).select_related("decision__application"))
    assert sorted(letter.decision_id for letter in letters) == sorted(d.pk for d in approved)
    assert all(letter.notified_at for letter in letters)
    on_disk = sorted((Path(django_settings.MEDIA_ROOT) / "letters" / str(round.pk)).iterdir())
    assert [path.name for path in on_disk] == sorted(Path(letter.file.name).name for letter in letters), (
        "every file in the letters folder belongs to a letter: no orphans"
    )
    for letter in letters:
        with letter.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
    assert sorted(mail) == sorted(issuing.letter_filename(letter.decision) for letter in letters)
    for decision in approved:
        assert (
            Event.objects.filter(application=decision.application, kind=EventKind.LETTER_ISSUED).count() == 1
        )


def run_together(count: int, work) -> list:
    """``work(i)`` in ``count`` threads at once; each thread's result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            results[i] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def slow_letters(monkeypatch):
    """Rendering takes long enough that two workers overlap on the same letter."""
    render = issuing.render_letter_pdf

    def slowly(decision):
        time.sleep(0.3)
        return render(decision)

    monkeypatch.setattr(issuing, "render_letter_pdf", slowly)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_the_same_decision_make_one_letter_and_one_e_mail(
    cast, slow_letters, mailoutbox
):
    round, [decision] = approved_round(cast, 1)
    mailoutbox.clear()  # the receipt of the submission
    results = run_together(2, lambda _: issuing.issue_letter(Decision.objects.get(pk=decision.pk)))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert results[0].pk == results[1].pk
    assert Letter.objects.count() == 1
    assert len(list((Path(django_settings.MEDIA_ROOT) / "letters" / str(round.pk)).iterdir())) == 1
    assert len(mailoutbox) == 1


def test_the_e_mail_is_sent_once_even_when_two_workers_hold_the_letter(cast, mailoutbox):
    _, [decision] = approved_round(cast, 1)
    mailoutbox.clear()  # the receipt of the submission
    letter = issuing.issue_letter(decision)
    assert len(mailoutbox) == 1
    Letter.objects.filter(pk=letter.pk).update(notified_at=None, sending_since=None)
    first, second = Letter.objects.get(pk=letter.pk), Letter.objects.get(pk=letter.pk)
    assert issuing.notify_decision(first) is True
    assert issuing.notify_decision(second) is False  # it still thinks the e-mail is unsent
    assert len(mailoutbox) == 2  # the first one, and the one sent again after the reset


def test_an_e_mail_claimed_by_a_worker_that_died_is_sent_after_the_lease(cast, mailoutbox):
    _, [decision] = approved_round(cast, 1)
    letter = issuing.issue_letter(decision)
    mailoutbox.clear()
    just_now = timezone.now() - timedelta(seconds=10)
    Letter.objects.filter(pk=letter.pk).update(notified_at=None, sending_since=just_now)
    assert issuing.notify_decision(Letter.objects.get(pk=letter.pk)) is False  # may still be sending
    long_ago = timezone.now() - issuing.SENDING_LEASE - timedelta(seconds=1)
    Letter.objects.filter(pk=letter.pk).update(sending_since=long_ago)
    assert issuing.notify_decision(Letter.objects.get(pk=letter.pk)) is True
    assert len(mailoutbox) == 1 and Letter.objects.get(pk=letter.pk).notified_at
