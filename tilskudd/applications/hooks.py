"""What later stages tell the applications stage, without the applications stage importing them.

R4 (report before applying again) is checked here at submission, but the reports belong
to the reporting stage: it registers a provider of the organisation's unreported awards.

An application's status follows its decision ("Innvilget" rather than "Sendt inn" once a
decision is approved), but decisions belong to a later stage: it registers a provider of
the status to show for submitted applications.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class ShownStatus:
    """The status an application's tag shows: a (lazily translated) label and a Designsystemet colour."""

    label: object
    colour: str


StatusProvider = Callable[[Sequence], dict[int, ShownStatus]]
_statuses: list[StatusProvider] = []


def provides_statuses(provider: StatusProvider) -> StatusProvider:
    if provider not in _statuses:
        _statuses.append(provider)
    return provider


def shown_statuses(applications: Sequence) -> dict[int, ShownStatus]:
    """What later stages say the status of each submitted application is now, by pk (one query each)."""
    submitted = [a for a in applications if not a.is_draft]
    statuses: dict[int, ShownStatus] = {}
    if submitted:
        for provider in _statuses:
            statuses.update(provider(submitted))
    return statuses


def annotate_statuses(applications: Iterable) -> list:
    """Give every application of a list its shown status at once, so a list page asks once, not per row."""
    applications = list(applications)
    statuses = shown_statuses(applications)
    for application in applications:
        application._shown_status = statuses.get(application.pk)
    return applications
