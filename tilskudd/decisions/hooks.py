"""What later stages do when a decision is approved, and tell the decision pages, without being imported here.

The reporting stage registers a handler that creates the recipient's report obligation
in the approval's own transaction (SPEC "Reporting": approving an award creates it), and
a provider of the reports submitted but not yet approved, which preparing decisions
warns about (R4's second step: "når rapportering er mottatt og behandlet vil vi tildele
nye tilskudd").
"""

from collections.abc import Callable

ApprovalHandler = Callable[..., None]
PendingProvider = Callable[..., dict[int, list[str]]]
_on_approved: list[ApprovalHandler] = []
_pending: list[PendingProvider] = []


def on_decision_approved(handler: ApprovalHandler) -> ApprovalHandler:
    if handler not in _on_approved:
        _on_approved.append(handler)
    return handler


def decision_approved(decision) -> None:
    """Called by ``services.approve`` inside its transaction: a handler that fails undoes the approval."""
    for handler in _on_approved:
        handler(decision)


def provides_pending_reports(provider: PendingProvider) -> PendingProvider:
    if provider not in _pending:
        _pending.append(provider)
    return provider


def pending_reports(round) -> dict[int, list[str]]:
    """Organisation id -> the titles of its earlier rounds whose report is submitted but not yet approved."""
    found: dict[int, list[str]] = {}
    for provider in _pending:
        for organisation_id, titles in provider(round).items():
            found.setdefault(organisation_id, []).extend(titles)
    return found


# What a later stage holds back of each award until a condition is met (the settlement stage: a share
# withheld until the final report is approved). Payments never exceed the granted amount less it.
WithheldProvider = Callable[..., dict[int, int]]
_withheld: list[WithheldProvider] = []


def provides_withheld(provider: WithheldProvider) -> WithheldProvider:
    if provider not in _withheld:
        _withheld.append(provider)
    return provider


def withheld(decisions) -> dict[int, int]:
    """Decision id -> kroner that may not be paid out yet (absent: nothing held back)."""
    found: dict[int, int] = {}
    for provider in _withheld:
        for decision_id, amount in provider(decisions).items():
            found[decision_id] = found.get(decision_id, 0) + amount
    return found
