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
