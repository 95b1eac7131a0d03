from datetime import timedelta

from django.db import models
from django.utils import timezone


def extraction_path(instance, filename: str) -> str:
    return f"extractions/{instance.office_id}/{instance.pk}/{filename}"


class Extraction(models.Model):
    """A Noark 5 extraction made by the background worker: one round's, or the office's rounds of a
    range of years (``round`` empty, ``year_from``–``year_to``). Its progress is on the row for the page
    to poll.

    The worker beats (heartbeat_at) after every case. A run unfinished that has not beaten for
    STALE_AFTER has stopped (its worker was killed or never came): the page says so, and starting
    again marks it abandoned (``abandoned_at``, with the reason in ``error``) before a new run
    takes over. A worker that wakes up to find its run abandoned stops without writing.
    """

    STALE_AFTER = timedelta(minutes=5)

    office = models.ForeignKey("organisations.Office", on_delete=models.CASCADE, related_name="extractions")
    round = models.ForeignKey(
        "rounds.Round", on_delete=models.CASCADE, related_name="extractions", null=True, blank=True
    )
    year_from = models.PositiveSmallIntegerField(null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=extraction_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(round__isnull=False)
                | models.Q(
                    year_from__isnull=False, year_to__isnull=False, year_from__lte=models.F("year_to")
                ),
                name="extraction_of_a_round_or_a_range_of_years",
            )
        ]

    def __str__(self) -> str:
        if self.round_id:
            return f"Noark 5 extraction {self.pk} of round {self.round_id}"
        return f"Noark 5 extraction {self.pk} of office {self.office_id}, {self.year_from}–{self.year_to}"

    @property
    def is_range(self) -> bool:
        return self.round_id is None

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_stale(self) -> bool:
        if self.finished_at or self.abandoned_at:
            return False
        last_sign_of_life = self.heartbeat_at or self.started_at or self.requested_at
        return last_sign_of_life < timezone.now() - self.STALE_AFTER

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
