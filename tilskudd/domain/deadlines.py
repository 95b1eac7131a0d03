"""Deadlines in Europe/Oslo.

A deadline is a local date and time set by the office (for example 1 March 2022
23:59). It covers the whole minute it names: a submission at 23:59:59 on the
deadline day is on time, one at 00:00:00 the next day is late (R5). Comparisons are
made on absolute instants, so daylight-saving changes cannot shift a deadline.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_month_names

OSLO = ZoneInfo("Europe/Oslo")
END_OF_DAY = time(23, 59)
_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}

# Dates the product accepts at all: rounds since the scheme began (2019 in the seeds) and for
# as long as anyone will plan. Year 1 or 9999 is a typing error, and year 1 cannot even be
# turned into UTC (the local midnight lies before the first representable instant).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by the change to summer time (e.g. 02:30 on the last Sunday of March)."""


def year_in_range(value: date | datetime) -> bool:
    """Whether a date or a time (read in its own time zone) lies in the years EARLIEST_YEAR–LATEST_YEAR."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def oslo(naive: datetime) -> datetime:
    """Attach Europe/Oslo to a wall-clock time, refusing one that does not exist.

    An ambiguous time (the repeated hour in October) is read as the first of the two.
    """
    if naive.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    aware = naive.replace(tzinfo=OSLO, fold=0)
    if aware.astimezone(UTC).astimezone(OSLO).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(naive.isoformat())
    return aware


def deadline_on(day: date, at: time = END_OF_DAY) -> datetime:
    """The deadline for a date given without time of day: 23:59 local time."""
    return oslo(datetime.combine(day, at))


def closes_at(deadline: datetime) -> datetime:
    """The first instant that is too late: the start of the minute after the deadline."""
    if deadline.tzinfo is None:
        raise ValueError("deadline must be timezone-aware")
    local = deadline.astimezone(OSLO).replace(second=0, microsecond=0)
    return local.astimezone(UTC) + timedelta(minutes=1)


def is_on_time(submitted_at: datetime, deadline: datetime) -> bool:
    if submitted_at.tzinfo is None:
        raise ValueError("submitted_at must be timezone-aware")
    return submitted_at.astimezone(UTC) < closes_at(deadline)


def acceptance_deadline_from(approved_at: datetime, weeks: int) -> date:
    """The last day to accept an award: ``weeks`` after the day (in Oslo) its decision was approved (R10c)."""
    return approved_at.astimezone(OSLO).date() + timedelta(weeks=weeks)


def acceptance_deadline_in_force(
    until: date | None, acceptance_due: date | None, approved_at: datetime, weeks: int
) -> date:
    """The last day to accept an award, from the decision's values (R10c): the office's new day
    (``until``), else the letter's: ``acceptance_due``, fixed at approval, or ``weeks`` after it."""
    if until is not None:
        return until
    return acceptance_due if acceptance_due is not None else acceptance_deadline_from(approved_at, weeks)


def is_on_or_before(moment: datetime, day: date) -> bool:
    """Whether ``moment`` falls on or before ``day`` in Oslo: a deadline given as a day covers the whole day."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(OSLO).date() <= day


def format_day(day: date, language: str = "nb") -> str:
    """``1. februar 2028`` (English: ``1 February 2028``).

    Babel's output, made without calling Babel per date (as ``money.format_number``): the
    month names are read from Babel once per language (a page listing dozens of dates spent a
    tenth of its time in Babel's pattern formatting); a test compares the two over many dates.
    """
    month = _month_names(language)[day.month - 1]
    if language == "en":
        return f"{day.day} {month} {day.year}"
    return f"{day.day}. {month} {day.year}"


def format_local(moment: datetime, language: str = "nb") -> str:
    """``1. mars 2022 kl. 23:59`` in Oslo time (English: ``1 March 2022 at 23:59``); Babel's output,
    made as ``format_day``'s."""
    local = moment.astimezone(OSLO)
    if language == "en":
        return f"{format_day(local, language)} at {local.hour:02d}:{local.minute:02d}"
    return f"{format_day(local, language)} kl. {local.hour:02d}:{local.minute:02d}"


@cache
def _month_names(language: str) -> tuple[str, ...]:
    """The language's month names as a date writes them ("mars"), as Babel has them."""
    names = get_month_names("wide", "format", locale=_locale(language))
    return tuple(names[month] for month in range(1, 13))


def _locale(language: str) -> str:
    return "en_GB" if language == "en" else _LOCALES.get(language, "nb_NO")


def _babel_day(day: date, language: str) -> str:
    """``format_day`` by Babel's own formatting: what it must write (tests/domain/test_deadlines.py)."""
    if language == "en":
        return babel_format_date(day, "d MMMM y", locale="en_GB")
    return babel_format_date(day, "d. MMMM y", locale=_LOCALES.get(language, "nb_NO"))


def _babel_local(moment: datetime, language: str) -> str:
    """``format_local`` by Babel's own formatting: what it must write (tests/domain/test_deadlines.py)."""
    local = moment.astimezone(OSLO)
    if language == "en":
        return babel_format_datetime(local, "d MMMM y 'at' HH:mm", tzinfo=OSLO, locale="en_GB")
    return babel_format_datetime(
        local, "d. MMMM y 'kl.' HH:mm", tzinfo=OSLO, locale=_LOCALES.get(language, "nb_NO")
    )
