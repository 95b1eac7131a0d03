from datetime import timedelta

from django.db import models
from django.utils import timezone


def extraction_path(instance, filename: str) -> str:
    return f"extractions/{instance.round_id}/{instance.pk}/{filename}"


class Extraction(models.Model):
    """A round's Noark 5 extraction, made by the background worker; its progress for the page to poll."""

    STALE_AFTER = timedelta(minutes=5)

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="extractions")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=extraction_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Noark 5 extraction {self.pk} of round {self.round_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_stale(self) -> bool:
        if self.finished_at:
            return False
        last_sign_of_life = self.heartbeat_at or self.started_at or self.requested_at
        return last_sign_of_life < timezone.now() - self.STALE_AFTER

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
