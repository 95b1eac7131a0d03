"""The rounds' input fingerprints: every service that changes what a cached view of a round is made
from moves the round's fingerprint in the same transaction, so a cache keyed by it cannot serve
what was true before the change.

Two fingerprints per round (fields on Round):

- ``applications_version``: what the office's spreadsheet of the round reads: the applications the
  office may read (submitted, or drafts shared with it), their lines, their organisations, the round.
- ``inputs_version``: everything the allocation proposal reads: the above, plus assessments, kommune
  records, scenarios, overrides and earmarks. It moves whenever ``applications_version`` does.

The values are random (``stamps.new_stamp``), never counted: a value once replaced never comes back.
tests/test_versions.py walks every service that writes (tests/test_caselog.py's WRITES) and fails if
one changes a proposal or a spreadsheet without moving the fingerprint.
"""

from django.db import connection

from tilskudd.rounds.stamps import new_stamp


def _in_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("a round's fingerprint moves inside the transaction of the change")


def inputs_changed(rounds) -> None:
    """The proposal's inputs of ``rounds`` (a Round queryset) changed: assessments, records, scenarios..."""
    _in_transaction()
    rounds.update(inputs_version=new_stamp())


def applications_changed(rounds) -> None:
    """An application, line or organisation the office reads in ``rounds`` (a Round queryset) changed."""
    _in_transaction()
    _moved(rounds)


def _moved(rounds) -> None:
    rounds.update(inputs_version=new_stamp(), applications_version=new_stamp())


def round_of(round_id: int):
    from tilskudd.rounds.models import Round

    return Round.objects.filter(pk=round_id)


def organisation_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """An organisation's name or kind is changed by the administrator (Django's admin) or by the reference
    data, not by a service of ours: every round it applied in reads it, so their fingerprints move."""
    from tilskudd.rounds.models import Round

    if not (
        raw or created
    ):  # in the save's own transaction when it has one (the admin's, update_or_create's)
        _moved(Round.objects.filter(pk__in=instance.applications.values("round_id")))


def office_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """An office's name is in its rounds' titles (the spreadsheet's summary)."""
    from tilskudd.rounds.models import Round

    if not (raw or created):
        _moved(Round.objects.filter(office_id=instance.pk))
