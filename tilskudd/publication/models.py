from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeText(models.Model):
    """The scheme's national text, published by the directorate and shown beside every office's call.

    One row (the scheme has one text at a time); each change is in the case log.
    """

    purpose = models.TextField(_("purpose"), blank=True)
    sub_goals = models.TextField(_("sub-goals"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    priorities = models.TextField(_("priorities"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    FIELDS = ("purpose", "sub_goals", "target_groups", "priorities")

    class Meta:
        verbose_name = _("national scheme text")

    def __str__(self) -> str:
        return "national scheme text"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in self.FIELDS)


class PublishedLine(models.Model):
    """The public record of one decision line, the read table behind every public page and file.

    A snapshot taken when the decision is approved (``summary.refresh_decision``, on the
    decisions' approval hook): the public fields only, with the names as they stood then,
    and (for an award) its 360Giving record made once in ``PublishedGrant``, so every export gives
    the same record.
    ``refused`` lines (nothing granted) are here only while their round publishes refusals.
    ``manage.py rebuild_publication`` takes the whole snapshot again.
    """

    decision_line = models.OneToOneField(
        "decisions.DecisionLine", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    refused = models.BooleanField(default=False)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    granted = models.PositiveBigIntegerField()
    awarded_at = models.DateTimeField()
    year = models.PositiveSmallIntegerField()
    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("organisations.Office", on_delete=models.CASCADE, related_name="+")
    office_name = models.CharField(max_length=120)
    office_orgnr = models.CharField(max_length=9, blank=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    organisation_name = models.CharField(max_length=200)
    organisation_kind = models.CharField(max_length=20)
    organisasjonsnummer = models.CharField(max_length=9, blank=True)
    kommunenummer = models.CharField(max_length=4, blank=True)
    fylke_number = models.CharField(max_length=2, blank=True)
    fylke_name = models.CharField(max_length=120, blank=True)
    education_type = models.CharField(max_length=30, blank=True)
    themes = models.JSONField(default=list, blank=True)
    purpose = models.TextField(blank=True)
    collaborators = models.TextField(blank=True)

    class Meta:
        indexes = [
            # the award list's three orders, read a page at a time (keyset, no OFFSET)
            models.Index(fields=["-year", "organisation_name", "decision_line"], name="published_by_year"),
            models.Index(fields=["-granted", "decision_line"], name="published_by_amount"),
            models.Index(fields=["organisation_name", "decision_line"], name="published_by_organisation"),
            # the statistics, read from these alone (the awards' groups, and the sums per year) rather than
            # from every row: the first request after an approval adds up the country's awards
            models.Index(
                fields=[
                    "kind",
                    "education_type",
                    "organisation_kind",
                    "fylke_name",
                    "office_name",
                    "granted",
                ],
                condition=models.Q(refused=False),
                name="published_award_groups",
            ),
            models.Index(
                fields=["year", "granted"], condition=models.Q(refused=False), name="published_award_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.granted}"


class PublishedGrant(models.Model):
    """A published award's open data, made once: kept apart so the lists and statistics read narrow rows.

    A refused line has none: it is no grant.
    """

    line = models.OneToOneField(PublishedLine, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # The 360Giving record without ``dataSource`` (the address it is read from, added when served).
    record = models.TextField()
    # Its row in the 360Giving CSV up to the last column, Data Source (added when served).
    csv_row = models.TextField()

    def __str__(self) -> str:
        return f"open data of {self.line_id}"


class RoundPublication(models.Model):
    """What an office publishes of a round beyond its awards: refusals, off unless the office turns them on."""

    round = models.OneToOneField("rounds.Round", on_delete=models.CASCADE, primary_key=True, related_name="+")
    publish_refusals = models.BooleanField(_("publish refusals"), default=False)

    def __str__(self) -> str:
        return f"publication of round {self.round_id}"


class SummaryVersion(models.Model):
    """One row, given a new random token whenever the published records change: the public pages' cache key.

    Random rather than counted, so a database put back from a backup never meets a page cached
    under the same version of other data.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"published records, version {self.token}"
