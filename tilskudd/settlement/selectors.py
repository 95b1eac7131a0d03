"""Reads of the money after the award: a round's overview, the carried-over funds of a year, claims.

A fixed number of queries whatever the round's size: the decisions, their lines, their
entries, payments and claims, each fetched once and added up through ``domain.ledger``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tilskudd.decisions.models import Decision, DecisionLine, Payment
from tilskudd.domain import ledger
from tilskudd.domain.ledger import Account
from tilskudd.organisations.models import formal_name
from tilskudd.settlement.models import CarryOver, CarryOverState, Entry, RepaymentClaim
from tilskudd.settlement.services import movement_of


@dataclass
class AwardRow:
    decision: Decision
    granted: int
    paid: int
    accounts: dict[Account, int]
    claims: list[RepaymentClaim] = field(default_factory=list)
    outstanding: int = 0  # on claims sent
    overdue: int = 0  # on claims past their due date

    @property
    def organisation(self):
        return self.decision.application.organisation


@dataclass
class RoundOverview:
    rows: list[AwardRow]

    def total(self, account: Account) -> int:
        return sum(row.accounts[account] for row in self.rows)

    @property
    def granted(self) -> int:
        return sum(row.granted for row in self.rows)

    @property
    def paid(self) -> int:
        return sum(row.paid for row in self.rows)

    @property
    def outstanding(self) -> int:
        return sum(row.outstanding for row in self.rows)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.rows)

    @property
    def totals(self) -> dict[Account, int]:
        return {account: self.total(account) for account in Account}


def round_overview(round, *, today: date | None = None) -> RoundOverview:
    """Every award of the round with its ledger totals, payments and claims (six queries)."""
    today = today or timezone.localdate()
    decisions = list(
        Decision.objects.filter(application__round=round, approved_at__isnull=False, granted__gt=0)
        .select_related("application__organisation")
        .order_by("application__organisation__name", "pk")
    )
    ids = [d.pk for d in decisions]
    granted: dict[int, dict[int, int]] = defaultdict(dict)
    for line_id, decision_id, amount in DecisionLine.objects.filter(
        decision_id__in=ids, granted__gt=0
    ).values_list("pk", "decision_id", "granted"):
        granted[decision_id][line_id] = amount
    movements = defaultdict(list)
    claim_settled: dict[int, int] = defaultdict(int)
    for entry in Entry.objects.filter(decision_id__in=ids).order_by("at", "pk"):
        movements[entry.decision_id].append(movement_of(entry))
        if entry.claim_id and entry.source == Account.OWED:
            claim_settled[entry.claim_id] += entry.amount
    paid = dict(
        Payment.objects.filter(decision_id__in=ids)
        .values("decision_id")
        .annotate(total=Sum("amount"))
        .values_list("decision_id", "total")
    )
    claims = defaultdict(list)
    for claim in RepaymentClaim.objects.filter(decision_id__in=ids).order_by("sent_at", "pk"):
        claim.outstanding = max(claim.amount - claim_settled.get(claim.pk, 0), 0)
        claim.is_overdue = claim.outstanding > 0 and claim.due_on < today
        claims[claim.decision_id].append(claim)
    rows = []
    for decision in decisions:
        balances = ledger.balances(granted[decision.pk], movements[decision.pk])
        found = claims[decision.pk]
        rows.append(
            AwardRow(
                decision=decision,
                granted=sum(granted[decision.pk].values()),
                paid=paid.get(decision.pk, 0),
                accounts=ledger.totals(balances),
                claims=found,
                outstanding=sum(c.outstanding for c in found),
                overdue=sum(c.outstanding for c in found if c.is_overdue),
            )
        )
    return RoundOverview(rows)


@dataclass(frozen=True)
class Carried:
    """An approved carry-over into a year, as the round page lists it."""

    pk: int
    application_id: int
    organisation: str  # its display name
    from_year: int
    line_title: str
    amount: int
    settled: bool
    is_further: bool


def carried_over_to(office_id: int, year: int):
    """The approved carry-overs to be used in ``year`` at the office (a queryset)."""
    return CarryOver.objects.filter(
        decision__application__round__office_id=office_id, to_year=year, state=CarryOverState.APPROVED
    )


def carried_into(office_id: int, year: int) -> list[Carried]:
    """Approved carry-overs to be used in ``year`` at the office: "overførte midler", tied to their awards.

    As values (one query, no model instances): the round page asks on every view, mostly to find none."""
    rows = (
        carried_over_to(office_id, year)
        .order_by("decision__application__organisation__name", "pk")
        .values_list(
            "pk",
            "decision__application_id",
            "decision__application__organisation__kind",
            "decision__application__organisation__name",
            "decision__application__round__year",
            "line__title",
            "amount",
            "settled_at",
            "generation",
        )
    )
    return [
        Carried(
            pk,
            application,
            formal_name(kind, name),
            from_year,
            title,
            amount,
            settled is not None,
            generation > 1,
        )
        for pk, application, kind, name, from_year, title, amount, settled, generation in rows
    ]


def carried_total(office_id: int, year: int) -> int:
    return carried_over_to(office_id, year).aggregate(total=Sum("amount"))["total"] or 0


def claims_outstanding(
    organisation_id: int, *, today: date | None = None, awards: dict | None = None
) -> list[RepaymentClaim]:
    """The organisation's repayment claims not yet paid in full, each with ``outstanding`` and
    ``is_overdue`` (one query).

    ``awards``: what the caller has read of the organisation's decisions, by decision id: each
    claim gets its own as ``award`` and no decision, application or round is joined."""
    today = today or timezone.localdate()
    claims = (
        RepaymentClaim.objects.filter(decision__application__organisation_id=organisation_id)
        .annotate(settled=Coalesce(Sum("entries__amount", filter=Q(entries__source=Account.OWED)), 0))
        .order_by("due_on", "pk")
    )
    if awards is None:
        claims = claims.select_related("decision__application__round__office").defer(
            "decision__application__snapshot"
        )
    found = []
    for claim in claims:
        if awards is not None:
            claim.award = awards[claim.decision_id]
        claim.outstanding = max(claim.amount - claim.settled, 0)
        claim.is_overdue = claim.outstanding > 0 and claim.due_on < today
        if claim.outstanding:
            found.append(claim)
    return found


def carried_to_account_for(organisation_id: int, *, today: date | None = None, awards: dict | None = None):
    """Approved carry-overs whose year is over and whose use the organisation has not yet reported.

    ``awards``: what the caller has read of the organisation's decisions, by decision id: each
    carry-over gets its own as ``award`` (a list then, without the line, the decision or its round)."""
    today = today or timezone.localdate()
    carried = CarryOver.objects.filter(
        decision__application__organisation_id=organisation_id,
        state=CarryOverState.APPROVED,
        settled_at__isnull=True,
        to_year__lt=today.year,
    ).order_by("to_year", "pk")
    if awards is None:
        return carried.select_related("decision__application__round__office", "line").defer(
            "decision__application__snapshot"
        )
    found = list(carried)
    for carry in found:
        carry.award = awards[carry.decision_id]
    return found
