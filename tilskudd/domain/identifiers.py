"""Norwegian identifiers with MOD11 check digits.

- organisasjonsnummer: 9 digits, weights 3 2 7 6 5 4 3 2 on the first eight.
- kontonummer (bank account): 11 digits, weights 5 4 3 2 7 6 5 4 3 2 on the first ten.

The check digit is 11 - (weighted sum mod 11); 11 becomes 0, and 10 means no valid
number ends that way.
"""

import re

ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s.\u00a0]")


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The check digit for ``digits`` under ``weights``, or None where none exists (remainder 1)."""
    if len(digits) != len(weights) or not digits.isdigit():
        raise ValueError("digits and weights must have the same length")
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 11 - remainder
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def with_check_digit(digits: str, weights: tuple[int, ...]) -> str:
    """``digits`` and their check digit; where none exists, the next number up that has one.

    For making valid numbers (demo data, tests): 1 in 11 digit strings has no check digit.
    """
    while (check := mod11_check_digit(digits, weights)) is None:
        digits = str(int(digits) + 1).zfill(len(digits))
    return digits + str(check)


def normalise(value: str) -> str:
    """Drop the spaces and dots people type: ``1234 56 78903`` -> ``12345678903``."""
    return _SEPARATORS.sub("", value or "")


def _valid(value: str, weights: tuple[int, ...]) -> bool:
    number = normalise(value)
    if len(number) != len(weights) + 1 or not number.isdigit():
        return False
    return mod11_check_digit(number[:-1], weights) == int(number[-1])


def is_valid_organisasjonsnummer(value: str) -> bool:
    return _valid(value, ORGNR_WEIGHTS)


def is_valid_kontonummer(value: str) -> bool:
    return _valid(value, ACCOUNT_WEIGHTS)


def format_kontonummer(value: str) -> str:
    """``12345678903`` -> ``1234 56 78903``, the way banks print it."""
    n = normalise(value)
    return f"{n[:4]} {n[4:6]} {n[6:]}" if len(n) == 11 else value


def format_organisasjonsnummer(value: str) -> str:
    """``974761319`` -> ``974 761 319``."""
    n = normalise(value)
    return f"{n[:3]} {n[3:6]} {n[6:]}" if len(n) == 9 else value


def kid_with_check_digit(digits: str) -> str:
    """A KID (kundeidentifikasjon) for a bank payment: ``digits`` and a MOD10 (Luhn) check digit.

    Norwegian banks accept KID with MOD10 or MOD11 check digits; MOD10 has one for every number.
    """
    if not digits.isdigit() or not 2 <= len(digits) <= 24:
        raise ValueError("a KID is 2 to 24 digits before its check digit")
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def is_valid_kid(value: str) -> bool:
    return value.isdigit() and len(value) >= 3 and kid_with_check_digit(value[:-1]) == value
