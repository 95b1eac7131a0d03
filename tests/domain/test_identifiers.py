import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.domain.identifiers import (
    ACCOUNT_WEIGHTS,
    ORGNR_WEIGHTS,
    format_kontonummer,
    is_valid_kontonummer,
    is_valid_organisasjonsnummer,
    mod11_check_digit,
    with_check_digit,
)

DATA = Path(__file__).resolve().parents[2] / "tilskudd" / "data"


def test_every_office_organisation_number_passes_mod11():
    with (DATA / "offices.csv").open(encoding="utf-8") as handle:
        numbers = [row["organisasjonsnummer"] for row in csv.DictReader(handle)]
    assert len(numbers) == 10
    assert all(is_valid_organisasjonsnummer(n) for n in numbers)


@pytest.mark.parametrize("value", ["974764350", "974 764 350", "974760665"])
def test_valid_organisasjonsnummer(value):
    assert is_valid_organisasjonsnummer(value)


@pytest.mark.parametrize("value", ["974764351", "97476435", "9747643500", "abcdefghi", "", "974-764-350"])
def test_invalid_organisasjonsnummer(value):
    assert not is_valid_organisasjonsnummer(value)


def test_check_digit_rules_by_hand():
    # 3*9 + 2*7 + 7*4 + 6*7 + 5*6 + 4*4 + 3*3 + 2*5 = 176; 176 % 11 = 0 -> check 11 -> 0
    assert mod11_check_digit("97476435", ORGNR_WEIGHTS) == 0
    # a remainder of 1 gives check 10: no valid number has that body
    body = next(
        f"{n:08d}" for n in range(10**7, 10**8) if mod11_check_digit(f"{n:08d}", ORGNR_WEIGHTS) is None
    )
    assert not any(is_valid_organisasjonsnummer(body + str(d)) for d in range(10))


def test_kontonummer():
    assert is_valid_kontonummer("12345678903")
    assert is_valid_kontonummer("1234 56 78903")
    assert is_valid_kontonummer("1234.56.78903")
    assert not is_valid_kontonummer("12345678904")
    assert not is_valid_kontonummer("1234567890")
    assert format_kontonummer("12345678903") == "1234 56 78903"


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_exactly_one_check_digit_or_none_completes_an_account_body(body):
    valid = [d for d in range(10) if is_valid_kontonummer(body + str(d))]
    expected = mod11_check_digit(body, ACCOUNT_WEIGHTS)
    assert valid == ([] if expected is None else [expected])


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 10), st.integers(1, 9))
def test_changing_one_digit_of_a_valid_account_breaks_it(number, position, delta):
    if not is_valid_kontonummer(number):
        return
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assert not is_valid_kontonummer(changed)


@given(st.integers(min_value=10**9, max_value=9 * 10**9))
def test_with_check_digit_makes_a_valid_number_from_any_body(start):
    body = str(start)
    number = with_check_digit(body, ACCOUNT_WEIGHTS)
    assert is_valid_kontonummer(number)
    skipped = range(start, int(number[:-1]))  # the body, bumped only past bodies without a check digit
    assert all(mod11_check_digit(str(n), ACCOUNT_WEIGHTS) is None for n in skipped)
