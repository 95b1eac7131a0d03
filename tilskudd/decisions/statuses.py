"""What the decisions stage tells earlier stages through their hooks (registered by DecisionsConfig.ready).

The application's status follows its approved decision: "Innvilget", "Delvis innvilget"
or "Avslått" instead of "Sendt inn" (the applications stage shows it, issue 10).
"""

from tilskudd.applications.hooks import ShownStatus, provides_statuses
from tilskudd.decisions.models import Decision, Outcome

COLOURS = {Outcome.GRANTED: "success", Outcome.PARTLY: "info", Outcome.REFUSED: "neutral"}


@provides_statuses
def decided_statuses(applications) -> dict[int, ShownStatus]:
    # An application whose decision this request read already (``selectors.case_decision``) carries its outcome.
    known = [(a.pk, a._approved_outcome) for a in applications if hasattr(a, "_approved_outcome")]
    approved = [(pk, outcome) for pk, outcome in known if outcome is not None]
    unknown = [a.pk for a in applications if not hasattr(a, "_approved_outcome")]
    if unknown:
        approved += Decision.objects.filter(
            application_id__in=unknown, approved_at__isnull=False
        ).values_list("application_id", "outcome")
    return {pk: ShownStatus(Outcome(outcome).label, COLOURS[Outcome(outcome)]) for pk, outcome in approved}
