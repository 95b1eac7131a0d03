"""The reporting stage's answers to the earlier stages' questions."""

from tilskudd.applications.hooks import provides_unreported_awards
from tilskudd.domain.submission import UnreportedAward
from tilskudd.reporting.models import ReportObligation


@provides_unreported_awards
def missing_reports(organisation, round):
    """R4: awards from earlier rounds whose report is not submitted."""
    obligations = (
        ReportObligation.objects.unreported()
        .filter(organisation=organisation, round__year__lt=round.year)
        .select_related("round__office")
    )
    return [UnreportedAward(o.pk, o.round.title) for o in obligations]
