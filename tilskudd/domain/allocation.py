"""R8, R9: the allocation engine — a proposed amount and an explanation for every line of a round.

Plain data in (``LineInput``, ``Policy`` with earmarked ``Pool``s), plain data out
(``Allocation``). Money is whole kroner (int) throughout; shares are computed with
integer arithmetic and rounded by the largest-remainder method, so totals add up to
the krone.

The algorithm
=============

0. Lines are handled in ``ref`` order, so the result never depends on input order.
   Caps are shared ledgers: each applicant has ``applicant_cap`` kroner of room and
   each capped line kind its ``kind_caps`` room; every amount given anywhere below
   is taken from the room of the line's applicant and kind, so no step can exceed them.
1. Ineligible lines get 0. Each other line has a *demand*:
   ``min(applied, recommended, max_amount)`` (those that are set), or, for a line the
   case officer has overridden, ``min(override, applied)``.
2. Every line draws on at most one earmarked pool: the first pool, by key, that it
   matches (its kind is in ``line_kinds`` or one of its themes is in ``themes``).
   General funds are ``funds - sum(pool amounts)``; pools larger than the funds are
   refused (ValueError). Pool money never flows into general funds: what a pool does
   not use is left over (``remaining``, ``per_pool`` shows what was drawn).
3. Overrides first. For each pool (key order) its overridden lines share the pool,
   then all overridden lines share general funds for what is still missing —
   proportionally, so if overrides alone exceed the money they are all reduced by
   the same share (step ``override_reduced``). Overrides ignore recommended,
   max_amount and min_amount (the case officer chose the amount), not the caps.
4. Earmarked pools: for each pool (key order), tier by tier (1 first), its other
   matching lines share what is left of the pool, with that tier's policy.
5. General funds: tier by tier, all other eligible lines share general funds for the
   rest of their demand, with that tier's policy. A lower tier gets money only when
   every line of the higher tiers has its demand, is held by a cap, or was dropped
   for being below the minimum.
6. Within a tier, when the money does not reach:

   * ``proportional`` (the default): every line gets the same share of its demand
     (water-filling): raise the share for all lines together; when an applicant's or
     a kind's room runs out, that group's lines stop at their share of the room and
     the rest goes on rising for the others, until the money is used up or every
     line is at its demand. Kroner are handed out by the largest-remainder method:
     floor every share, then one krone each to the lines with the largest
     remainders (ties: lowest ref first), so the tier gets exactly the money there
     is. Each cap event is one pass, so there are at most as many passes as caps,
     and each is a sort of the lines it freezes: O(n log n) in all.
   * ``ranked``: lines sorted by (score descending, no score last; the applicant's
     own rank ascending; ref ascending) are funded in full down the list (within
     their caps); the line that straddles the funding line gets what is left, the
     rest get 0.

   ``min_amount``: a line that would end (all phases together) with more than 0 but
   less than the minimum gets 0 and its money goes to the others of the tier. In a
   proportional tier the lines below the minimum are dropped smallest amount first
   (then the applicant's lowest priority, then highest ref) — only as many as are
   needed for the next one to reach the minimum — and the tier is shared again,
   until no line is below the minimum. In a ranked tier the line is skipped and the
   money goes on down the list.

Every step that shaped a line's amount is recorded (``Step``) and ``explanations.explain`` turns
the steps into plain bokmål, nynorsk or English.
"""

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

PROPORTIONAL = "proportional"
RANKED = "ranked"
TIER_POLICIES = (PROPORTIONAL, RANKED)


# --- Inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    ref: int
    applicant: int
    kind: str
    themes: tuple[str, ...]
    applied: int
    eligible: bool
    tier: int
    score: float | None = None  # weighted criterion score (innovation), higher is better
    rank: int = 1  # the applicant's own priority, 1 first
    recommended: int | None = None  # the case officer's recommended amount: caps the line
    override: int | None = None  # amount fixed by the case officer (the reason is kept elsewhere)


@dataclass(frozen=True)
class Pool:
    """An earmarked pool: a line matches if its kind is in ``line_kinds`` or any theme is in ``themes``."""

    key: str
    name: str
    amount: int
    line_kinds: frozenset[str] = frozenset()
    themes: frozenset[str] = frozenset()

    def matches(self, line: LineInput) -> bool:
        return line.kind in self.line_kinds or not self.themes.isdisjoint(line.themes)


@dataclass(frozen=True)
class Policy:
    funds: int  # fresh + carried over, total available
    pools: tuple[Pool, ...] = ()
    tier_policy: dict[int, str] = field(default_factory=dict)  # per tier: "proportional" or "ranked"
    min_amount: int = 0  # a line that would get less than this gets 0
    max_amount: int | None = None  # at most this per line
    applicant_cap: int | None = None  # at most this per applicant in total
    kind_caps: dict[str, int] = field(default_factory=dict)  # at most this in total per line kind


# --- Outputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LineResult:
    ref: int
    amount: int
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Allocation:
    lines: dict[int, LineResult]
    total: int
    remaining: int  # funds - total, unused pool money included
    per_tier: dict[int, int]
    per_pool: dict[str, int]  # drawn from each earmarked pool
    per_applicant: dict[int, int]
    per_kind: dict[str, int]
    from_general: int = 0  # drawn from general funds (funds - pools)


# --- Working state ------------------------------------------------------------------------------------

Group = tuple[str, object]  # ("applicant", id) or ("kind", code): a capped ledger
_DEMAND = "demand"
_MONEY = "money"
_MINIMUM = "minimum"


class _Line:
    __slots__ = ("inp", "demand", "groups", "pool", "amount", "pool_amount", "cause", "position", "policy")

    def __init__(self, inp: LineInput, demand: int, groups: tuple[Group, ...], pool: Pool | None):
        self.inp = inp
        self.demand = demand
        self.groups = groups
        self.pool = pool
        self.amount = 0
        self.pool_amount = 0
        self.cause: object = _DEMAND  # why the line stopped where it did, in the last phase it took part in
        self.position: int | None = None  # place in its tier's ranking (ranked tiers)
        self.policy = PROPORTIONAL


def _split(
    total: int,
    idx: Sequence[int],
    needs: Sequence[int],
    denominator: int,
    refs: Sequence[int],
    groups: Sequence[tuple[Group, ...]],
    room: dict[Group, int],
    amounts: list[int],
) -> int:
    """Give each line i in idx ``needs[i] * total / denominator`` kroner by the largest-remainder method.

    Floors first, then one krone each by largest remainder (ties: lowest ref), never
    past a group's room. Updates ``amounts`` and ``room``; returns the kroner given.
    """
    given = 0
    remainders = []
    for i in idx:
        share, remainder = divmod(needs[i] * total, denominator)
        amounts[i] = share
        given += share
        for g in groups[i]:
            room[g] -= share
        if remainder:
            remainders.append((-remainder, refs[i], i))
    leftover = total - given
    if leftover > 0:
        remainders.sort()
        for _, _, i in remainders:
            if leftover == 0:
                break
            if all(room[g] >= 1 for g in groups[i]):
                amounts[i] += 1
                for g in groups[i]:
                    room[g] -= 1
                leftover -= 1
                given += 1
    return given


def _waterfill(
    needs: Sequence[int],
    refs: Sequence[int],
    groups: Sequence[tuple[Group, ...]],
    money: int,
    room: dict[Group, int],
) -> tuple[list[int], list[object]]:
    """Proportional shares of ``money`` by need, within the groups' room. Does not change ``room``.

    Returns the amounts and, per line, why it stopped: "demand", "money" or ("cap", group).
    """
    n = len(needs)
    amounts = [0] * n
    causes: list[object] = [_DEMAND] * n
    local = {}
    members: dict[Group, list[int]] = {}
    active_need: dict[Group, int] = {}
    for i, line_groups in enumerate(groups):
        for g in line_groups:
            if g not in local:
                local[g] = room[g]
                members[g] = []
                active_need[g] = 0
            members[g].append(i)
            active_need[g] += needs[i]
    active = [True] * n
    money_left = money
    need_left = sum(needs)
    version = dict.fromkeys(local, 0)
    heap = [(Fraction(local[g], active_need[g]), g, 0) for g in local if active_need[g] > 0]
    heapq.heapify(heap)
    while heap and need_left > 0:
        level, g, seen = heap[0]
        if seen != version[g]:
            heapq.heappop(heap)
            continue
        # The group binds first only if its level is below both full demand and the money's level.
        if local[g] >= active_need[g] or local[g] * need_left >= money_left * active_need[g]:
            break
        heapq.heappop(heap)
        frozen = [i for i in members[g] if active[i]]
        given = _split(local[g], frozen, needs, active_need[g], refs, groups, local, amounts)
        touched = set()
        for i in frozen:
            active[i] = False
            causes[i] = ("cap", g)
            need_left -= needs[i]
            for h in groups[i]:
                if h != g:
                    active_need[h] -= needs[i]
                    touched.add(h)
        active_need[g] = 0
        version[g] += 1
        money_left -= given
        for h in touched:
            version[h] += 1
            if active_need[h] > 0:
                heapq.heappush(heap, (Fraction(local[h], active_need[h]), h, version[h]))
    rest = [i for i in range(n) if active[i]]
    if money_left >= need_left:
        for i in rest:
            amounts[i] = needs[i]
            for g in groups[i]:
                local[g] -= needs[i]
        money_left -= need_left
    elif rest:
        money_left -= _split(money_left, rest, needs, need_left, refs, groups, local, amounts)
        for i in rest:
            causes[i] = _MONEY
    # Kroner a rounding step could not place (a group was full): to anyone with room left, by ref.
    for i in range(n):
        if money_left <= 0:
            break
        extra = min([money_left, needs[i] - amounts[i]] + [local[g] for g in groups[i]])
        if extra > 0:
            amounts[i] += extra
            money_left -= extra
            for g in groups[i]:
                local[g] -= extra
    return amounts, causes


def _below_minimum_batch(
    below: Sequence[int],
    got: Sequence[int],
    why: Sequence[object],
    needs: Sequence[int],
    base: Sequence[int],
    min_amount: int,
) -> set[int]:
    """Which of the lines below the minimum (smallest first) to drop before sharing the tier again.

    The first always goes. Each further one goes only if it would stay below the minimum even
    when the money of those dropped so far is shared again: a line held by the money gets a share
    of the money-bound lines' amount plus everything freed; a line held by a cap a share of that
    cap's amount. Both over-estimate what the line would get, so no line is dropped that would
    have reached the minimum; a line dropped too few is dropped on the next round.
    """
    bucket_amount: dict[object, int] = {}
    bucket_need: dict[object, int] = {}
    for k, cause in enumerate(why):
        bucket_amount[cause] = bucket_amount.get(cause, 0) + got[k]
        bucket_need[cause] = bucket_need.get(cause, 0) + needs[k]
    freed = 0  # by lines held by a cap: counted for the money-bound lines too, generously
    dropped = set()
    for position, k in enumerate(below):
        cause = why[k]
        if position > 0 and bucket_need[cause] > 0:
            extra = freed if cause == _MONEY else 0
            share = needs[k] * (bucket_amount[cause] + extra) // bucket_need[cause]
            if base[k] + min(share + 1, needs[k]) >= min_amount:
                continue
        dropped.add(k)
        bucket_need[cause] -= needs[k]
        if cause != _MONEY:
            freed += got[k]
    return dropped


def _proportional(
    lines: Sequence[_Line], needs: Sequence[int], money: int, min_amount: int, room: dict[Group, int]
) -> tuple[list[int], list[object]]:
    """Water-filling with the minimum: lines below it are dropped (smallest first) and the tier shared again."""
    n = len(lines)
    amounts = [0] * n
    causes: list[object] = [_DEMAND] * n
    active = []
    for i, line in enumerate(lines):
        if line.amount + needs[i] < min_amount:
            causes[i] = _MINIMUM  # even its whole demand would be below the minimum
        else:
            active.append(i)
    while True:
        sub_needs = [needs[i] for i in active]
        got, why = _waterfill(
            sub_needs, [lines[i].inp.ref for i in active], [lines[i].groups for i in active], money, room
        )
        below = [k for k, i in enumerate(active) if 0 < lines[i].amount + got[k] < min_amount]
        if not below:
            break
        below.sort(
            key=lambda k: (
                lines[active[k]].amount + got[k],
                -lines[active[k]].inp.rank,
                -lines[active[k]].inp.ref,
            )
        )
        dropped = _below_minimum_batch(
            below, got, why, sub_needs, [lines[i].amount for i in active], min_amount
        )
        for k in dropped:
            causes[active[k]] = _MINIMUM
        active = [i for k, i in enumerate(active) if k not in dropped]
    for k, i in enumerate(active):
        amounts[i] = got[k]
        causes[i] = why[k]
        for g in lines[i].groups:
            room[g] -= got[k]
    return amounts, causes


def _ranking_key(line: _Line) -> tuple:
    score = line.inp.score
    return (score is None, -score if score is not None else 0.0, line.inp.rank, line.inp.ref)


def _ranked(
    lines: Sequence[_Line], needs: Sequence[int], money: int, min_amount: int, room: dict[Group, int]
) -> tuple[list[int], list[object]]:
    """Fund down the ranking; the line at the funding line gets what is left, those below 0."""
    n = len(lines)
    amounts = [0] * n
    causes: list[object] = [_DEMAND] * n
    for i in sorted(range(n), key=lambda i: _ranking_key(lines[i])):
        limit, cause = needs[i], _DEMAND
        for g in lines[i].groups:
            if room[g] < limit:
                limit, cause = room[g], ("cap", g)
        if money < limit:
            limit, cause = money, _MONEY
        if 0 < lines[i].amount + limit < min_amount:
            limit, cause = 0, _MINIMUM
        amounts[i] = limit
        causes[i] = cause
        money -= limit
        for g in lines[i].groups:
            room[g] -= limit
    return amounts, causes


def _share(
    lines: list[_Line], money: int, policy: str, min_amount: int, room: dict[Group, int], pool: Pool | None
) -> int:
    """One tier (or the overrides) shares ``money``; updates the lines and returns the kroner given."""
    lines = [line for line in lines if line.demand > line.amount]
    if not lines:
        return 0
    needs = [line.demand - line.amount for line in lines]
    distribute = _ranked if policy == RANKED else _proportional
    amounts, causes = distribute(lines, needs, money, min_amount, room)
    for line, amount, cause in zip(lines, amounts, causes, strict=True):
        line.amount += amount
        line.cause = cause
        if pool is not None:
            line.pool_amount += amount
    return sum(amounts)


# --- The engine ---------------------------------------------------------------------------------------


def _demand(line: LineInput, policy: Policy) -> tuple[int, list[Step]]:
    if line.override is not None:
        amount = min(line.override, line.applied)
        return amount, [Step("override", {"amount": amount})]
    limits = [line.applied]
    steps = []
    if line.recommended is not None and line.recommended < line.applied:
        limits.append(line.recommended)
    if policy.max_amount is not None and policy.max_amount < min(limits):
        steps.append(Step("capped_max", {"amount": policy.max_amount}))
        limits.append(policy.max_amount)
    elif line.recommended is not None and line.recommended < line.applied:
        steps.append(Step("capped_recommended", {"amount": line.recommended}))
    return min(limits), steps


def _validate(lines: Sequence[LineInput], policy: Policy) -> None:
    def non_negative(name: str, value: int | None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be whole kroner (int), got {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")

    non_negative("funds", policy.funds)
    non_negative("min_amount", policy.min_amount)
    non_negative("max_amount", policy.max_amount)
    non_negative("applicant_cap", policy.applicant_cap)
    for kind, cap in policy.kind_caps.items():
        non_negative(f"kind_caps[{kind}]", cap)
    for tier, name in policy.tier_policy.items():
        if name not in TIER_POLICIES:
            raise ValueError(f"tier {tier}: unknown policy {name!r}, expected one of {TIER_POLICIES}")
    keys = [pool.key for pool in policy.pools]
    if len(set(keys)) != len(keys):
        raise ValueError("pool keys must be unique")
    for pool in policy.pools:
        non_negative(f"pool {pool.key}", pool.amount)
    if sum(pool.amount for pool in policy.pools) > policy.funds:
        raise ValueError("earmarked pools exceed the funds available")
    refs = set()
    for line in lines:
        if line.ref in refs:
            raise ValueError(f"line ref {line.ref} appears twice")
        refs.add(line.ref)
        non_negative(f"line {line.ref} applied", line.applied)
        non_negative(f"line {line.ref} recommended", line.recommended)
        non_negative(f"line {line.ref} override", line.override)


def allocate(lines: Iterable[LineInput], policy: Policy) -> Allocation:
    """Propose an amount for every line of a round under ``policy`` (see the module docstring)."""
    inputs = sorted(lines, key=lambda line: line.ref)
    _validate(inputs, policy)
    pools = sorted(policy.pools, key=lambda pool: pool.key)
    room: dict[Group, int] = {}
    if policy.applicant_cap is not None:
        for line in inputs:
            room[("applicant", line.applicant)] = policy.applicant_cap
    for kind, cap in sorted(policy.kind_caps.items()):
        room[("kind", kind)] = cap

    work: list[_Line] = []
    first_steps: dict[int, list[Step]] = {}
    for inp in inputs:
        if not inp.eligible:
            continue
        demand, steps = _demand(inp, policy)
        groups = tuple(g for g in (("applicant", inp.applicant), ("kind", inp.kind)) if g in room)
        pool = next((p for p in pools if p.matches(inp)), None)
        line = _Line(inp, demand, groups, pool)
        line.policy = policy.tier_policy.get(inp.tier, PROPORTIONAL)
        work.append(line)
        first_steps[inp.ref] = steps

    overridden = [line for line in work if line.inp.override is not None]
    regular = [line for line in work if line.inp.override is None]
    tiers = sorted({line.inp.tier for line in regular})
    by_tier: dict[int, list[_Line]] = {tier: [] for tier in tiers}
    for line in regular:
        by_tier[line.inp.tier].append(line)
    for tier, members in by_tier.items():
        if policy.tier_policy.get(tier, PROPORTIONAL) == RANKED:
            for position, line in enumerate(sorted(members, key=_ranking_key), start=1):
                line.position = position

    pool_left = {pool.key: pool.amount for pool in pools}
    general_left = policy.funds - sum(pool.amount for pool in pools)
    general_start = general_left

    # Overrides: their pool first, then general funds, shared proportionally if they do not fit.
    for pool in pools:
        members = [line for line in overridden if line.pool is pool]
        pool_left[pool.key] -= _share(members, pool_left[pool.key], PROPORTIONAL, 0, room, pool)
    general_left -= _share(overridden, general_left, PROPORTIONAL, 0, room, None)

    # Earmarked pools, tier by tier.
    for pool in pools:
        for tier in tiers:
            members = [line for line in by_tier[tier] if line.pool is pool]
            policy_name = policy.tier_policy.get(tier, PROPORTIONAL)
            pool_left[pool.key] -= _share(
                members, pool_left[pool.key], policy_name, policy.min_amount, room, pool
            )

    # General funds, tier by tier.
    for tier in tiers:
        policy_name = policy.tier_policy.get(tier, PROPORTIONAL)
        general_left -= _share(by_tier[tier], general_left, policy_name, policy.min_amount, room, None)

    results: dict[int, LineResult] = {}
    worked = {line.inp.ref: line for line in work}
    per_tier: dict[int, int] = {}
    per_applicant: dict[int, int] = {}
    per_kind: dict[str, int] = {}
    for inp in inputs:
        per_applicant[inp.applicant] = per_applicant.get(inp.applicant, 0)
        per_kind[inp.kind] = per_kind.get(inp.kind, 0)
        line = worked.get(inp.ref)
        if line is None:
            results[inp.ref] = LineResult(inp.ref, 0, (Step("ineligible", {}),))
            continue
        per_tier[inp.tier] = per_tier.get(inp.tier, 0) + line.amount
        per_applicant[inp.applicant] += line.amount
        per_kind[inp.kind] += line.amount
        results[inp.ref] = LineResult(inp.ref, line.amount, _steps(line, first_steps[inp.ref], policy))

    total = sum(result.amount for result in results.values())
    return Allocation(
        lines=results,
        total=total,
        remaining=policy.funds - total,
        per_tier=dict(sorted(per_tier.items())),
        per_pool={pool.key: pool.amount - pool_left[pool.key] for pool in pools},
        per_applicant=dict(sorted(per_applicant.items())),
        per_kind=dict(sorted(per_kind.items())),
        from_general=general_start - general_left,
    )


def _percent(amount: int, demand: int) -> int:
    return 100 * amount // demand if demand else 100


def _steps(line: _Line, demand_steps: list[Step], policy: Policy) -> tuple[Step, ...]:
    inp = line.inp
    steps = [Step("tier", {"tier": inp.tier}), Step("applied", {"amount": inp.applied}), *demand_steps]
    if line.pool is not None and line.pool_amount:
        steps.append(
            Step("from_pool", {"pool": line.pool.name, "key": line.pool.key, "amount": line.pool_amount})
        )
    cause, amount = line.cause, line.amount
    if line.position is not None and amount > 0:
        steps.append(Step("funded_by_score", {"position": line.position}))
    if amount >= line.demand:
        if line.demand > 0:
            steps.append(Step("fully_funded", {"amount": amount}))
    elif isinstance(cause, tuple):
        _, (group, key) = cause
        if group == "applicant":
            steps.append(Step("capped_applicant", {"cap": policy.applicant_cap, "amount": amount}))
        else:
            steps.append(Step("capped_kind", {"kind": key, "cap": policy.kind_caps[key], "amount": amount}))
    elif cause == _MINIMUM:
        steps.append(Step("below_minimum", {"minimum": policy.min_amount}))
    elif inp.override is not None:
        steps.append(
            Step("override_reduced", {"share_percent": _percent(amount, line.demand), "amount": amount})
        )
    elif amount == 0:
        params = {"tier": inp.tier}
        if line.position is not None:
            params["position"] = line.position
        steps.append(Step("below_funding_line", params))
    elif line.policy == RANKED:
        steps.append(Step("at_funding_line", {"amount": amount}))
    else:
        steps.append(
            Step(
                "reduced_proportionally",
                {"share_percent": _percent(amount, line.demand), "tier": inp.tier, "amount": amount},
            )
        )
    return tuple(steps)
