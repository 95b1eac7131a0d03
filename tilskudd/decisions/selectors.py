"""Shared reads of decisions."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from tilskudd.applications.models import Application, Status
from tilskudd.decisions import hooks
from tilskudd.decisions.models import Decision, Payment
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


def load_decision(application: Application) -> Decision | None:
    """The application's decision (approved or not) with what the case page and the journal show of it:
    who prepared and approved it, the letter, the acceptance and any new deadline, its lines and
    payments; the application it belongs to is the one given (its round and office read already)."""
    decisions = Decision.objects.filter(application=application)
    # Asked first whether there is one: a case has none until the allocation, and the read with
    # everything joined costs ten times the question to build.
    if not decisions.exists():
        return None
    decision = (
        decisions.select_related(
            "prepared_by",
            "approved_by",
            "acceptance__accepted_by",
            "acceptance_extension__granted_by",
            "letter",
        )
        .prefetch_related("lines", Prefetch("payments", Payment.objects.select_related("recorded_by")))
        .first()
    )
    if decision is not None:
        # Cached one way only, so the two do not hold each other (a cycle only the garbage collector frees).
        Decision.application.field.set_cached_value(decision, application)
    return decision


def case_decision(request, application: Application) -> Decision | None:
    """``load_decision`` once per request and application: the case page's panels (the decision's, the
    money's, the journal) each asked for it. Kept on the request, which ends with the page: a view that
    writes does so before the page is rendered."""
    kept = request.__dict__.setdefault("_case_decisions", {})
    if application.pk not in kept:
        kept[application.pk] = load_decision(application)
    decision = kept[application.pk]
    # What the status beside the application shows (decisions.statuses) is read here too, not asked again.
    application._approved_outcome = (
        decision.outcome if decision is not None and decision.is_approved else None
    )
    return decision
