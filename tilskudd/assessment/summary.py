"""The allocation page's view of a proposal, computed once per state of its inputs and cached.

``summary(round, scenario)`` is the whole proposal reduced to what the page sorts, filters, totals and
charts: one small ``Row`` per line, with its tier, score and the engine's result (for the "why").
It is kept under the round's ``inputs_version`` (tilskudd.rounds.versions), which every service that
changes an input moves in its own transaction: a change makes a new key, so the page never shows
money from before it. The round is read (with its fingerprint) before the proposal is, so what is
computed is never older than the key it is kept under.

The cache is this process's own (``LocalCache``), not Django's: unpickling a summary of 900 lines
from Django's cache took 28 ms, most of what computing it costs. Each worker process computes a
round's summary once per state of its inputs; the keys are the same everywhere.

A row carries what the page shows of its line (title, applicant, amounts, tier, score, eligibility):
every one of them is an input whose change moves the fingerprint. Only the overrides' notes (who set
an amount, and why) are read for the page's rows on each request.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from tilskudd.assessment import services
from tilskudd.domain.allocation import LineResult
from tilskudd.domain.priorities import TierResult
from tilskudd.domain.text import norwegian_sort_key

SHAPE = 1  # part of every key: change it when Row, Summary or the engine's results change shape or meaning


class LocalCache:
    """The last ``size`` values used in this process, by key; safe to share between threads.

    Values are kept as they are (not copied): only immutable ones may be put here.
    """

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def set(self, key, value) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# A summary of 900 lines is about a megabyte; the charts' HTML of one language about 60 kB.
cache = LocalCache(64)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the proposal, as the allocation page sorts, filters and totals it."""

    line_id: int
    title: str
    applicant_id: int
    applicant: str  # the organisation's name
    applicant_display: str  # its name in pages ("Trondheim kommune")
    applicant_order: int  # its place in the Norwegian alphabet among the round's applicants
    kind: str
    rank: int
    themes: tuple[str, ...]
    applied: int
    tier: TierResult
    score: float | None
    result: LineResult
    overridden: bool
    eligible: bool

    @property
    def amount(self) -> int:
        return self.result.amount


@dataclass(frozen=True)
class Summary:
    rows: tuple[Row, ...]  # by tier, then score (highest first), applicant and the applicant's priority
    funds: int
    applied: int
    total: int
    remaining: int
    per_applicant: dict[int, int]
    eligible_applied: int  # what the eligible lines ask for
    unused_pools: int  # earmarked money the lines do not use up
    any_override: bool


def summarise(proposal: services.Proposal) -> Summary:
    organisations = {
        i.line.application.organisation_id: i.line.application.organisation for i in proposal.lines
    }
    names = {pk: organisation.name for pk, organisation in organisations.items()}
    display = {pk: organisation.display_name for pk, organisation in organisations.items()}
    order = {pk: n for n, pk in enumerate(sorted(names, key=lambda pk: norwegian_sort_key(names[pk])))}
    rows = []
    for item in proposal.lines:
        line, assessment = item.line, item.assessment
        applicant = line.application.organisation_id
        rows.append(
            Row(
                line_id=line.pk,
                title=line.title,
                applicant_id=applicant,
                applicant=names[applicant],
                applicant_display=display[applicant],
                applicant_order=order[applicant],
                kind=line.kind,
                rank=line.rank,
                themes=tuple(line.themes or ()),
                applied=line.amount,
                tier=item.tier,
                score=item.score,
                result=item.result,
                overridden=item.override is not None,
                eligible=not (assessment and not assessment.eligible),
            )
        )
    rows.sort(key=lambda r: (r.tier.tier, -(r.score or 0), r.applicant_order, r.rank))
    allocation = proposal.allocation
    return Summary(
        rows=tuple(rows),
        funds=proposal.policy.funds,
        applied=proposal.applied,
        total=allocation.total,
        remaining=allocation.remaining,
        per_applicant=dict(allocation.per_applicant),
        eligible_applied=sum(r.applied for r in rows if r.eligible),
        unused_pools=sum(
            max(pool.amount - allocation.per_pool.get(pool.key, 0), 0) for pool in proposal.policy.pools
        ),
        any_override=any(r.overridden for r in rows),
    )


def key_of(round, scenario) -> str:
    return f"allocation:{SHAPE}:{round.pk}:{round.inputs_version}:{scenario.pk or 0}"


def summary(round, scenario) -> Summary:
    """The proposal of ``scenario`` (of ``round``, read with its fingerprint before this call), cached."""
    key = key_of(round, scenario)
    found = cache.get(key)
    if found is None:
        scenario.round = round  # the round as read with the fingerprint: funds, weights, earmarks
        found = summarise(services.proposal(scenario))
        cache.set(key, found)
    return found


def chosen_scenario(round, wanted=None):
    """The round's scenarios (never empty: the unsaved default before any is saved) and the one
    whose id is ``wanted``, or the first: what the allocation page and the API show."""
    scenarios = list(round.scenarios.all()) or [services.default_scenario(round)]
    wanted = str(wanted) if wanted not in (None, "") else None
    return scenarios, next((s for s in scenarios if str(s.pk) == wanted), scenarios[0])
