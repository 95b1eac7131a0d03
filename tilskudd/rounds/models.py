"""The round (tilskuddsrunde): one per office per year, configured as data (R1, R2)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.lines import DEFAULT_ALLOWED_LINE_KINDS, Criterion, LineKind, Theme
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.domain.reporting import DEFAULT_AUDIT_THRESHOLD
from tilskudd.rounds.stamps import new_stamp


def at_most(field: str, limit: int, name: str) -> models.CheckConstraint:
    """A database guarantee that ``field`` is empty or at most ``limit``.

    Every stored amount and count has one, so no sum of them can overflow a 64-bit integer (issue 9).
    """
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lte": limit}), name=name
    )


YEAR_TAKEN = "round_year_taken"  # the one-round-per-office-and-year constraint's error code


def default_allowed_line_kinds() -> dict:
    return {kind: list(kinds) for kind, kinds in DEFAULT_ALLOWED_LINE_KINDS.items()}


def default_criterion_weights() -> dict:
    return {criterion.value: 1 for criterion in Criterion}


class LineKindChoices(models.TextChoices):
    COMPETENCE = LineKind.COMPETENCE.value, _("competence measure")
    BPA = LineKind.BPA.value, _("BPA training")
    INNOVATION = LineKind.INNOVATION.value, _("innovation project")


class ThemeChoices(models.TextChoices):
    PREVENTION = Theme.PREVENTION.value, _("prevention, early intervention and self-management")
    LEISURE = Theme.LEISURE.value, _("leisure activity with assistance")
    ACTIVITY_CULTURE = Theme.ACTIVITY_CULTURE.value, _("activity and cultural experiences")
    NUTRITION = Theme.NUTRITION.value, _("nutrition")
    MEDICATION = Theme.MEDICATION.value, _("medication management")
    REHABILITATION = Theme.REHABILITATION.value, _("rehabilitation and habilitation")
    RELATIVES_VOLUNTEERS = (
        Theme.RELATIVES_VOLUNTEERS.value,
        _("interplay with relatives and volunteers, also in dementia care"),
    )
    RESPITE = Theme.RESPITE.value, _("flexible respite for relatives")
    WELFARE_TECHNOLOGY = Theme.WELFARE_TECHNOLOGY.value, _("welfare technology")
    OTHER_NOVEL = Theme.OTHER_NOVEL.value, _("other novel solutions of great importance to users")


class CriterionChoices(models.TextChoices):
    NEEDS = Criterion.NEEDS.value, _("Needs and challenges")
    GOALS = Criterion.GOALS.value, _("Goals and target groups")
    ORGANISATION = Criterion.ORGANISATION.value, _("Organisation and partners")
    GAINS = Criterion.GAINS.value, _("Expected gains and effect on practice")
    ANCHORING = Criterion.ANCHORING.value, _("Anchoring with the leader holding the budget")
    INVOLVEMENT = Criterion.INVOLVEMENT.value, _("User and relative involvement")
    IMPLEMENTATION = Criterion.IMPLEMENTATION.value, _("Implementation in ordinary operation")
    METHOD = Criterion.METHOD.value, _("Method")
    NOVELTY = Criterion.NOVELTY.value, _("Novelty and transfer value to other municipalities")
    EVALUATION = Criterion.EVALUATION.value, _("Plan for evaluation and documentation")


class RoundQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Round(models.Model):
    office = models.ForeignKey(
        "organisations.Office", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    application_deadline = models.DateTimeField(_("application deadline"))
    report_deadline = models.DateTimeField(
        _("reporting deadline for earlier awards"),
        null=True,
        blank=True,
        help_text=_("Organisations report on the previous year's awards by this date."),
    )
    report_audit_threshold = models.PositiveBigIntegerField(
        _("auditor's confirmation from (kr)"),
        default=DEFAULT_AUDIT_THRESHOLD,
        help_text=_(
            "A recipient whose combined grant in the round is at or above this amount attaches an auditor's "
            "confirmation to its report; below it, a project account statement (R11)."
        ),
    )
    change_window_opens = models.DateField(_("change requests from"), null=True, blank=True)
    change_window_closes = models.DateField(_("change requests until"), null=True, blank=True)
    fresh_funds = models.PositiveBigIntegerField(_("fresh funds (kr)"), default=0)
    carried_over_funds = models.PositiveBigIntegerField(_("carried-over funds (kr)"), default=0)
    call_text = models.TextField(_("call text"), blank=True)
    allowed_line_kinds = models.JSONField(_("who may apply for what"), default=default_allowed_line_kinds)
    line_limits = models.JSONField(_("limits per applicant"), default=dict, blank=True)
    score_scale_max = models.PositiveSmallIntegerField(_("top of the scoring scale"), default=5)
    criterion_weights = models.JSONField(_("criterion weights"), default=default_criterion_weights)
    appeal_allowed_kinds = models.JSONField(
        _("applicant kinds that may appeal"),
        default=list,
        blank=True,
        help_text=_("Default: none. Grants to kommuner and fylkeskommuner are not individual decisions."),
    )
    # The letter's budget and legal basis, its acceptance deadline and its copies (issue 10).
    budget_chapter = models.PositiveSmallIntegerField(
        _("budget chapter"),
        default=761,
        validators=[MinValueValidator(1), MaxValueValidator(9999)],
        help_text=_("The chapter of the state budget the grant is paid from."),
    )
    budget_post = models.PositiveSmallIntegerField(
        _("budget post"), default=68, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    acceptance_weeks = models.PositiveSmallIntegerField(
        _("weeks to accept an award"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("The letter asks for acceptance within this many weeks of its date."),
    )
    copy_to = models.CharField(
        _("copy of the letters to"),
        max_length=300,
        blank=True,
        default="Helsedirektoratet",
        help_text=_("Separate several recipients with commas."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Fingerprints of what the round's derived views read (tilskudd.rounds.versions): a new random
    # value, in the same transaction, whenever one of their inputs changes. ``applications_version``
    # covers what the office's spreadsheet reads (the applications, lines, organisations, the round);
    # ``inputs_version`` all that plus what the allocation proposal reads (assessments, kommune
    # records, scenarios, overrides, earmarks). A cached proposal or file is kept under them.
    inputs_version = models.BigIntegerField(default=new_stamp, editable=False)
    applications_version = models.BigIntegerField(default=new_stamp, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "office__name"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"],
                name="one_round_per_office_and_year",
                violation_error_message=_("Your office already has a round for this year."),
                violation_error_code=YEAR_TAKEN,
            ),
            at_most("fresh_funds", MAX_AMOUNT, "round_fresh_funds_bounded"),
            at_most("carried_over_funds", MAX_AMOUNT, "round_carried_over_funds_bounded"),
            at_most("report_audit_threshold", MAX_AMOUNT, "round_report_audit_threshold_bounded"),
            models.CheckConstraint(
                condition=Q(fresh_funds__lte=MAX_AMOUNT - F("carried_over_funds")),
                name="round_total_funds_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        """A full save is a change to the round: both fingerprints move, so an instance loaded before
        another change can never write an older fingerprint back (which would bring back what was
        cached under it)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"inputs_version", "applications_version"} & set(update_fields):
            self.inputs_version = self.applications_version = new_stamp()
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        """As Django's, with the one-round-per-year message next to the year, where the office typed it."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            for item in errors.pop(NON_FIELD_ERRORS, []):
                errors.setdefault("year" if item.code == YEAR_TAKEN else NON_FIELD_ERRORS, []).append(item)
            raise ValidationError(errors) from None

    @property
    def title(self) -> str:
        return f"{self.office.short_name} {self.year}"

    @property
    def total_funds(self) -> int:
        return self.fresh_funds + self.carried_over_funds

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def copy_recipients(self) -> list[str]:
        return [name.strip() for name in self.copy_to.split(",") if name.strip()]

    def allows(self, applicant_kind: str, line_kind: str) -> bool:
        return line_kind in self.allowed_line_kinds.get(applicant_kind, [])

    def allowed_kinds_for(self, applicant_kind: str) -> list[str]:
        return [k for k in LineKind if k in self.allowed_line_kinds.get(applicant_kind, [])]


class Earmark(models.Model):
    """An earmarked pool (øremerking): per-round configuration, never code."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="earmarks")
    name = models.CharField(_("name"), max_length=120)
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    line_kinds = models.JSONField(_("line kinds that draw on it"), default=list, blank=True)
    themes = models.JSONField(_("themes that draw on it"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("earmarked pool")
        verbose_name_plural = _("earmarked pools")
        constraints = [at_most("amount", MAX_AMOUNT, "earmark_amount_bounded")]

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """A later deadline for one organisation in one round, granted by a case officer (R5)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    until = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_extension_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} until {self.until:%Y-%m-%d %H:%M}"
