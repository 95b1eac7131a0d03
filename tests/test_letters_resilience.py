"""A round's letters survive a crashed worker, and each letter and e-mail is made exactly once.

The crash tests start the real ``manage.py db_worker`` in a subprocess against the
test database (tests.worker_settings), hold it inside a letter (tests.worker_hold),
kill it with SIGKILL, and start again from the page or the service.
"""

import email
import hashlib
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import close_call, make_round, submitted_application
from tilskudd.accounts.models import Role, User
from tilskudd.assessment import services as assessment
from tilskudd.caselog.selectors import entries_for
from tilskudd.decisions import events, issuing
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision, Letter, LetterBatch
from tilskudd.organisations.models import Organisation, OrganisationKind

BASE_DIR = Path(django_settings.BASE_DIR)


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
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decisions.approve_round(round=round, by=cast.approver_t)
    approved = list(Decision.objects.filter(application__round=round, approved_at__isnull=False))
    assert len(approved) == count
    # The submissions queued their receipts for the worker; they are another test's business, and
    # would otherwise share this worker's mail folder and storage with the letters.
    DBTaskResult.objects.filter(task_path__endswith="send_receipt_task").delete()
    return round, approved


@pytest.fixture
def worker(settings, tmp_path):
    """``worker(hold=...)`` starts ``manage.py db_worker --batch`` on the test database."""
    started = []

    def start(*, hold: str = "", slow: float = 0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "TEST_WORKER_DATABASE": str(connection.settings_dict["NAME"]),
            "TEST_WORKER_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "TEST_WORKER_MAIL_DIR": str(tmp_path / "mail"),
            "TEST_WORKER_HOLD": hold,
            "TEST_WORKER_HELD": str(tmp_path / "held"),
            "TEST_WORKER_SLOW": str(slow or ""),
        }
        log = open(tmp_path / f"worker-{len(started)}.log", "wb")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0"]
            + [
                "--no-startup-delay",
                "--no-reload",
                "--verbosity",
                "0",
                "--worker-id",
                f"test-{len(started)}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.log.close()


def worker_log(process) -> str:
    process.log.flush()
    return Path(process.log.name).read_text(errors="replace")[-3000:]


def wait_for(condition, process, *, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the worker ended early:\n{worker_log(process)}"
        assert time.monotonic() < deadline, f"gave up waiting:\n{worker_log(process)}"
        time.sleep(0.05)


def sent_letters(mail_dir: Path) -> list[tuple[str, list[str]]]:
    """(attachment name, recipients) of every message the worker's file backend wrote."""
    separator = b"\n" + b"-" * 79 + b"\n"
    sent = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for raw in path.read_bytes().split(separator):
            if raw.strip():
                message = email.message_from_bytes(raw)
                for part in message.walk():
                    if part.get_filename():
                        sent.append((part.get_filename(), message["To"].split(", ")))
    return sent


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
        assert entries_for(decision.application).filter(kind=events.LETTER_ISSUED.code).count() == 1


@pytest.mark.django_db(transaction=True)  # the worker is another process: it sees committed data only
@pytest.mark.parametrize(
    ("held_at", "start_again_from"),
    [("render", "service"), ("stored", "page")],
    ids=["killed-while-rendering-restarted-by-service", "killed-after-storing-file-restarted-from-page"],
)
def test_a_round_s_letters_survive_a_worker_killed_mid_batch(
    cast, client_for, worker, tmp_path, held_at, start_again_from
):
    round, approved = approved_round(cast, 4)
    batch = issuing.start_letter_batch(round=round, by=cast.officer_t)
    assert batch.total == 4

    crashed = worker(hold=f"1:{held_at}")  # one letter goes through, the second is held
    wait_for((tmp_path / "held").exists, crashed)
    crashed.kill()  # SIGKILL: no clean-up of any kind
    crashed.wait()

    batch.refresh_from_db()
    assert (batch.done, batch.is_finished, batch.is_stale) == (1, False, False)
    if held_at == "stored":
        assert len(list((Path(django_settings.MEDIA_ROOT) / "letters" / str(round.pk)).iterdir())) == 2
    client = client_for(cast.officer_t)
    progress_url = reverse("decisions:letters_progress", args=[round.pk])
    assert "every 2s" in client.get(progress_url).content.decode()  # still hoping for a heartbeat

    # two minutes and more without a heartbeat
    long_ago = timezone.now() - LetterBatch.STALE_AFTER - timedelta(seconds=1)
    LetterBatch.objects.filter(pk=batch.pk).update(heartbeat_at=long_ago)
    stalled = client.get(progress_url).content.decode()
    assert "Brevlagingen har stoppet opp etter 1 av 4" in stalled
    assert "every 2s" not in stalled  # the page stops polling and offers to start again
    assert f'action="{reverse("decisions:letters_start", args=[round.pk])}"' in stalled

    if start_again_from == "service":
        again = issuing.start_letter_batch(round=round, by=cast.officer_t)
    else:
        assert client.post(reverse("decisions:letters_start", args=[round.pk])).status_code == 302
        again = round.letter_batches.first()
    batch.refresh_from_db()
    assert again.pk != batch.pk and batch.abandoned_at
    assert again.total == 3  # the letters still missing, and only those
    assert issuing.start_letter_batch(round=round, by=cast.officer_t) == again  # never two side by side

    finishing = worker()
    assert finishing.wait(timeout=180) == 0, worker_log(finishing)
    again.refresh_from_db()
    assert (again.done, again.failed, again.is_finished, again.errors) == (3, 0, True, [])
    assert_each_letter_made_and_sent_once(
        round, approved, mail=[name for name, _ in sent_letters(tmp_path / "mail")]
    )
    finished = client.get(progress_url).content.decode()
    assert "every 2s" not in finished and "stoppet opp" not in finished
    assert reverse("decisions:letters_start", args=[round.pk]) not in finished  # nothing left to make


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two worker processes take letters side by side only on PostgreSQL (row locks, SKIP LOCKED); "
    "SQLite lets one writer in at a time. CI runs this on PostgreSQL (DATABASE_URL).",
)
@pytest.mark.django_db(transaction=True)  # the workers are other processes: they see committed data only
def test_two_worker_processes_on_postgresql_make_each_letter_and_e_mail_once(cast, worker, tmp_path):
    """Two real ``db_worker`` processes on one round's letters at once: a batch started again
    beside a worker that was still running it (or two starts at once), each taken by its own worker."""
    round, approved = approved_round(cast, 8)
    first = issuing.start_letter_batch(round=round, by=cast.officer_t)
    second = LetterBatch.objects.create(round=round, requested_by=cast.officer_t, total=first.total)
    second.task_id = str(issuing.make_round_letters.enqueue(second.pk).id)
    second.save(update_fields=["task_id"])

    # Each letter takes a quarter of a second longer, spent holding its decision's row, so
    # the two workers meet on the same decisions (SKIP LOCKED, then waiting at the end).
    workers = [worker(slow=0.25), worker(slow=0.25)]
    for process in workers:
        assert process.wait(timeout=240) == 0, worker_log(process)

    tasks = DBTaskResult.objects.filter(id__in=[first.task_id, second.task_id])
    assert sorted(task.status for task in tasks) == ["SUCCESSFUL", "SUCCESSFUL"]
    assert sorted(task.worker_ids[0] for task in tasks) == ["test-0", "test-1"], "one batch per worker"
    runs = sorted((task.started_at, task.finished_at) for task in tasks)
    assert runs[1][0] < runs[0][1], f"the two workers did not overlap: {runs}"
    for batch in (first, second):
        batch.refresh_from_db()
        assert (batch.done, batch.failed, batch.errors, batch.is_finished) == (8, 0, [], True)
    assert Letter.objects.filter(decision__in=approved).count() == 8
    assert_each_letter_made_and_sent_once(
        round, approved, mail=[name for name, _ in sent_letters(tmp_path / "mail")]
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


@pytest.mark.django_db(transaction=True)
def test_two_batches_at_once_make_each_letter_once_and_report_no_false_failures(
    cast, slow_letters, mailoutbox
):
    round, approved = approved_round(cast, 3)
    mailoutbox.clear()  # the receipts of the submissions
    # two batches side by side, as a double click made them before
    batches = [
        LetterBatch.objects.create(round=round, requested_by=cast.officer_t, total=3) for _ in range(2)
    ]
    results = run_together(2, lambda i: issuing.make_round_letters.call(batches[i].pk))
    assert not [r for r in results if isinstance(r, BaseException)], results
    for batch in batches:
        batch.refresh_from_db()
        assert (batch.done, batch.failed, batch.errors, batch.is_finished) == (3, 0, [], True)
    assert_each_letter_made_and_sent_once(
        round, approved, mail=[a[0] for m in mailoutbox for a in m.attachments]
    )


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


def test_a_batch_is_stale_after_two_minutes_without_a_heartbeat(cast):
    round = make_round(cast.office_t)
    batch = LetterBatch.objects.create(round=round, requested_by=cast.officer_t, total=3)
    now = timezone.now()
    assert not batch.is_stale
    batch.requested_at = now - timedelta(minutes=3)  # never picked up by a worker
    assert batch.is_stale
    batch.started_at, batch.heartbeat_at = now - timedelta(minutes=10), now - timedelta(minutes=1)
    assert not batch.is_stale
    batch.heartbeat_at = now - timedelta(minutes=3)
    assert batch.is_stale
    batch.finished_at = now
    assert not batch.is_stale


def test_a_replaced_batch_stops_when_its_worker_comes_back(cast):
    round, _ = approved_round(cast, 2)
    old = issuing.start_letter_batch(round=round, by=cast.officer_t)
    LetterBatch.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(minutes=5))
    new = issuing.start_letter_batch(round=round, by=cast.officer_t)
    assert new.pk != old.pk
    assert issuing.make_round_letters.call(old.pk) == 0  # a worker picks the old task up late
    assert not Letter.objects.exists()
    assert issuing.make_round_letters.call(new.pk) == 2


def test_a_worker_still_running_a_replaced_batch_stops_after_the_letter_in_hand(cast, monkeypatch):
    round, _ = approved_round(cast, 3)
    batch = issuing.start_letter_batch(round=round, by=cast.officer_t)
    render = issuing.render_letter_pdf

    def render_while_the_batch_is_replaced(decision):
        LetterBatch.objects.filter(pk=batch.pk).update(abandoned_at=timezone.now())
        return render(decision)

    monkeypatch.setattr(issuing, "render_letter_pdf", render_while_the_batch_is_replaced)
    assert issuing.make_round_letters.call(batch.pk) == 0
    assert Letter.objects.count() == 1  # the letter in hand is finished, none after it


def test_only_the_round_s_office_starts_its_letters(cast):
    round = make_round(cast.office_t)
    with pytest.raises(PermissionDenied):
        issuing.start_letter_batch(round=round, by=cast.officer_n)
    assert not LetterBatch.objects.exists()
