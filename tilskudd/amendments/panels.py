"""The change requests' panel on the case page (the award's changes, "Søk om endring") and a link on the
office's round page."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES
from tilskudd.amendments.models import Amendment, ChangeRequest
from tilskudd.amendments.selectors import windows_for
from tilskudd.applications.case import CASE
from tilskudd.decisions.selectors import case_decision
from tilskudd.domain.changes import is_open
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


@CASE.provide(order=15)
def changes_panel(request, application, state):
    decision = case_decision(request, application)
    if decision is None or decision.approved_at is None or decision.granted <= 0:
        return None
    user = request.user
    own = user.is_applicant_side and user.organisation_id == application.organisation_id
    changes = list(ChangeRequest.objects.filter(decision=decision).select_related("line", "to_line"))
    if not own and not changes:
        return None
    letters = {a.change_id: a for a in Amendment.objects.filter(decision=decision)}
    for change in changes:
        change.letter = letters.get(change.pk)
    windows = windows_for(application.round, application.organisation_id)
    return Panel(
        "amendments/_case_panel.html",
        {
            "application": application,
            "changes": changes,
            "own": own,
            "window_open": is_open(timezone.now(), windows),
            "windows": windows,
        },
    )


@round_pages.ACTIONS.provide(order=55)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel(
        "", {"links": [Link(_("Change requests"), reverse("amendments:round_changes", args=[round.pk]))]}
    )
