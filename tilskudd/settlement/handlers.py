"""The settlement stage listens to the reporting stage: an approved report books the award's money."""

from django.dispatch import receiver

from tilskudd.decisions.hooks import provides_withheld
from tilskudd.reporting.signals import report_approved
from tilskudd.settlement.services import held_back, not_to_be_paid, settle_from_report


@receiver(report_approved, dispatch_uid="settlement.settle_from_report")
def book_the_report(sender, *, obligation, by, **kwargs):
    if obligation.decision_id is not None:
        settle_from_report(obligation=obligation, by=by)


provides_withheld(held_back)  # a share until the final report is approved
provides_withheld(not_to_be_paid)  # then what the report did not use
