"""People and their roles (SPEC "Parties and roles").

A person has one role. Applicants and signers belong to one organisation; case
officers and approvers to one office; national readers and administrators to
neither. A database constraint holds that shape, so no code path can make a case
officer without an office.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    SIGNER = "signer", _("signer (leader with budget responsibility)")
    CASE_OFFICER = "case_officer", _("case officer")
    APPROVER = "approver", _("approver")
    NATIONAL = "national", _("national reader (Norwegian Directorate of Health)")
    ADMIN = "admin", _("administrator")


ORGANISATION_ROLES = (Role.APPLICANT, Role.SIGNER)
OFFICE_ROLES = (Role.CASE_OFFICER, Role.APPROVER)


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    office = models.ForeignKey(
        "organisations.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Shown in letters the person prepares.")
    )
    # Not a field: accounts.strong.StrongLoginMiddleware sets it per request; any other user object is not strong.
    strong_login = False

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="role_matches_affiliation",
                condition=(
                    Q(role__in=ORGANISATION_ROLES, organisation__isnull=False, office__isnull=True)
                    | Q(role__in=OFFICE_ROLES, office__isnull=False, organisation__isnull=True)
                    | Q(role__in=(Role.NATIONAL, Role.ADMIN), office__isnull=True, organisation__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_applicant_side(self) -> bool:
        return self.role in ORGANISATION_ROLES

    @property
    def is_office_side(self) -> bool:
        return self.role in OFFICE_ROLES

    @property
    def can_submit(self) -> bool:
        """Only a signer submits (R6)."""
        return self.role == Role.SIGNER

    def works_at(self, office_id: int) -> bool:
        """Case officer or approver at this office: the only people who act on its rounds."""
        return self.is_office_side and self.office_id == office_id

    def signs_for(self, organisation_id: int) -> bool:
        """The leader with budget responsibility at this organisation (submits, accepts, keeps its details)."""
        return self.role == Role.SIGNER and self.organisation_id == organisation_id


class ThrottleEvent(models.Model):
    """One counted event for a throttle: a failed login, a lock, a password reset request.

    ``key`` is a keyed hash of the username, address or e-mail address, never the value
    itself, so the table holds nobody's e-mail address. See ``tilskudd.accounts.throttle``.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_lookup")]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
