"""What later stages tell the submission check, without the applications stage importing them.

R4 (report before applying again) is checked here at submission, but the reports belong
to the reporting stage: it registers a provider of the organisation's unreported awards.
"""

from collections.abc import Callable, Iterable

from tilskudd.domain.submission import UnreportedAward

UnreportedProvider = Callable[..., Iterable[UnreportedAward]]
_unreported: list[UnreportedProvider] = []


def provides_unreported_awards(provider: UnreportedProvider) -> UnreportedProvider:
    if provider not in _unreported:
        _unreported.append(provider)
    return provider


def unreported_awards(organisation, round) -> tuple[UnreportedAward, ...]:
    """Every earlier award of ``organisation`` whose report blocks submission in ``round`` (R4)."""
    return tuple(award for provider in _unreported for award in provider(organisation, round))
