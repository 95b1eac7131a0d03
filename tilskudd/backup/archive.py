"""Backup and restore of the whole service: the database and every stored file (DESIGN "Reliability").

A backup is one directory:

    manifest.json       what is in it: the database engine, rows per table, SHA-256 of every file
    database.sqlite3    SQLite: a consistent copy made with SQLite's online backup API
    database.dump       PostgreSQL: ``pg_dump --format=custom``
    files/...           every file of the default storage (uploads, receipts, letters)

It is made while the service runs. The database is copied first, as one consistent
snapshot (SQLite's backup API; on PostgreSQL the rows are counted in the same
snapshot that ``pg_dump --snapshot`` dumps), and the files after it, so every file
the copied database refers to is in the backup (files are only ever added; a file
added after the snapshot is copied too, harmlessly). Files are read and written
through Django's storage API, so an object store configured in STORAGES["default"]
is backed up the same way as the disk.

Restoring checks every SHA-256 in the manifest first, refuses a database that has
any rows (or a storage that has any files) unless forced, loads the database and
the files, and counts the rows again against the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
_CHUNK = 1 << 20


class BackupError(Exception):
    """Something that stops a backup or a restore; the message says what and what to do."""


@dataclass
class Summary:
    engine: str
    tables: dict[str, int]
    files: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# --- Shared -------------------------------------------------------------------------------


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {vendor}")
    return vendor


def _sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(storage: Storage, folder: str = ""):
    """Every file name in the storage, folders first-level down, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def _count_tables(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")  # noqa: S608 (a table name)
            counts[table] = cursor.fetchone()[0]
    return counts


def _count_sqlite_file(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def _postgres_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install PostgreSQL's client programs, the same major "
            f"version as the server or newer (Debian: apt install postgresql-client), and try again."
        )
    return path


def _postgres_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment (never on the command line)."""
    settings = connections[alias].settings_dict
    args = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    args += ["--dbname", str(settings["NAME"])]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}):\n{result.stderr.strip()}")


# --- Backup ---------------------------------------------------------------------------------


def backup(destination: Path, *, alias: str = DEFAULT_DB_ALIAS, storage: Storage | None = None) -> Summary:
    """Back the database and every stored file up into ``destination``, a new or empty directory."""
    storage = storage or default_storage
    engine = _engine(alias)
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty: back up into a new directory")
    destination.mkdir(parents=True, exist_ok=True)

    if engine == "sqlite":
        database_file = SQLITE_FILE
        tables = _backup_sqlite(alias, destination / SQLITE_FILE)
    else:
        database_file = POSTGRES_FILE
        tables = _backup_postgres(alias, destination / POSTGRES_FILE)

    files = {}
    for name in _walk(storage):
        target = destination / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
        files[name] = digest.hexdigest()

    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(timespec="seconds"),
        "engine": engine,
        "database": {"file": database_file, "sha256": _sha256_path(destination / database_file)},
        "tables": tables,
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return Summary(engine=engine, tables=tables, files=files)


def _backup_sqlite(alias: str, target: Path) -> dict[str, int]:
    connection = connections[alias]
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)  # a consistent copy, even with writers at work
    return _count_sqlite_file(target)


def _backup_postgres(alias: str, target: Path) -> dict[str, int]:
    pg_dump = _postgres_tool("pg_dump")
    args, env = _postgres_args(alias)
    connection = connections[alias]
    # The rows are counted in one REPEATABLE READ snapshot, and pg_dump dumps that same
    # snapshot while this transaction keeps it alive: the counts describe the dump exactly.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _count_tables(connection)
        _run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
            + ["--file", str(target), *args],
            env,
        )
    return tables


# --- Restore --------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this version reads {FORMAT})")
    return manifest


def verify(source: Path) -> dict:
    """The manifest, once the database file and every file have the SHA-256 it lists."""
    source = Path(source)
    manifest = read_manifest(source)
    database = manifest["database"]
    if _sha256_path(source / database["file"]) != database["sha256"]:
        raise BackupError(
            f"{database['file']} does not match its SHA-256 in the manifest: the backup is damaged"
        )
    listed = set(manifest["files"])
    present = {
        path.relative_to(source / FILES).as_posix() for path in (source / FILES).rglob("*") if path.is_file()
    }
    if listed - present:
        raise BackupError(f"files missing from the backup: {sorted(listed - present)[:5]}")
    for name, sha256 in manifest["files"].items():
        if _sha256_path(source / FILES / name) != sha256:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest: the backup is damaged")
    return manifest


def database_rows(alias: str = DEFAULT_DB_ALIAS) -> int:
    return sum(_count_tables(connections[alias]).values())


def restore(
    source: Path, *, alias: str = DEFAULT_DB_ALIAS, storage: Storage | None = None, force: bool = False
) -> Summary:
    """Load a backup into the database and the storage, which must be empty unless ``force``."""
    storage = storage or default_storage
    source = Path(source)
    manifest = verify(source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this one is {engine}")
    if not force:
        rows = database_rows(alias)
        if rows:
            raise BackupError(
                f"the database is not empty ({rows} rows): restore into an empty database, "
                "or pass --force to replace what is there"
            )
        if next(_walk(storage), None) is not None:
            raise BackupError("the file storage is not empty: restore into an empty one, or pass --force")

    if engine == "sqlite":
        _restore_sqlite(alias, source / manifest["database"]["file"])
    else:
        _restore_postgres(alias, source / manifest["database"]["file"], clean=force)

    for name in manifest["files"]:
        if storage.exists(name):
            storage.delete(name)
        with (source / FILES / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"the storage stored {name} as {saved}")

    tables = _count_tables(connections[alias])
    expected = manifest["tables"]
    different = {t: (n, tables.get(t)) for t, n in expected.items() if tables.get(t) != n}
    if different:
        raise BackupError(f"rows after the restore differ from the manifest (expected, found): {different}")
    return Summary(engine=engine, tables=tables, files=manifest["files"])


def _restore_sqlite(alias: str, backup_file: Path) -> None:
    connection = connections[alias]
    connection.close()
    connection.ensure_connection()
    # SQLite's backup API replaces the whole database page by page under SQLite's own locks.
    with sqlite3.connect(backup_file) as source:
        source.backup(connection.connection)
    connection.close()


def _restore_postgres(alias: str, dump: Path, *, clean: bool) -> None:
    pg_restore = _postgres_tool("pg_restore")
    args, env = _postgres_args(alias)
    connections[alias].close()
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        options += ["--clean", "--if-exists"]
    _run([pg_restore, *options, *args, str(dump)], env)
