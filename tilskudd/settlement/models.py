"""The money after the award (R12–R14): the ledger of each awarded line, carry-overs and repayment claims.

The granted amounts are the approved decision's lines (immutable). Everything that
happens to the money afterwards is an ``Entry`` moving an amount between the accounts
of ``tilskudd.domain.ledger``; balances are derived from the entries, never typed.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.ledger import Account
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.rounds.models import at_most


class AccountChoices(models.TextChoices):
    UNSETTLED = Account.UNSETTLED.value, _("not yet accounted for")
    USED = Account.USED.value, _("used")
    CARRIED = Account.CARRIED.value, _("carried over")
    OWED = Account.OWED.value, _("owed back")
    REPAID = Account.REPAID.value, _("repaid")
    WRITTEN_OFF = Account.WRITTEN_OFF.value, _("written off")


class CarryOverState(models.TextChoices):
    REQUESTED = "requested", _("awaiting assessment")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class CarryOver(models.Model):
    """Unused money of one awarded line carried over one year (R12).

    The first carry-over of an amount (``generation`` 1) is approved by rule when the office
    approves the report that asks for it, unless the office refuses it with a reason. A further
    carry-over of the same money (``parent`` set, ``generation`` 2 and up) waits for an
    individual assessment of the reason for the delay and the likelihood of completion (seed 004).
    """

    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="carry_overs")
    line = models.ForeignKey("decisions.DecisionLine", on_delete=models.PROTECT, related_name="carry_overs")
    parent = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="further"
    )
    generation = models.PositiveSmallIntegerField(default=1)
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    from_year = models.PositiveSmallIntegerField()
    to_year = models.PositiveSmallIntegerField(_("to be used in"))
    state = models.CharField(max_length=10, choices=CarryOverState.choices)
    by_rule = models.BooleanField(default=False)
    request_reason = models.TextField(_("why the money should be carried over"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The individual assessment of a further carry-over (seed 004): both recorded by the office.
    delay_assessment = models.TextField(_("assessment of the reason for the delay"), blank=True)
    likelihood_assessment = models.TextField(
        _("assessment of the likelihood that the activity is completed"), blank=True
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # The recipient's account of the carried money once its year is over.
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["from_year", "line__rank", "pk"]
        # The round page reads the office's "overførte midler" into a year by year and state: without
        # this the database walks every award of the office's past rounds to find the few (P2).
        indexes = [models.Index(fields=["to_year", "state"], name="carry_over_to_year_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="carry_over_amount_bounded"
            ),
            models.CheckConstraint(
                condition=Q(to_year=models.F("from_year") + 1), name="carry_over_one_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} kr {self.from_year}→{self.to_year}"

    @property
    def is_further(self) -> bool:
        return self.generation > 1

    @property
    def is_open(self) -> bool:
        """Approved and not yet accounted for: the money waits in the carried account."""
        return self.state == CarryOverState.APPROVED and self.settled_at is None

    @property
    def is_refusable(self) -> bool:
        """A first carry-over approved by rule may be refused by the office; a further one is decided by
        its individual assessment (``assess_further_carry_over``), never by a bare refusal."""
        return self.is_open and not self.is_further

    def can_be_accounted_for(self, today) -> bool:
        """The recipient accounts for carried money once the year it was carried to has begun."""
        return self.is_open and today.year >= self.to_year


class RepaymentClaim(models.Model):
    """A demand to pay back what is owed on an award (R14), with its PDF letter."""

    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="claims")
    amount = models.PositiveBigIntegerField(_("amount (kr)"))
    account_number = models.CharField(_("pay to account"), max_length=11)
    reference = models.CharField(_("KID"), max_length=25)
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    letter = models.FileField(upload_to="claims/%Y/")
    sha256 = models.CharField(max_length=64)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_AMOUNT), name="claim_amount_bounded"
            )
        ]

    def __str__(self) -> str:
        return f"claim {self.reference}: {self.amount} kr"


class Entry(models.Model):
    """One movement of money on an awarded line (``domain.ledger.Movement``), kept for ever."""

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    line = models.ForeignKey(
        "decisions.DecisionLine", on_delete=models.PROTECT, related_name="ledger_entries"
    )
    to_line = models.ForeignKey(
        "decisions.DecisionLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=12, choices=AccountChoices.choices)
    target = models.CharField(max_length=12, choices=AccountChoices.choices)
    amount = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    carry_over = models.ForeignKey(
        CarryOver, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    claim = models.ForeignKey(
        RepaymentClaim, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)  # a repayment's date

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "entries"
        constraints = [at_most("amount", MAX_AMOUNT, "ledger_entry_amount_bounded")]
        indexes = [models.Index(fields=["decision", "at"])]

    def __str__(self) -> str:
        return f"{self.amount} kr {self.source}→{self.target}"


class RoundTerms(models.Model):
    """The round's settlement terms: a share of each award held back until its final report is approved.

    Some state grant schemes do this; off (0 %) by default. Set before the round's first decision
    is approved, since the award letters state it.
    """

    round = models.OneToOneField("rounds.Round", on_delete=models.CASCADE, related_name="settlement_terms")
    withheld_percent = models.PositiveSmallIntegerField(
        _("share held back until the final report (%)"), default=0
    )
    updated_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [at_most("withheld_percent", 50, "withheld_percent_at_most_half")]

    def __str__(self) -> str:
        return f"{self.round}: {self.withheld_percent} %"
