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
    per_kind = []
    for kind in LineKind:
        of_kind = [line for line in lines if line.kind == kind]
        if of_kind:
            per_kind.append(
                KindTotal(
                    kind, LineKindChoices(kind).label, len(of_kind), sum(line.amount for line in of_kind)
                )
            )
    return Summary(per_kind, sum(t.amount for t in per_kind), len(lines))
