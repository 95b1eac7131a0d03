"""Decisions (vedtak, R10): prepared by a case officer, approved by another person, then immutable."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY = "partly", _("partly granted")
    REFUSED = "refused", _("refused")


class Decision(models.Model):
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    granted = models.PositiveBigIntegerField(_("granted (kr)"))
    applied = models.PositiveBigIntegerField(_("applied for (kr)"))
    scenario_name = models.CharField(max_length=120)
    appeal_allowed = models.BooleanField(default=False)
    appeal_text = models.TextField()
    prepared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # four eyes: the preparer never approves their own decision
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")), name="four_eyes"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="approval_has_person_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class DecisionLine(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("applications.Line", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    applied = models.PositiveBigIntegerField()
    granted = models.PositiveBigIntegerField()
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.title}: {self.granted}"
