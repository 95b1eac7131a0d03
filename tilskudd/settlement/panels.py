"""The settlement stage's panels: the award's money on the case page, a link on the office's round
page, and the carried-over funds a round's year inherits from earlier awards (R12)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.applications.case import CASE
from tilskudd.decisions.selectors import case_decision
from tilskudd.rounds import panels as round_pages
from tilskudd.settlement.selectors import carried_into
from tilskudd.ui.panels import Link, Panel


@CASE.provide(order=25)
def money_panel(request, application, state):
    """A link to the award's money once there is an approved award."""
    decision = case_decision(request, application)
    if decision is None or decision.approved_at is None or decision.granted <= 0:
        return None
    return Panel("settlement/_case_panel.html", {"application": application})


@round_pages.ACTIONS.provide(order=55)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "",
        {
            "links": [
                Link(_("The money after the award"), reverse("settlement:round_settlement", args=[round.pk]))
            ]
        },
    )


@round_pages.OFFICE.provide(order=15)
def carried_funds(request, round, state):
    """ "Overførte midler": money carried over into this round's year, tied to the awards it came from
    and not shared out again by the allocation."""
    carried = carried_into(round.office_id, round.year)
    if not carried:
        return None
    return Panel(
        "settlement/_carried_panel.html",
        {"carried": carried, "total": sum(c.amount for c in carried), "round": round},
    )
