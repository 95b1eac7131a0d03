"""Decisions (vedtak, R10): prepared by a case officer, approved by another person, then immutable."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.rounds.models import at_most


class Outcome(models.TextChoices):
    GRANTED = "granted", _("granted")
    PARTLY = "partly", _("partly granted")
    REFUSED = "refused", _("refused")


class Decision(models.Model):
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    granted = models.PositiveBigIntegerField(_("granted (kr)"))
    applied = models.PositiveBigIntegerField(_("applied for (kr)"))
    scenario_name = models.CharField(max_length=120)
    appeal_allowed = models.BooleanField(default=False)
    # The letter's appeal sentence (R10b), in the recipient's written language.
    appeal_text = models.TextField()
    # The same sentence in every language of the service, {"nb": ..., "nn": ..., "en": ...}:
    # the pages show the reader's language, the letter keeps appeal_text.
    appeal_texts = models.JSONField(default=dict, blank=True)
    prepared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The acceptance deadline the letter states (R10c), fixed when the decision is approved:
    # ``Round.acceptance_weeks`` after that day. Editing the round later does not move it.
    acceptance_due = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # four eyes: the preparer never approves their own decision
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")), name="four_eyes"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="approval_has_person_and_time",
            ),
            at_most("applied", MAX_AMOUNT, "decision_applied_bounded"),
            at_most("granted", MAX_AMOUNT, "decision_granted_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def appeal_text_in(self, language: str) -> str:
        return (self.appeal_texts or {}).get(language) or self.appeal_text


class DecisionLine(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("applications.Line", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    applied = models.PositiveBigIntegerField()
    granted = models.PositiveBigIntegerField()
    # For the recipient, in their written language: the text of the letter.
    explanation = models.TextField(blank=True)
    # The same explanation in every language of the service, {"nb": ..., "nn": ..., "en": ...}:
    # the pages show the reader's language.
    explanations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            at_most("applied", MAX_AMOUNT, "decision_line_applied_bounded"),
            at_most("granted", MAX_AMOUNT, "decision_line_granted_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.granted}"

    def explanation_in(self, language: str) -> str:
        return (self.explanations or {}).get(language) or self.explanation


def letter_path(instance, filename: str) -> str:
    return f"letters/{instance.decision.application.round_id}/{filename}"


class Letter(models.Model):
    """The stored award or refusal letter: made once, never regenerated differently."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    language = models.CharField(max_length=2)
    file = models.FileField(upload_to=letter_path)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The e-mail to the applicant: claimed by one worker (sending_since) before it is
    # sent, so two workers never both send; notified_at once it went out.
    sending_since = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"letter for decision {self.decision_id}"


class LetterBatch(models.Model):
    """A request to make the letters of a whole round in the background, with its progress.

    The worker beats (heartbeat_at) after every letter. A batch that is unfinished and
    has not beaten for STALE_AFTER has stopped (its worker was killed or never came):
    the page says so and offers to start again, which abandons it for a new batch.
    """

    STALE_AFTER = timedelta(minutes=2)

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="letter_batches")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"letters for round {self.round_id}: {self.done}/{self.total}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def is_stale(self) -> bool:
        if self.finished_at or self.abandoned_at:
            return False
        last_sign_of_life = self.heartbeat_at or self.started_at or self.requested_at
        return last_sign_of_life < timezone.now() - self.STALE_AFTER

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + self.failed) / self.total)


class Acceptance(models.Model):
    """The recipient confirms the award and its bank account number before payment (R10c)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="acceptance")
    account_number = models.CharField(_("bank account number"), max_length=11)
    accepted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"acceptance of decision {self.decision_id}"


class AcceptanceExtension(models.Model):
    """A new acceptance deadline for one decision, granted by the office with a reason (R10c).

    The letter states the first deadline (``Round.acceptance_weeks`` after its date) and is
    never changed; this row is the deadline in force after it. Granting again replaces it.
    """

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="acceptance_extension")
    until = models.DateField(_("new acceptance deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"acceptance of decision {self.decision_id} until {self.until:%Y-%m-%d}"


class Payment(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="payment_amount_bounded"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.paid_on}"


class Reminder(models.Model):
    """A reminder e-mail that was sent; the unique key makes the cron command idempotent."""

    kind = models.CharField(max_length=30)  # "application_deadline" | "report_deadline"
    key = models.CharField(max_length=100)  # what it was about, e.g. "round:7" or "obligation:12"
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "organisation"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.organisation_id}"
