"""The assessment stage's actions on the office's round page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


@round_pages.ACTIONS.provide(order=30)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "",
        {
            "links": [
                Link(
                    _("Municipalities %(year)s") % {"year": round.year},
                    reverse("assessment:kommune_records", args=[round.pk]),
                ),
                Link(
                    _("Assessment and allocation"),
                    reverse("assessment:allocation", args=[round.pk]),
                    "primary",
                ),
            ]
        },
    )
