"""The one function every service calls to record what it did, inside its own transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from tilskudd.caselog import kinds
from tilskudd.caselog.models import Entry


class NotInTransaction(RuntimeError):
    """record() was called outside the transaction of the change it records."""


def _scope(subject, name: str, explicit):
    if explicit is not None:
        return explicit
    if subject._meta.model_name == name:
        return subject.pk
    return getattr(subject, f"{name}_id", None)


def record(
    subject,
    *,
    by,
    kind: kinds.Kind,
    detail: str = "",
    reason: str = "",
    changes: list[dict] | None = None,
    visible_to_applicant: bool | None = None,
    round_id: int | None = None,
    organisation_id: int | None = None,
) -> Entry:
    """Record who (``by``; None for the system), what (``kind``, ``detail``, ``changes``) and why (``reason``).

    Must run inside the transaction that makes the change, so the change and its
    record are committed together or not at all.
    """
    if not connection.in_atomic_block:
        raise NotInTransaction(f"record({kind.code}) must be called inside the change's transaction")
    return Entry.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        round_id=_scope(subject, "round", round_id),
        organisation_id=_scope(subject, "organisation", organisation_id),
        kind=kind.code,
        actor=by if by is not None and getattr(by, "pk", None) else None,
        detail=detail,
        reason=reason,
        changes=changes or [],
        visible_to_applicant=kind.visible_to_applicant
        if visible_to_applicant is None
        else visible_to_applicant,
    )
