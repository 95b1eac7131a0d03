"""Personal access tokens: how a machine (a kommune's case system, the office's own tools) acts as a person.

A token is shown once, when it is made, and only its SHA-256 is stored: a stolen database gives
nobody a working token. A token is ``kkit_<prefix>_<secret>``: the prefix (not secret) finds the
row, the hash of the whole token is compared in constant time, the 32-byte secret makes guessing
pointless. It acts exactly as its person, with their role and organisation or office, within its
scope (read, or read and write) and until it expires or is revoked.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)  # SHA-256 of the whole token, hex
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE
