"""Money is whole Norwegian kroner, an int. Never a float.

Formatting is Babel's Norwegian number format: ``1 234 567 kr`` with no-break spaces
between the groups and before ``kr`` so an amount never wraps across lines.
"""

import re
from functools import cache

from babel.numbers import format_decimal

NBSP = "\u00a0"

# The ceiling for any amount the product stores: a line, an application, a round's funds,
# a payment. A whole round is some tens of millions of kroner (Trøndelag 2021: 56 961 396 kr),
# so a milliard leaves room for any real round while keeping every sum far inside a signed
# 64-bit integer (9.2 × 10^18) on SQLite and PostgreSQL alike.
MAX_AMOUNT = 1_000_000_000

_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def _require_int(amount: object) -> int:
    # bool is an int subclass; True kroner is a bug, not an amount.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amounts are whole kroner (int), got {type(amount).__name__}")
    return amount


def _babel_number(amount: int, language: str) -> str:
    text = format_decimal(amount, locale=_LOCALES.get(language, "nb_NO"), group_separator=True)
    return text.replace("\u202f", NBSP)


@cache
def _symbols(language: str) -> tuple[str, str]:
    """The language's minus sign and group separator, as Babel writes them (read once per language)."""
    sample = _babel_number(-1_234_567, language)
    minus, rest = sample.split("1", 1)
    return minus, rest[0]


def format_number(amount: int, language: str = "nb") -> str:
    """Group digits the Norwegian way: ``1 234 567`` (no-break spaces).

    Babel's output, made without calling Babel per amount: its minus sign and group
    separator are read once per language and the digits grouped by Python (Babel's
    format_decimal was a tenth of the time of a page with many amounts; a test compares
    the two over many amounts in every language).
    """
    _require_int(amount)
    minus, group = _symbols(language)
    grouped = f"{abs(amount):,}".replace(",", group)
    return f"{minus}{grouped}" if amount < 0 else grouped


def format_kroner(amount: int, language: str = "nb") -> str:
    """``1 234 567 kr`` — the way amounts are shown everywhere in the product."""
    return f"{format_number(amount, language)}{NBSP}kr"


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")


class AmountError(ValueError):
    """Text that is not a whole number of kroner, or an amount out of bounds. ``code`` names the reason."""

    def __init__(self, code: str, text: str):
        super().__init__(f"{code}: {text!r}")
        self.code = code
        self.text = text


def parse_kroner(text: str) -> int:
    """Read an amount as people type it: ``1 234 567``, ``1234567 kr``, ``1.234.567,-``, ``60 000,00``.

    Raises AmountError with code ``empty``, ``decimals`` (øre other than ,00 / ,-) or
    ``invalid``. Negative amounts are refused here (``negative``); no field takes one.
    """
    value = _SPACES.sub("", text or "").lower()
    if value.endswith("kr"):
        value = value[:-2]
    if value.startswith("kr"):
        value = value[2:]
    value = value.removesuffix(",-").removesuffix(".-")
    if not value:
        raise AmountError("empty", text)
    if value.startswith(("-", "\u2212")):
        raise AmountError("negative", text)
    if "," in value:
        whole, _, fraction = value.partition(",")
        if not fraction.isdigit() or set(fraction) != {"0"}:
            raise AmountError("decimals", text)
        value = whole
    if _GROUPED_DOTS.match(value):
        value = value.replace(".", "")
    if "." in value:
        raise AmountError("decimals", text)
    if not value.isdigit():
        raise AmountError("invalid", text)
    return int(value)
