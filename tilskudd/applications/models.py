"""The application (søknad): one per organisation per round (R6), with ranked lines.

Drafts may be incomplete. Submission freezes the application: the submitted state
is kept as a snapshot and the service functions refuse every change afterwards.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tilskudd.applications.hooks import ShownStatus, shown_statuses
from tilskudd.domain.lines import (
    MAX_EMPLOYEES,
    MAX_PERSONS,
    BpaTrainingType,
    EducationType,
    LineKind,
    TargetGroup,
    bpa_amount,
)
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.rounds.models import CriterionChoices, LineKindChoices, ThemeChoices, at_most  # noqa: F401


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class EducationTypeChoices(models.TextChoices):
    UPPER_SECONDARY = (
        EducationType.UPPER_SECONDARY.value,
        _("upper secondary / trade certificate (e.g. health worker), incl. staff without formal training"),
    )
    VOCATIONAL = EducationType.VOCATIONAL.value, _("vocational college (fagskole)")
    BACHELOR = EducationType.BACHELOR.value, _("bachelor in health and social care")
    FURTHER = EducationType.FURTHER.value, _("further education and master")
    ABC = EducationType.ABC.value, _("ABC training")
    CONTINUING = EducationType.CONTINUING.value, _("continuing education, in-house training, courses")
    OTHER = EducationType.OTHER.value, _("other competence measures")


class TargetGroupChoices(models.TextChoices):
    LEADERS = TargetGroup.LEADERS.value, _("leaders")
    EMPLOYEES = TargetGroup.EMPLOYEES.value, _("employees")
    RECRUITS = TargetGroup.RECRUITS.value, _("people who can be recruited to health and care services")
    OTHER_AGENCIES = (
        TargetGroup.OTHER_AGENCIES.value,
        _("employees of other agencies (NAV, child welfare, kindergartens, schools)"),
    )


class BpaTrainingTypeChoices(models.TextChoices):
    WORK_LEADERS = BpaTrainingType.WORK_LEADERS.value, _("users and work leaders")
    CASE_WORKERS = BpaTrainingType.CASE_WORKERS.value, _("the municipality's case workers")
    ASSISTANTS = BpaTrainingType.ASSISTANTS.value, _("assistants")


class ApplicationQuerySet(models.QuerySet):
    def readable_by_office(self):
        """Office staff read an application once it is submitted, or a draft its organisation chose to share."""
        return self.filter(models.Q(status=Status.SUBMITTED) | models.Q(shared_with_office_at__isnull=False))

    def unshared_drafts(self):
        return self.filter(status=Status.DRAFT, shared_with_office_at__isnull=True)


class Application(models.Model):
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    leader_name = models.CharField(_("leader with budget responsibility"), max_length=200, blank=True)
    leader_title = models.CharField(_("leader's title"), max_length=200, blank=True)
    partners = models.TextField(
        _("collaborating partners"),
        blank=True,
        help_text=_(
            "Other municipalities, health trusts, business, education and research, voluntary sector."
        ),
    )
    version = models.PositiveIntegerField(default=1)  # optimistic locking: bumped on every save
    last_edited_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("submitted content"), null=True, blank=True, editable=False)
    # Office staff do not read a draft unless the organisation shares it (SPEC "Parties and roles").
    shared_with_office_at = models.DateTimeField(_("draft shared with the office"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_application_per_round"),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(submitted_at__isnull=False, snapshot__isnull=False),
                name="submitted_has_time_and_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    @property
    def shown_status(self):
        """The status to show: the approved decision's outcome once there is one (a hook), else the status."""
        if not hasattr(self, "_shown_status"):
            self._shown_status = shown_statuses([self]).get(self.pk)
        return self._shown_status or ShownStatus(
            self.get_status_display(), "warning" if self.is_draft else "success"
        )

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def case_number(self) -> str:
        return f"{self.round.year}/{self.pk:05d}"


class Line(models.Model):
    """One measure applied for. One table for the three kinds; the fields of the other kinds stay empty."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=LineKindChoices.choices)
    rank = models.PositiveIntegerField(_("priority"))
    title = models.CharField(pgettext_lazy("title of a measure", "title"), max_length=200, blank=True)
    amount_applied = models.PositiveBigIntegerField(_("amount applied for (kr)"), null=True, blank=True)

    # competence measure
    education_type = models.CharField(
        _("education type"), max_length=30, choices=EducationTypeChoices.choices, blank=True
    )
    subject_field = models.CharField(_("subject field"), max_length=200, blank=True)
    mental_health = models.BooleanField(_("mental health and substance abuse"), default=False)
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroupChoices.choices, blank=True
    )
    target_agency = models.CharField(_("agency or service"), max_length=200, blank=True)
    employees_count = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)

    # BPA training
    bpa_training_type = models.CharField(
        _("training type"), max_length=30, choices=BpaTrainingTypeChoices.choices, blank=True
    )
    amount_per_person = models.PositiveBigIntegerField(_("amount per person (kr)"), null=True, blank=True)
    persons_count = models.PositiveIntegerField(_("number of persons"), null=True, blank=True)
    persons_untrained = models.PositiveIntegerField(_("of whom not trained before"), null=True, blank=True)

    # innovation project
    purpose = models.TextField(_("purpose"), blank=True)
    description = models.TextField(_("project description"), blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    own_financing = models.PositiveBigIntegerField(_("own financing (kr)"), null=True, blank=True)
    collaborators = models.TextField(_("collaborators"), blank=True)
    dissemination = models.TextField(_("how the project will be made known"), blank=True)
    criteria_answers = models.JSONField(_("answers to the assessment criteria"), default=dict, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name = _("line")
        verbose_name_plural = _("lines")
        constraints = [
            at_most("amount_applied", MAX_AMOUNT, "line_amount_applied_bounded"),
            at_most("amount_per_person", MAX_AMOUNT, "line_amount_per_person_bounded"),
            at_most("own_financing", MAX_AMOUNT, "line_own_financing_bounded"),
            at_most("employees_count", MAX_EMPLOYEES, "line_employees_count_bounded"),
            at_most("persons_count", MAX_PERSONS, "line_persons_count_bounded"),
            at_most("persons_untrained", MAX_PERSONS, "line_persons_untrained_bounded"),
            # BPA: per person × persons is the amount applied for, so it has the same ceiling.
            models.CheckConstraint(
                condition=Q(amount_per_person__isnull=True)
                | Q(persons_count__isnull=True)
                | Q(LessThanOrEqual(F("amount_per_person") * F("persons_count"), MAX_AMOUNT)),
                name="line_bpa_product_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def amount(self) -> int:
        """The amount applied for; for BPA it is per person × persons."""
        if self.kind == LineKind.BPA:
            return bpa_amount(self.amount_per_person, self.persons_count)
        return self.amount_applied or 0

    @property
    def theme_labels(self) -> list[str]:
        return [str(ThemeChoices(t).label) for t in self.themes or [] if t in ThemeChoices.values]

    @property
    def criteria_with_labels(self) -> list[tuple[str, str]]:
        answers = self.criteria_answers or {}
        return [(str(c.label), answers.get(c.value, "")) for c in CriterionChoices]

    @property
    def is_empty(self) -> bool:
        """Nothing typed into the line yet: it was only just added."""
        skip = {"id", "application", "kind", "rank", "criteria_answers"}
        for f in self._meta.concrete_fields:
            if f.name not in skip and getattr(self, f.attname) not in (None, "", [], {}, False):
                return False
        answered = any(str(answer).strip() for answer in (self.criteria_answers or {}).values())
        return not answered and not self.budget_items.exists()

    def values(self) -> dict:
        return {f.name: getattr(self, f.attname) for f in self._meta.concrete_fields} | {
            "amount": self.amount
        }


class BudgetItem(models.Model):
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="budget_items")
    description = models.CharField(_("cost item"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (kr)"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__lte=MAX_AMOUNT), name="budget_item_amount_bounded")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


def attachment_path(instance, filename: str) -> str:
    return f"attachments/{instance.application.round_id}/{instance.application_id}/{instance.stored_name}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    stored_name = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
