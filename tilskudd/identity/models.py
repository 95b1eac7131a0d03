"""Who a person is at the identity provider: the stable identifier a login is matched by.

A person is matched to their user by the provider's issuer and the ``sub`` it gives this
service, never by name or e-mail. ID-porten's and Ansattporten's ``sub`` is pairwise: stable
for one person and one client (this service's integration), different for other services.
The national identity number (``pid``, fødselsnummer) is never stored.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Identity(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities", verbose_name=_("user")
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    # "idporten" or "ansattporten": which login made the link (the issuer says it too).
    provider = models.CharField(_("identity provider"), max_length=20)
    created_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("login identity")
        verbose_name_plural = _("login identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"
