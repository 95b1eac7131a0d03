"""Permission-checked fetches of rounds."""

from django.shortcuts import get_object_or_404

from tilskudd.accounts.access import scoped
from tilskudd.rounds.models import Round


def rounds_managed_by(user):
    return scoped(user, Round.objects.select_related("office"), office="office_id")


def get_round_to_manage(user, pk: int) -> Round:
    return get_object_or_404(rounds_managed_by(user), pk=pk)


def get_published_round(pk: int) -> Round:
    return get_object_or_404(Round.objects.published().select_related("office"), pk=pk)
