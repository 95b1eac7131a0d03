from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.caselog import kinds


class Entry(models.Model):
    """One line of the case log: who did what to which case, when, what changed and why (SPEC "Record keeping").

    The subject is the thing acted on (an application, a round, an organisation).
    ``round_id`` and ``organisation_id`` are copied from the subject when it has them, so
    a round's log and an organisation's log are one indexed query each, whatever the subject.
    Entries are only ever added.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    round_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    detail = models.TextField(blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(default=list, blank=True)
    visible_to_applicant = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "at"], name="caselog_subject_at")]
        verbose_name = _("case log entry")
        verbose_name_plural = _("case log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def label(self) -> str:
        return kinds.label(self.kind)
