"""R5 and R1: deadlines are local Europe/Oslo times and cover their whole last minute."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.domain.deadlines import (
    OSLO,
    NonexistentLocalTime,
    deadline_on,
    format_local,
    is_on_time,
    oslo,
)


def test_R5_23_59_59_on_the_deadline_day_is_on_time():
    deadline = deadline_on(date(2022, 3, 1))  # 1 March 2022 23:59, seed 004
    assert is_on_time(oslo(datetime(2022, 3, 1, 23, 59, 59, 999_999)), deadline)
    assert not is_on_time(oslo(datetime(2022, 3, 2, 0, 0, 0)), deadline)


def test_R5_a_utc_timestamp_is_judged_in_oslo_time():
    deadline = deadline_on(date(2021, 3, 1))  # winter: UTC+1
    assert is_on_time(datetime(2021, 3, 1, 22, 59, 59, tzinfo=UTC), deadline)
    assert not is_on_time(datetime(2021, 3, 1, 23, 0, 0, tzinfo=UTC), deadline)
    summer = deadline_on(date(2021, 4, 1))  # 1 April 2021, summer time: UTC+2
    assert is_on_time(datetime(2021, 4, 1, 21, 59, 59, tzinfo=UTC), summer)
    assert not is_on_time(datetime(2021, 4, 1, 22, 0, 0, tzinfo=UTC), summer)


@pytest.mark.parametrize(
    "day", [date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 28), date(2026, 10, 24)]
)
def test_R5_daylight_saving_changes_do_not_move_the_deadline(day):
    deadline = deadline_on(day)
    assert deadline.astimezone(OSLO).time() == time(23, 59)
    assert is_on_time(oslo(datetime.combine(day, time(23, 59, 59))), deadline)
    assert not is_on_time(oslo(datetime.combine(day + timedelta(days=1), time(0, 0))), deadline)


def test_a_time_skipped_by_summer_time_is_refused():
    with pytest.raises(NonexistentLocalTime):
        oslo(datetime(2026, 3, 29, 2, 30))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        is_on_time(datetime(2022, 3, 1, 12, 0), deadline_on(date(2022, 3, 1)))


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    st.integers(min_value=-86_400 * 2, max_value=86_400 * 2),
)
def test_R5_on_time_exactly_before_midnight_local(day, offset_seconds):
    deadline = deadline_on(day)
    midnight_after = oslo(datetime.combine(day + timedelta(days=1), time(0, 0)))
    moment = midnight_after.astimezone(UTC) + timedelta(seconds=offset_seconds)
    assert is_on_time(moment, deadline) == (moment < midnight_after.astimezone(UTC))


def test_formats_deadlines_as_norwegians_write_them():
    deadline = deadline_on(date(2022, 3, 1))
    assert format_local(deadline) == "1. mars 2022 kl. 23:59"
    assert format_local(deadline, "nn") == "1. mars 2022 kl. 23:59"
    assert format_local(deadline, "en") == "1 March 2022 at 23:59"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)))
def test_dates_and_times_are_written_exactly_as_babel_writes_them_in_every_language(moment):
    """format_local and format_day no longer call Babel per value (a page listing dozens of dates
    spent a tenth of its time there): they must write what Babel writes, around the summer-time
    changes too, in every language (an unknown one as bokmål)."""
    from tilskudd.domain.deadlines import _babel_day, _babel_local, format_day

    for language in ("nb", "nn", "en", "xx"):
        assert format_local(moment, language) == _babel_local(moment, language), (language, moment)
        day = moment.astimezone(OSLO).date()
        assert format_day(day, language) == _babel_day(day, language), (language, day)
