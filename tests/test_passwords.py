"""Passwords: Argon2id with OWASP's parameters, old hashes upgraded on login, hashing bounded."""

import threading
import time

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.urls import reverse

from tests.conftest import PASSWORD
from tilskudd.accounts import hashers


def test_new_hashes_are_argon2id_with_owasp_parameters():
    encoded = make_password("a long enough password")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("a long enough password", encoded)


def test_a_hash_with_djangos_old_parameters_still_logs_in_and_is_upgraded(client, cast):
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    cast.signer_a.password = old
    cast.signer_a.save(update_fields=["password"])

    response = client.post(reverse("accounts:login"), {"username": "signer_a", "password": PASSWORD})

    assert response.status_code == 302
    cast.signer_a.refresh_from_db()
    assert cast.signer_a.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert cast.signer_a.check_password(PASSWORD)


def test_at_most_the_configured_number_of_hashes_run_at_once(settings, monkeypatch):
    """Twenty logins at once took one process past 1.4 GB; now they wait their turn."""
    settings.ARGON2_MAX_CONCURRENT = 2
    monkeypatch.setattr(hashers, "_slots", None)
    running, peak, guard = 0, 0, threading.Lock()

    def slow_verify(self, password, encoded):
        nonlocal running, peak
        with guard:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with guard:
            running -= 1
        return True

    monkeypatch.setattr(Argon2PasswordHasher, "verify", slow_verify)
    hasher = hashers.OwaspArgon2PasswordHasher()
    threads = [threading.Thread(target=hasher.verify, args=("x", "argon2$...")) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert peak == 2
