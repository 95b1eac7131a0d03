"""Backup and restore (DESIGN "Reliability", issue 13): the database and every stored file.

A round with applications, approved decisions, receipts and letters is backed up with
``manage.py backup``, then ``manage.py restore`` (a separate process, as an operator
would run it) loads it into an EMPTY database and an empty file store. Every table's
rows and the letters' bytes must come back. Runs on SQLite, and on PostgreSQL when
DATABASE_URL is set (pg_dump/pg_restore).
"""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from tests.test_letters_resilience import approved_round
from tilskudd.backup import archive
from tilskudd.decisions import issuing
from tilskudd.decisions.models import Letter

BASE_DIR = Path(django_settings.BASE_DIR)


class EmptyDatabase:
    """A new database beside the test database, with nothing in it (no tables)."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.name = str(tmp_path / "restored.sqlite3")
        else:
            import psycopg

            self.name = f"{connection.settings_dict['NAME']}_restored"[:63]
            with self._server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{self.name}"')
            self._psycopg = psycopg

    def _server(self, dbname: str = "postgres"):
        import psycopg

        s = connection.settings_dict
        return psycopg.connect(
            dbname=dbname,
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            autocommit=True,
        )

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.name) as db:
                return db.execute(sql).fetchall()
        with self._server(self.name) as db:
            return db.execute(sql).fetchall()

    def table_counts(self) -> dict[str, int]:
        if self.vendor == "sqlite":
            names = [r[0] for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
            names = [n for n in names if not n.startswith("sqlite_")]
        else:
            names = [r[0] for r in self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {name: self.query(f'SELECT COUNT(*) FROM "{name}"')[0][0] for name in sorted(names)}  # noqa: S608

    def drop(self) -> None:
        if self.vendor != "sqlite":
            with self._server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def original_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def manage(*args: str, database: EmptyDatabase, media: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` in its own process on the given database and file store."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TEST_WORKER_DATABASE": database.name,
        "TEST_WORKER_MEDIA_ROOT": str(media),
        "TEST_WORKER_MAIL_DIR": str(tmp_path / "mail"),
        "TEST_WORKER_HOLD": "",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database(tmp_path):
    database = EmptyDatabase(tmp_path)
    yield database
    database.drop()


@pytest.mark.django_db(transaction=True)  # pg_dump and the restoring process see committed data only
def test_a_backup_restores_into_an_empty_database_with_every_row_and_letter(cast, tmp_path, empty_database):
    round, approved = approved_round(cast, 4)
    for decision in approved:
        issuing.issue_letter(decision)
    letters = {letter.file.name: letter.sha256 for letter in Letter.objects.filter(decision__in=approved)}
    assert len(letters) == 4
    before = original_counts()
    assert before["decisions_decision"] == 4 and before["applications_application"] >= 4

    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == before
    for name, sha256 in letters.items():
        assert manifest["files"][name] == sha256
        assert hashlib.sha256((backup / "files" / name).read_bytes()).hexdigest() == sha256

    media = tmp_path / "restored-media"
    assert empty_database.table_counts() == {}  # nothing at all: not even the migrations' tables
    restored = manage("restore", str(backup), database=empty_database, media=media, tmp_path=tmp_path)
    assert restored.returncode == 0, restored.stderr

    assert empty_database.table_counts() == before  # every table, every row
    rows = dict(empty_database.query("SELECT file, sha256 FROM decisions_letter"))
    assert rows == letters
    for name, sha256 in letters.items():  # the letters' bytes, from the restored store
        assert hashlib.sha256((media / name).read_bytes()).hexdigest() == sha256
    uploads = {
        p.relative_to(Path(django_settings.MEDIA_ROOT)).as_posix()
        for p in Path(django_settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    assert {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()} == uploads

    # Once restored, the database is no longer empty: a second restore is refused unless forced.
    again = manage("restore", str(backup), database=empty_database, media=media, tmp_path=tmp_path)
    assert again.returncode != 0
    assert "not empty" in again.stderr
    forced = manage(
        "restore", str(backup), "--force", database=empty_database, media=media, tmp_path=tmp_path
    )
    assert forced.returncode == 0, forced.stderr
    assert empty_database.table_counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(cast, tmp_path, empty_database):
    round, approved = approved_round(cast, 1)
    issuing.issue_letter(approved[0])
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    letter = Letter.objects.get(decision=approved[0])
    damaged = backup / "files" / letter.file.name
    damaged.write_bytes(damaged.read_bytes()[:-10])

    with pytest.raises(archive.BackupError, match="SHA-256"):
        archive.verify(backup)
    result = manage("restore", str(backup), database=empty_database, media=tmp_path / "m", tmp_path=tmp_path)
    assert result.returncode != 0 and "damaged" in result.stderr
    assert empty_database.table_counts() == {}


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    with pytest.raises(Exception, match="not empty"):
        call_command("backup", str(tmp_path / "old"))


def test_a_missing_pg_dump_is_named(monkeypatch):
    monkeypatch.setattr(archive.shutil, "which", lambda name: None)
    with pytest.raises(archive.BackupError, match="pg_dump was not found on PATH"):
        archive._postgres_tool("pg_dump")
