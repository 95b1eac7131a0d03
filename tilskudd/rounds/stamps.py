"""A fingerprint value: random, so no two changes (nor a restored backup and the live database) share one."""

import secrets


def new_stamp() -> int:
    return secrets.randbits(63)  # fits a signed 64-bit column
