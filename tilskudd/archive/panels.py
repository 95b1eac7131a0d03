"""The archive on other stages' pages: the case's journal on the case page, links to the extractions."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.case import CASE, CASE_LINKS
from tilskudd.archive.journal import journal
from tilskudd.decisions.selectors import case_decision
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


def _office(request) -> bool:
    return request.user.is_office_side or request.user.role == Role.ADMIN


@CASE.provide(order=90)
def journal_panel(request, application, state):
    """What came in and went out, as the Noark 5 extraction carries it (journalposts)."""
    if not _office(request) or application.is_draft:
        return None
    return Panel(
        "archive/_journal.html",
        {
            "entries": journal(application, decision=case_decision(request, application)),
            "application": application,
        },
    )


@CASE_LINKS.provide(order=11)
def extraction_link(request, application, state):
    if not request.user.is_office_side or application.is_draft:
        return None
    return Panel(
        "",
        {
            "links": [
                Link(
                    _("Download the case as a Noark 5 extraction"),
                    reverse("archive:case_extraction", args=[application.pk]),
                )
            ]
        },
    )


@round_pages.ACTIONS.provide(order=60)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "", {"links": [Link(_("Noark 5 extraction"), reverse("archive:round_extractions", args=[round.pk]))]}
    )
