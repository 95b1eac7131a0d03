"""The change window for change requests (R13; seed 004: "Skal søke om endring/godkjenning i oktober").

The grant is for the round's year, so the use of the money is changed while that year still
runs: by default the window is October of the award's year (1–31 October, whole days in
Europe/Oslo), unless the round sets its own dates. The office may open a window for one
organisation with a reason (an urgent change outside October).
"""

from collections.abc import Iterable
from datetime import date, datetime

from tilskudd.domain.deadlines import OSLO

DEFAULT_MONTH = 10


def default_window(year: int) -> tuple[date, date]:
    return date(year, DEFAULT_MONTH, 1), date(year, DEFAULT_MONTH, 31)


def round_window(year: int, opens: date | None, closes: date | None) -> tuple[date, date]:
    """The round's own window when it sets both dates, else October of the award's year."""
    if opens and closes:
        return opens, closes
    return default_window(year)


def oslo_day(moment: datetime) -> date:
    """The day it is in Norway at ``moment`` (an aware datetime)."""
    return moment.astimezone(OSLO).date()


def is_open(moment: datetime, windows: Iterable[tuple[date, date]]) -> bool:
    """Whether any window covers the Oslo day of ``moment``: the first and the last day count whole."""
    day = oslo_day(moment)
    return any(opens <= day <= closes for opens, closes in windows)
