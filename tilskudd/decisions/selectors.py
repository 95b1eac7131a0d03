"""Shared reads of decisions."""

from django.db.models import Q
from django.utils.translation import gettext as _

from tilskudd.applications.models import Application, Status
from tilskudd.decisions import hooks
from tilskudd.domain.text import norwegian_sort_key

# A decision whose letter is not made yet, or made but not e-mailed yet (a filter on Decision).
LETTER_PENDING = Q(letter__isnull=True) | Q(letter__notified_at__isnull=True)


def unapproved_report_warnings(round) -> list[dict]:
    """R4's second step: applicants whose earlier report is submitted but not yet approved by the office."""
    pending = hooks.pending_reports(round)
    if not pending:
        return []
    applications = Application.objects.filter(
        round=round, status=Status.SUBMITTED, organisation_id__in=list(pending)
    ).select_related("organisation")
    return [
        {
            "application": application,
            "text": _("%(organisation)s: the report for %(rounds)s has not been processed.")
            % {
                "organisation": application.organisation.name,
                "rounds": ", ".join(pending[application.organisation_id]),
            },
        }
        for application in sorted(applications, key=lambda a: norwegian_sort_key(a.organisation.name))
    ]
