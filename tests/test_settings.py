"""Settings: the production posture passes Django's deployment checks; SQLite runs in WAL mode."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    dropped = {"DEBUG", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-check-9f8e7d6c5b4a",
        ALLOWED_HOSTS="tilskudd.example.no",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="tilskudd.example.no")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    """Without DATABASE_URL the product runs on SQLite in WAL mode with a busy timeout (P5)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TILSKUDD_VAR_DIR"] = str(tmp_path)
    probe = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    mode, timeout = result.stdout.split()[-2:]
    assert mode == "wal"
    assert int(timeout) >= 5000
    assert (tmp_path / "db.sqlite3").exists()


def test_passwords_are_hashed_with_argon2():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_content_security_policy_allows_no_inline_script(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "'unsafe-inline'" not in policy
