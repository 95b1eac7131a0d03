"""Reports on awards (R11). For now: the obligation to report, which R4 reads.

An award from an approved decision creates a ReportObligation; the report, once
submitted, clears R4 for that organisation's next application. The reporting
issue adds the report itself (web form and Excel workbook) on top of this.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportObligationQuerySet(models.QuerySet):
    def unreported(self):
        return self.filter(submitted_at__isnull=True)


class ReportObligation(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="report_obligations"
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="report_obligations")
    awarded = models.PositiveBigIntegerField(_("awarded (kr)"))
    due = models.DateTimeField(_("report due"))
    submitted_at = models.DateTimeField(_("report submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("report approved"), null=True, blank=True)

    objects = ReportObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round"], name="one_report_per_organisation_and_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"
