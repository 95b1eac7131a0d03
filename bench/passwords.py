"""Memory and time per login: Django's default Argon2 parameters against ours (P7).

For each hasher, a fresh process checks one password, then twenty at once from twenty
threads (a login burst in one gunicorn worker), and reports how much its peak resident
memory grew and how long a check took. Ours also holds the per-process bound
(ARGON2_MAX_CONCURRENT, default 2). "served" is ours with gunicorn.conf.py's malloc
setting, as under `make serve`: without it each thread's malloc arena keeps a 19 MiB
block after the hash is done.

    .venv/bin/python bench/passwords.py
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import os, resource, sys, threading, time
sys.path.insert(0, os.environ["ROOT"])
os.environ["DJANGO_SETTINGS_MODULE"] = "tilskudd.settings"
if sys.argv[1] == "served":  # as under `make serve`: gunicorn.conf.py's malloc setting
    import runpy
    runpy.run_path(os.path.join(os.environ["ROOT"], "gunicorn.conf.py"))
import django
django.setup()
from django.contrib.auth.hashers import Argon2PasswordHasher
from tilskudd.accounts.hashers import OwaspArgon2PasswordHasher

hasher = {"django": Argon2PasswordHasher, "owasp": OwaspArgon2PasswordHasher, "served": OwaspArgon2PasswordHasher}[sys.argv[1]]()
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = peak()
encoded = hasher.encode("correct horse battery staple", hasher.salt())
started = time.perf_counter()
for _ in range(3):
    assert hasher.verify("correct horse battery staple", encoded)
one_ms = (time.perf_counter() - started) / 3 * 1000
one = peak()
threads = [threading.Thread(target=hasher.verify, args=("correct horse battery staple", encoded)) for _ in range(20)]
started = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
burst_s = time.perf_counter() - started
print(f"{encoded.split('$')[3]} {one_ms:.0f} {one - base:.0f} {peak() - base:.0f} {burst_s:.2f} {peak():.0f}")
"""


def main() -> int:
    print("hasher   parameters          one check  +RSS one   +RSS 20 at once  20 at once  peak RSS")
    for name in ("django", "owasp", "served"):
        result = subprocess.run(  # noqa: S603 (our own interpreter and probe)
            [sys.executable, "-c", PROBE, name],
            env={**os.environ, "ROOT": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        params, one_ms, one_mib, burst_mib, burst_s, peak = result.stdout.split()
        print(
            f"{name:8} {params:19} {one_ms:>6} ms  {one_mib:>5} MiB  {burst_mib:>8} MiB     "
            f"{burst_s:>6} s  {peak:>5} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
