"""Reports on awards (R11, R11b).

Approving an award creates its ReportObligation (``hooks.py``) with one ReportLine per
awarded line of the decision: the letter is "the working tool for reporting" (seed 004),
so the report mirrors it one for one. The web form and the Excel workbook both write
the same lines. A submitted report clears R4 for the organisation's next application;
an approved one lets the office award it again.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.applications.models import BpaTrainingTypeChoices
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.lines import MAX_PERSONS, LineKind
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.domain.reporting import InnovationStatus, ReportState, UnusedChoice, report_state
from tilskudd.rounds.models import at_most


class InnovationStatusChoices(models.TextChoices):
    NOT_STARTED = InnovationStatus.NOT_STARTED.value, _("not started")
    ONGOING = InnovationStatus.ONGOING.value, _("ongoing")
    COMPLETED = InnovationStatus.COMPLETED.value, _("completed")
    STOPPED = InnovationStatus.STOPPED.value, _("stopped")


class UnusedChoiceChoices(models.TextChoices):
    CARRY_OVER = UnusedChoice.CARRY_OVER.value, _("apply to carry it over to next year")
    REPAY = UnusedChoice.REPAY.value, _("repay it")


class ReportStateChoices(models.TextChoices):
    NOT_YET_DUE = ReportState.NOT_YET_DUE.value, _("not yet due")
    DUE = ReportState.DUE.value, _("due")
    OVERDUE = ReportState.OVERDUE.value, _("overdue")
    SUBMITTED = ReportState.SUBMITTED.value, _("submitted")
    RETURNED = ReportState.RETURNED.value, _("returned for correction")
    APPROVED = ReportState.APPROVED.value, _("approved")
    WRITTEN_OFF = ReportState.WRITTEN_OFF.value, _("written off")


# R4's second step: a report submitted and not yet approved (nor written off).
AWAITING_APPROVAL = Q(submitted_at__isnull=False, approved_at__isnull=True, written_off_at__isnull=True)


class ReportObligationQuerySet(models.QuerySet):
    def unreported(self):
        """R4's first step: no report submitted (a returned report is not submitted), and not written off."""
        return self.filter(submitted_at__isnull=True, written_off_at__isnull=True)

    def awaiting_approval(self):
        """R4's second step: submitted, not yet approved."""
        return self.filter(AWAITING_APPROVAL)


class ReportObligation(models.Model):
    """The report an organisation owes on its award in a round; also the report itself (its lines below)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="report_obligations"
    )
    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="report_obligations")
    decision = models.OneToOneField(
        "decisions.Decision",
        on_delete=models.PROTECT,
        related_name="report_obligation",
        null=True,
        blank=True,
    )
    awarded = models.PositiveBigIntegerField(_("awarded (kr)"))
    due = models.DateTimeField(_("report due"))
    submitted_at = models.DateTimeField(_("report submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A report received on paper or by e-mail, registered by the office on the organisation's behalf.
    on_paper = models.BooleanField(_("received on paper or by e-mail"), default=False)
    approved_at = models.DateTimeField(_("report approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned for correction"), null=True, blank=True)
    return_reason = models.TextField(_("why it was returned"), blank=True)
    written_off_at = models.DateTimeField(_("written off"), null=True, blank=True)
    write_off_reason = models.TextField(_("why it was written off"), blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking, as the application's
    last_edited_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "round"], name="one_report_per_organisation_and_round"
            ),
            at_most("awarded", MAX_AMOUNT, "report_awarded_bounded"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(submitted_at__isnull=False),
                name="report_approved_only_when_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round}"

    @property
    def period_starts(self) -> datetime:
        """The reporting period opens when the award's year has ended."""
        return datetime(self.round.year + 1, 1, 1, tzinfo=OSLO)

    def state(self, now=None) -> ReportState:
        return report_state(
            now=now or timezone.now(),
            period_starts=self.period_starts,
            due=self.due,
            submitted=self.submitted_at is not None,
            approved=self.approved_at is not None,
            returned=self.returned_at is not None,
            written_off=self.written_off_at is not None,
        )

    def state_label(self, now=None) -> str:
        return str(ReportStateChoices(self.state(now).value).label)

    @property
    def is_editable(self) -> bool:
        """The organisation writes while the report is neither submitted nor written off."""
        return self.submitted_at is None and self.written_off_at is None

    @property
    def title(self) -> str:
        return str(_("Report on the grant from %(round)s") % {"round": self.round.title})


class ReportLine(models.Model):
    """One awarded line of the decision, and what the recipient reports on it."""

    obligation = models.ForeignKey(ReportObligation, on_delete=models.CASCADE, related_name="lines")
    decision_line = models.OneToOneField(
        "decisions.DecisionLine", on_delete=models.PROTECT, related_name="report_line"
    )
    rank = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    granted = models.PositiveBigIntegerField(_("granted (kr)"))
    education_type = models.CharField(_("education type"), max_length=30, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)

    # competence: per education type (the line's)
    completed = models.PositiveIntegerField(_("number who completed"), null=True, blank=True)
    in_education = models.PositiveIntegerField(_("number still in education"), null=True, blank=True)
    dropped_out = models.PositiveIntegerField(_("number who dropped out"), null=True, blank=True)
    # BPA
    bpa_training_type = models.CharField(
        _("training type"), max_length=30, choices=BpaTrainingTypeChoices.choices, blank=True
    )
    work_leaders_trained = models.PositiveIntegerField(_("work leaders trained"), null=True, blank=True)
    case_workers_trained = models.PositiveIntegerField(_("case workers trained"), null=True, blank=True)
    assistants_trained = models.PositiveIntegerField(_("assistants trained"), null=True, blank=True)
    # innovation
    innovation_status = models.CharField(
        _("status"), max_length=20, choices=InnovationStatusChoices.choices, blank=True
    )
    results = models.TextField(_("results"), blank=True)
    sharing = models.TextField(_("how the results were shared with other municipalities"), blank=True)
    # money
    used = models.PositiveBigIntegerField(_("amount used (kr)"), null=True, blank=True)
    unused = models.PositiveBigIntegerField(_("amount unused (kr)"), null=True, blank=True)
    unused_choice = models.CharField(
        _("unused money"), max_length=20, choices=UnusedChoiceChoices.choices, blank=True
    )
    carry_over_reason = models.TextField(_("why the money should be carried over"), blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            at_most("granted", MAX_AMOUNT, "report_line_granted_bounded"),
            at_most("used", MAX_AMOUNT, "report_line_used_bounded"),
            at_most("unused", MAX_AMOUNT, "report_line_unused_bounded"),
            at_most("completed", MAX_PERSONS, "report_line_completed_bounded"),
            at_most("in_education", MAX_PERSONS, "report_line_in_education_bounded"),
            at_most("dropped_out", MAX_PERSONS, "report_line_dropped_out_bounded"),
            at_most("work_leaders_trained", MAX_PERSONS, "report_line_work_leaders_bounded"),
            at_most("case_workers_trained", MAX_PERSONS, "report_line_case_workers_bounded"),
            at_most("assistants_trained", MAX_PERSONS, "report_line_assistants_bounded"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def line_kind(self) -> LineKind:
        return LineKind(self.kind)


REPORT_LINE_FIELDS = (
    "completed",
    "in_education",
    "dropped_out",
    "bpa_training_type",
    "work_leaders_trained",
    "case_workers_trained",
    "assistants_trained",
    "innovation_status",
    "results",
    "sharing",
    "used",
    "unused",
    "unused_choice",
    "carry_over_reason",
)


def report_attachment_path(instance, filename: str) -> str:
    return f"reports/{instance.obligation.round_id}/{instance.obligation_id}/{instance.stored_name}"


class ReportAttachment(models.Model):
    """The auditor's confirmation (revisoruttalelse) or the project account statement (R11)."""

    AUDITOR = "auditor"
    ACCOUNT = "account"

    obligation = models.ForeignKey(ReportObligation, on_delete=models.CASCADE, related_name="attachments")
    # AUDITOR | ACCOUNT: what the page asked for when it was uploaded (a record; any file counts)
    kind = models.CharField(max_length=10)
    file = models.FileField(upload_to=report_attachment_path)
    stored_name = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The organisation's auditor has confirmed that this file is their statement on the report (R11).
    # Bound to the file: a file removed takes its confirmation with it; a new file is unconfirmed.
    confirmed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by the auditor"),
    )
    confirmed_at = models.DateTimeField(_("confirmed by the auditor at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="report_attachment_confirmed_by_whom_and_when",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
