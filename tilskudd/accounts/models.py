"""People and their roles (SPEC "Parties and roles").

A person may hold roles in several places over time: each ``Membership`` is one role at
one organisation or office (or, for the national reader and the administrator, at
neither) with a validity period. The roles in force today at the place the person acts
for decide what they may do (``tilskudd.accounts.roles`` applies them on every request).

``User.role``, ``organisation`` and ``office`` hold where the person acts and their
strongest role there. They are kept by the membership services and corrected on every
request from the memberships in force, so a role that ends takes effect at once. A
database constraint holds their shape, so no code path can make a case officer without
an office.
"""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.text import person_name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    SIGNER = "signer", _("signer (leader with budget responsibility)")
    ORG_ADMIN = "org_admin", _("organisation administrator")
    AUDITOR = "auditor", _("auditor")
    CASE_OFFICER = "case_officer", _("case officer")
    APPROVER = "approver", _("approver")
    OFFICE_ADMIN = "office_admin", _("office administrator")
    NATIONAL = "national", _("national reader (Norwegian Directorate of Health)")
    ADMIN = "admin", _("administrator")
    NONE = "none", _("no role in force")


# Who drafts for an organisation (the signer may everything a writer may).
APPLICANT_ROLES = (Role.APPLICANT, Role.SIGNER)
# Every role held at an organisation.
ORGANISATION_ROLES = (Role.APPLICANT, Role.SIGNER, Role.ORG_ADMIN, Role.AUDITOR)
# Who does the office's case work.
OFFICE_ROLES = (Role.CASE_OFFICER, Role.APPROVER)
# Every role held at an office.
OFFICE_STAFF_ROLES = (Role.CASE_OFFICER, Role.APPROVER, Role.OFFICE_ADMIN)
# Roles held at neither.
PLACELESS_ROLES = (Role.NATIONAL, Role.ADMIN)

# The strongest role at a place is the person's ``role`` there (an approver who is also the
# office's administrator acts as approver; a signer who also administers as signer).
PRECEDENCE = (
    Role.ADMIN,
    Role.NATIONAL,
    Role.APPROVER,
    Role.CASE_OFFICER,
    Role.OFFICE_ADMIN,
    Role.SIGNER,
    Role.APPLICANT,
    Role.ORG_ADMIN,
    Role.AUDITOR,
)


def _shape(prefix: str = "") -> Q:
    """role at an organisation, at an office, or at neither (the constraint on users and memberships)."""
    org, office = f"{prefix}organisation__isnull", f"{prefix}office__isnull"
    return (
        Q(role__in=ORGANISATION_ROLES, **{org: False, office: True})
        | Q(role__in=OFFICE_STAFF_ROLES, **{office: False, org: True})
        | Q(role__in=(*PLACELESS_ROLES, Role.NONE), **{office: True, org: True})
    )


class UserManager(BaseUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``createsuperuser`` on a new installation makes the system administrator (a role in force):
        the Django admin opens to that role, not to the superuser flag."""
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    objects = UserManager()
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.NONE)
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
        constraints = [models.CheckConstraint(name="role_matches_affiliation", condition=_shape())]

    # Every role in force at the place the person acts for (set per request by
    # ``tilskudd.accounts.roles.apply``; for a user read straight from the database, the one
    # role in its columns).
    _roles: frozenset | None = None
    # The places the person may act for today, for the switcher in the header (set with the roles).
    places: tuple = ()

    def __str__(self) -> str:
        return person_name(self.first_name, self.last_name, self.username)

    @property
    def roles(self) -> frozenset:
        return self._roles if self._roles is not None else frozenset({self.role})

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_applicant_side(self) -> bool:
        return self.role in APPLICANT_ROLES

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

    def administers_organisation(self, organisation_id: int) -> bool:
        """Manages the organisation's people and details (tilgangsstyrer)."""
        return self.has_role(Role.ORG_ADMIN) and self.organisation_id == organisation_id

    def administers_office(self, office_id: int) -> bool:
        """Manages the office's staff."""
        return self.has_role(Role.OFFICE_ADMIN) and self.office_id == office_id

    def audits_for(self, organisation_id: int) -> bool:
        """The organisation's auditor: its reports' auditor's statements, nothing else (R11)."""
        return self.has_role(Role.AUDITOR) and self.organisation_id == organisation_id


class MembershipQuerySet(models.QuerySet):
    def in_force(self, day):
        """Memberships in force on ``day``: not ended, started, and the last day not passed (the one
        place this rule is written; ``Membership.in_force_on`` is the same for one row in memory)."""
        return self.filter(ended_at__isnull=True).exclude(valid_from__gt=day).exclude(valid_until__lt=day)


class Membership(models.Model):
    """One role at one place for a period: a person's right to act, as their administrator gave it.

    ``valid_from`` empty: since the account was made; ``valid_until`` empty: until ended. Both
    are whole days in Europe/Oslo, the last day included. Ending a role sets ``valid_until``
    (never deletes the row), so who could do what on any day stays answerable.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    office = models.ForeignKey(
        "organisations.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("office"),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    # Ended at once (not on a planned last day): from this moment the role is not in force.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ended by")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(name="membership_shape", condition=_shape() & ~Q(role=Role.NONE)),
            models.CheckConstraint(
                name="membership_period",
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="membership_in_force")]

    def __str__(self) -> str:
        place = self.organisation or self.office
        return f"{self.get_role_display()}" + (f", {place}" if place else "")

    def in_force_on(self, day) -> bool:
        return (
            self.ended_at is None
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )

    @property
    def place(self):
        return self.organisation or self.office


def _invitation_shape() -> Q:
    """An invitation is to a role held at an organisation or at an office, never to a placeless one."""
    return Q(role__in=ORGANISATION_ROLES, organisation__isnull=False, office__isnull=True) | Q(
        role__in=OFFICE_STAFF_ROLES, office__isnull=False, organisation__isnull=True
    )


class Invitation(models.Model):
    """An administrator's invitation, sent by e-mail, to take a role at their organisation or office.

    The link carries a random token; only its SHA-256 is stored (``token_hash``), made by the
    worker that sends the e-mail, so neither the database nor the task queue holds a usable
    link. Whoever logs in with the link and accepts it gets the role (an ID-porten account
    has no e-mail address to compare with): the address is where the link was sent, and
    both are in the case log. Accepting grants the role as the inviter, who must still be
    allowed to give it then. See ``tilskudd.accounts.invitations``.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    office = models.ForeignKey(
        "organisations.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("office"),
    )
    email = models.EmailField(_("e-mail address"))
    valid_until = models.DateField(_("last day"), null=True, blank=True)
    # SHA-256 of the link's token, hex; empty until the e-mail has been sent.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    invited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("accepted by")
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("role")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="invitation_shape", condition=_invitation_shape()),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="invitation_token_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "accepted_at", "withdrawn_at"], name="invitation_open_org"),
            models.Index(fields=["office", "accepted_at", "withdrawn_at"], name="invitation_open_office"),
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_role_display()}, {self.place}"

    @property
    def place(self):
        return self.organisation or self.office

    @property
    def place_name(self) -> str:
        """As letters and pages name it ("Trondheim kommune")."""
        place = self.place
        return getattr(place, "display_name", None) or str(place)

    def is_open(self, now) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and now < self.expires_at


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
