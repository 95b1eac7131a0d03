"""Totals of an application's lines, per kind and overall."""

from dataclasses import dataclass

from tilskudd.domain.lines import LineKind
from tilskudd.rounds.models import LineKindChoices


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    count: int
    amount: int


@dataclass(frozen=True)
class Summary:
    per_kind: list[KindTotal]
    total: int
    count: int


def summarise(lines) -> Summary:
    return summarise_amounts([(line.kind, line.amount) for line in lines])


def summarise_amounts(amounts) -> Summary:
    """``summarise`` from each line's (kind, amount)."""
    per_kind = []
    for kind in LineKind:
        of_kind = [amount for line_kind, amount in amounts if line_kind == kind]
        if of_kind:
            per_kind.append(KindTotal(kind, LineKindChoices(kind).label, len(of_kind), sum(of_kind)))
    return Summary(per_kind, sum(t.amount for t in per_kind), len(amounts))
