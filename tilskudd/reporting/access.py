"""Permission-checked fetches of report obligations."""

from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.reporting.models import ReportObligation


def obligations_visible_to(user):
    return scoped(
        user,
        ReportObligation.objects.select_related("organisation", "round__office"),
        office="round__office_id",
        organisation="organisation_id",
    )


def get_obligation_for(user, pk: int) -> ReportObligation:
    return get_object_or_404(obligations_visible_to(user), pk=pk)
