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
