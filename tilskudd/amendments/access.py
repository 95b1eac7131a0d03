"""Permission-checked fetches of change requests: another organisation's or office's request is a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.amendments.models import ChangeRequest


def changes_visible_to(user):
    return scoped(
        user,
        ChangeRequest.objects.select_related(
            "decision__application__round__office",
            "decision__application__organisation",
            "line",
            "to_line",
            "requested_by",
            "prepared_by",
            "decided_by",
        ),
        office="decision__application__round__office_id",
        organisation="decision__application__organisation_id",
    )


def get_change_for(user, pk: int) -> ChangeRequest:
    return get_object_or_404(changes_visible_to(user), pk=pk)


def get_change_to_handle(user, pk: int) -> ChangeRequest:
    """A request the office handles: its own office's; others get 404, the organisation 403."""
    change = get_change_for(user, pk)
    if not user.works_at(change.decision.application.round.office_id):
        raise PermissionDenied
    return change
