import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.domain.money import NBSP, AmountError, format_kroner, format_number, parse_kroner


def test_formats_norwegian_style_with_no_break_spaces():
    assert format_kroner(1_234_567) == f"1{NBSP}234{NBSP}567{NBSP}kr"
    assert format_kroner(60_000) == f"60{NBSP}000{NBSP}kr"
    assert format_kroner(0) == f"0{NBSP}kr"
    assert format_number(56_961_396) == f"56{NBSP}961{NBSP}396"


def test_refuses_floats_and_bools():
    with pytest.raises(TypeError):
        format_kroner(1.5)
    with pytest.raises(TypeError):
        format_kroner(True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567", 1_234_567),
        ("1234567", 1_234_567),
        ("1 234 567 kr", 1_234_567),
        ("kr 60 000", 60_000),
        ("1.234.567,-", 1_234_567),
        ("60 000,00", 60_000),
        (f"36{NBSP}110{NBSP}000", 36_110_000),
        ("0", 0),
    ],
)
def test_parses_amounts_as_people_type_them(text, expected):
    assert parse_kroner(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("12,50", "decimals"),
        ("1.5", "decimals"),
        ("-100", "negative"),
        ("tusen", "invalid"),
    ],
)
def test_rejects_what_is_not_whole_kroner(text, code):
    with pytest.raises(AmountError) as caught:
        parse_kroner(text)
    assert caught.value.code == code


@given(st.integers(min_value=0, max_value=10**12))
def test_format_and_parse_round_trip(amount):
    assert parse_kroner(format_kroner(amount)) == amount


def test_format_number_writes_exactly_what_babel_writes_in_every_language():
    from tilskudd.domain.money import _babel_number

    amounts = [0, 1, 9, 10, 999, 1_000, 9_999, 10_000, 123_456, 1_000_000, 56_961_396, 1_000_000_000]
    amounts += [7**n for n in range(25)] + [-a for a in amounts if a]
    for language in ("nb", "nn", "en", "xx"):
        for amount in amounts:
            assert format_number(amount, language) == _babel_number(amount, language), (language, amount)
