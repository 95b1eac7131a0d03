"""The national scheme text beside the office's call on every round's public page; the office's link to
what it publishes of a round."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.publication.services import scheme_text
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


@round_pages.CALL.provide(order=10)
def national_text(request, round, state):
    text = scheme_text()
    return Panel("publication/_scheme_text.html", {"text": text}) if text else None


@round_pages.ACTIONS.provide(order=60)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "", {"links": [Link(_("Publication"), reverse("publication:round_publication", args=[round.pk]))]}
    )
