"""One row per login: where a person is logged in, so they can see it and end it (issue 16).

The row points at its Django session by a keyed hash of the session key, never the key
itself: a copy of this table lets nobody into anybody's session. Rows are bookkeeping, like
Django's own session rows: made when someone logs in, removed when they log out, when the
login ends by inactivity or age, when the person ends it, and by ``manage.py clear_sessions``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

# How the person logged in, as ``request.session["login_method"]`` names it, and how to show it.
METHODS = {
    "password": _("password"),
    "idporten": "ID-porten",
    "ansattporten": "Ansattporten",
}


class LoginSession(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="logins", verbose_name=_("user")
    )
    key_digest = models.CharField(max_length=64, unique=True)  # keyed SHA-256 of the session key, hex
    started_at = models.DateTimeField(_("logged in"))
    # Updated at most once a minute (tilskudd.logins.tracking.TOUCH_EVERY), never on every request.
    last_seen_at = models.DateTimeField(_("last active"))
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    browser = models.CharField(max_length=40, blank=True)
    system = models.CharField(max_length=40, blank=True)
    method = models.CharField(max_length=40, default="password")

    class Meta:
        ordering = ["-last_seen_at", "-pk"]
        indexes = [models.Index(fields=["user", "last_seen_at"], name="login_user_seen")]
        verbose_name = _("login")
        verbose_name_plural = _("logins")

    def __str__(self) -> str:
        return f"{self.user_id} {self.device} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        """ "Chrome på Android", "Firefox", "Windows", or "ukjent enhet"."""
        if self.browser and self.system:
            return pgettext("browser on operating system", "%(browser)s on %(system)s") % {
                "browser": self.browser,
                "system": self.system,
            }
        return self.browser or self.system or str(_("unknown device"))

    @property
    def method_label(self) -> str:
        key = self.method.lower().replace("-", "").replace("_", "").replace(" ", "")
        return str(METHODS.get(key, self.method))
