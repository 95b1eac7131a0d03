"""Assessment (R7) and allocation scenarios (R8): the case officers' working material.

Nothing here is final: decisions (the decisions app) freeze the amounts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.rounds.models import at_most


class LeveHeleLivet(models.TextChoices):
    UNKNOWN = "", _("not recorded")
    FULFILS = "fulfils", _("reorganises in line with the reform")
    PARTLY = "partly", _("partly")
    NOT = "not", _("not")


class KommuneRecord(models.Model):
    """The office's judgement of one kommune for one year (R7): Leve hele livet, need to qualify staff."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    leve_hele_livet = models.CharField(
        _("Leve hele livet"), max_length=10, choices=LeveHeleLivet.choices, blank=True, default=""
    )
    needs_qualification = models.BooleanField(_("particularly needs to qualify staff"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_record_per_kommune_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"


class Assessment(models.Model):
    line = models.OneToOneField("applications.Line", on_delete=models.CASCADE, related_name="assessment")
    eligible = models.BooleanField(_("eligible"), default=True)
    ineligible_reason = models.TextField(_("reason it is not eligible"), blank=True)
    scores = models.JSONField(_("scores per criterion"), default=dict, blank=True)
    recommended = models.PositiveBigIntegerField(_("recommended amount (kr)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    assessed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [at_most("recommended", MAX_AMOUNT, "assessment_recommended_bounded")]

    def __str__(self) -> str:
        return f"assessment of line {self.line_id}"


class Scenario(models.Model):
    """A named allocation proposal: a policy, plus overrides on single lines."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=120)
    tier_policy = models.JSONField(default=dict, blank=True)  # {"1": "proportional", "2": "ranked"}
    min_amount = models.PositiveBigIntegerField(_("minimum per measure (kr)"), default=0)
    max_amount = models.PositiveBigIntegerField(_("maximum per measure (kr)"), null=True, blank=True)
    applicant_cap = models.PositiveBigIntegerField(_("maximum per applicant (kr)"), null=True, blank=True)
    kind_share_caps = models.JSONField(default=dict, blank=True)  # {"innovation": 40} percent of the funds
    prioritised_themes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="unique_scenario_name_per_round"),
            at_most("min_amount", MAX_AMOUNT, "scenario_min_amount_bounded"),
            at_most("max_amount", MAX_AMOUNT, "scenario_max_amount_bounded"),
            at_most("applicant_cap", MAX_AMOUNT, "scenario_applicant_cap_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class Override(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="overrides")
    line = models.ForeignKey("applications.Line", on_delete=models.CASCADE, related_name="+")
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "line"], name="one_override_per_line"),
            at_most("amount", MAX_AMOUNT, "override_amount_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.amount}"
