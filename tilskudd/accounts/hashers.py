"""Password hashing: Argon2id with OWASP's parameters, and a bound on hashes at once.

Parameters: the OWASP Password Storage Cheat Sheet (Argon2id section) recommends, as
its first configuration, "a minimum configuration of 19 MiB of memory, an iteration
count of 2, and 1 degree of parallelism" (m=19456 KiB, t=2, p=1):
https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html
Django's defaults (m=100 MiB, t=2, p=8) took about 100 MiB per login, and twenty logins
at once took a process past 1.4 GB.

Old hashes stay valid: the algorithm name is still "argon2", and a hash carries its own
parameters, so it verifies as before; Django's login then sees that must_update() is
true (the parameters differ) and stores a new hash with these parameters.

Bound: at most ARGON2_MAX_CONCURRENT hashes run at once in one process (a semaphore
around every hash and check, login and password change alike), so a burst of logins
waits its turn for a few milliseconds instead of taking m × threads of memory.
"""

import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def slots() -> threading.BoundedSemaphore:
    """The process's semaphore, made on first use with the setting's size."""
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(getattr(settings, "ARGON2_MAX_CONCURRENT", 2))
        return _slots


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP), bounded per process."""

    time_cost = 2
    memory_cost = 19456  # KiB = 19 MiB
    parallelism = 1

    def encode(self, password, salt):
        with slots():
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with slots():
            return super().verify(password, encoded)
