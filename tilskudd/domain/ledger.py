"""Every krone of an award accounted for (issue 12; SPEC R12–R14).

A line's granted amount starts *unsettled*: granted, not yet accounted for by a report.
Each movement moves an amount from one account of a line to another (or, for an approved
change request, from one line's unsettled money to another line's). Balances are derived
from the granted amounts and the movements, never typed, so for every line

    granted + changed in − changed out
        = unsettled + used + carried over + owed + repaid + written off

and no account goes below zero: ``apply`` refuses a movement that would overdraw one.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Account(StrEnum):
    UNSETTLED = "unsettled"  # granted, not yet reported on
    USED = "used"  # spent as the report says
    CARRIED = "carried"  # carried over to next year (R12), to be used or accounted for then
    OWED = "owed"  # to be paid back (R14)
    REPAID = "repaid"
    WRITTEN_OFF = "written_off"


# What may follow what. Changes between lines (R13) move unsettled money only.
ALLOWED: frozenset[tuple[Account, Account]] = frozenset(
    {
        (Account.UNSETTLED, Account.USED),
        (Account.UNSETTLED, Account.CARRIED),
        (Account.UNSETTLED, Account.OWED),
        (Account.CARRIED, Account.USED),
        (Account.CARRIED, Account.OWED),
        (Account.OWED, Account.REPAID),
        (Account.OWED, Account.WRITTEN_OFF),
    }
)


@dataclass(frozen=True)
class Movement:
    """``amount`` kroner from ``source`` to ``target``; ``to_line`` set moves unsettled money to another line."""

    line: int
    source: Account
    target: Account
    amount: int
    to_line: int | None = None


class Refused(ValueError):
    """A movement the rules do not allow, or one that would overdraw an account."""


Balances = dict[int, dict[Account, int]]


def opening(granted: Mapping[int, int]) -> Balances:
    return {line: {Account.UNSETTLED: amount} for line, amount in granted.items()}


def apply(balances: Balances, movement: Movement) -> None:
    """Apply one movement in place, or raise ``Refused`` and change nothing."""
    if movement.amount <= 0:
        raise Refused("the amount must be positive")
    if movement.to_line is not None:
        if (movement.source, movement.target) != (Account.UNSETTLED, Account.UNSETTLED):
            raise Refused("only unsettled money moves between lines")
        if movement.to_line == movement.line or movement.to_line not in balances:
            raise Refused("no such line to move to")
    elif (movement.source, movement.target) not in ALLOWED:
        raise Refused(f"{movement.source} cannot become {movement.target}")
    line = balances.get(movement.line)
    if line is None:
        raise Refused("no such line")
    if line.get(movement.source, 0) < movement.amount:
        raise Refused("the amount is more than the account holds")
    line[movement.source] -= movement.amount
    destination = balances[movement.to_line] if movement.to_line is not None else line
    destination[movement.target] = destination.get(movement.target, 0) + movement.amount


def balances(granted: Mapping[int, int], movements: Iterable[Movement]) -> Balances:
    """The accounts of each line after ``movements``, in order (``Refused`` if they do not hold)."""
    found = opening(granted)
    for movement in movements:
        apply(found, movement)
    return found


def totals(found: Balances) -> dict[Account, int]:
    summed: dict[Account, int] = defaultdict(int)
    for accounts in found.values():
        for account, amount in accounts.items():
            summed[account] += amount
    return {account: summed.get(account, 0) for account in Account}
