"""The production app server: gunicorn with threaded (gthread) workers, sized from the cores.

    make serve                       # or: .venv/bin/gunicorn tilskudd.wsgi:application
    WEB_CONCURRENCY=4 WEB_THREADS=8 make serve

Sizing. Page rendering is Python and holds the GIL, so one process per core keeps
every core busy (WEB_CONCURRENCY, default: the cores this process may run on, at
least 2, so a worker that is restarting or hashing a password does not stop the
site). Threads (WEB_THREADS, default 4) cover the time a request waits for the
database, the disk or an SMTP server. Each worker holds at most WEB_THREADS database
connections (settings.py's pool, DB_POOL_MAX_SIZE, is set from it here), so one app
server holds at most WEB_CONCURRENCY x WEB_THREADS connections to PostgreSQL; see the
README's production section for the sum over the whole deployment.

Memory. A worker is restarted after max_requests requests (with jitter, so they do
not all restart at once), which bounds slow growth (none was seen: 191 MiB after 6 000
requests, as after 2 000; each restart shows as a second or two of queueing, so it is rare); Argon2 hashing is bounded per
process by tilskudd.accounts.hashers.
"""

import ctypes
import os

from tilskudd.env import env_int, env_str

_cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

bind = env_str("BIND", f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}")
worker_class = "gthread"
workers = env_int("WEB_CONCURRENCY", max(2, _cores))
threads = env_int("WEB_THREADS", 4)
# Connections queued by the kernel beyond those being served: a deadline-day burst
# waits here rather than being refused.
backlog = 2048
timeout = env_int("WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
max_requests = env_int("WEB_MAX_REQUESTS", 10000)
# The app is loaded once in the master and each worker is forked from it, so a worker that
# replaces one restarted by max_requests serves at once instead of spending a second or two
# importing Django while requests queue for it (bench/load.py, 200 applicants on PostgreSQL,
# restarts every 2 000 requests: p95 of autosaves 593 ms without preloading, 417 ms with it). Nothing touches the database at import, so no connection is
# shared across the fork. A new release needs a restart of the server (or USR2), not HUP.
preload_app = env_str("WEB_PRELOAD", "1") != "0"
max_requests_jitter = max_requests // 10
# The error log (and Django's own log) on standard error; the access log only when asked.
errorlog = "-"
accesslog = env_str("WEB_ACCESS_LOG", "") or None
loglevel = env_str("LOG_LEVEL", "info").lower()
# Behind our reverse proxy; see TRUSTED_PROXY_COUNT in settings for the client's address.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "tilskudd"
# gunicorn's control socket (one fixed path in the home directory) is not used: two
# servers on one machine would fight over it. Stop and reload with signals.
control_socket_disable = True

# One database connection per thread at most: the pool in each worker is as big as
# its thread count (an explicit DB_POOL_MAX_SIZE wins).
os.environ.setdefault("DB_POOL_MAX_SIZE", str(threads))
# Several processes: the API's rate limits are counted in the database, shared by all of them
# (settings.py's CACHES["shared"]), in development as in production.
os.environ.setdefault("SHARED_CACHE", "database")


def _return_large_blocks_to_the_system(threshold: int = 1 << 20) -> None:
    """Allocate blocks of 1 MiB and more with mmap, so freeing them gives the memory back.

    glibc raises its mmap threshold after the first large free, after which each
    thread's arena keeps its 19 MiB Argon2 block for good: twenty login threads left a
    process 300 MiB bigger even with two hashes at a time (bench/passwords.py). A fixed
    threshold stops that. Set in the master before it forks, so every worker has it.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    m_mmap_threshold = -3
    libc.mallopt(m_mmap_threshold, threshold)


_return_large_blocks_to_the_system()
