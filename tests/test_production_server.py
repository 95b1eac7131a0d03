"""The production server: gunicorn sized from the cores, a bounded pool of database connections."""

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _gunicorn_config(**env) -> dict:
    saved = dict(os.environ)
    try:
        for name in ("WEB_CONCURRENCY", "WEB_THREADS", "DB_POOL_MAX_SIZE"):
            os.environ.pop(name, None)
        os.environ.update(env)
        config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        config["DB_POOL_MAX_SIZE"] = os.environ["DB_POOL_MAX_SIZE"]
        return config
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_runs_threaded_workers_sized_from_the_cores():
    config = _gunicorn_config()
    cores = len(os.sched_getaffinity(0))
    assert config["worker_class"] == "gthread"
    assert config["workers"] == max(2, cores)
    assert config["threads"] >= 2
    assert config["control_socket_disable"] is True


def test_each_worker_holds_at_most_one_database_connection_per_thread():
    config = _gunicorn_config(WEB_CONCURRENCY="3", WEB_THREADS="6")
    assert (config["workers"], config["threads"]) == (3, 6)
    assert config["DB_POOL_MAX_SIZE"] == "6"


def _databases(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DB_POOL_MAX_SIZE"}}
    probe = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default'], default=str))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tilskudd.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_come_from_a_bounded_pool():
    """One connection per thread exhausted PostgreSQL's 100 under load; the pool bounds it."""
    database = _databases(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_POOL_MAX_SIZE="5")
    assert database["OPTIONS"]["pool"]["max_size"] == 5
    assert database["OPTIONS"]["pool"]["min_size"] <= 5
    assert database["OPTIONS"]["pool"]["timeout"] > 0
    assert database["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with a pool


def test_the_pool_can_be_turned_off_for_persistent_connections():
    database = _databases(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_POOL_MAX_SIZE="0")
    assert "pool" not in database.get("OPTIONS", {})
    assert database["CONN_MAX_AGE"] == 60
