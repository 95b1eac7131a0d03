"""The reporting stage's panels: on the case page (the award's report; earlier reports not yet approved)
and a link on the office's round page."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.accounts.models import OFFICE_ROLES, Role
from tilskudd.applications.case import CASE
from tilskudd.reporting.hooks import predecessors_of
from tilskudd.reporting.models import AWAITING_APPROVAL, ReportObligation
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Link, Panel


@CASE.provide(order=20)
def report_panel(request, application, state):
    """The report on this application's award, and (for the office) R4's second step: earlier reports
    submitted but not yet approved ("når rapportering er mottatt og behandlet vil vi tildele nye tilskudd")."""
    wanted = Q(organisation=application.organisation_id, round=application.round_id)
    if request.user.is_office_side or request.user.role == Role.ADMIN:
        organisations = [application.organisation_id, *predecessors_of(application.organisation_id)]
        wanted |= AWAITING_APPROVAL & Q(
            organisation_id__in=organisations, round__year__lt=application.round.year
        )
    # One read for both: the own round's report, and the earlier ones awaiting approval; asked first
    # whether there are any (mostly none: the read with its joins costs twice the question).
    obligations = ReportObligation.objects.filter(wanted)
    found = list(obligations.select_related("round__office", "organisation")) if obligations.exists() else []
    own = next((o for o in found if o.round_id == application.round_id), None)
    pending = [o for o in found if o.round_id != application.round_id]
    if own is None and not pending:
        return None
    return Panel("reporting/_case_panel.html", {"obligation": own, "pending": pending})


@round_pages.ACTIONS.provide(order=50)
def round_actions(request, round, state):
    if request.user.role not in OFFICE_ROLES:
        return None
    return Panel("", {"links": [Link(_("Reports"), reverse("reporting:round_reports", args=[round.pk]))]})
