"""Change requests (endringssøknad, R13) and the amendments they become.

The signer of an awarded organisation asks, in the change window, to move unsettled money
from one awarded line to another, to change a line's content, or to extend its period. The
office decides; where money moves, a case officer prepares and an approver approves (four
eyes, as for decisions). An approved request is recorded as an ``Amendment`` against the
decision with its letter (endringsvedtak); the decision and its lines are never edited:
the money moves as a ledger entry (``settlement.Entry`` with ``to_line``), and the amended
content is read from the approved requests.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.money import MAX_AMOUNT


class ChangeKind(models.TextChoices):
    MOVE = "move", _("move money between lines")
    CONTENT = "content", _("change the content of a line")
    PERIOD = "period", _("extend the period")


class ChangeState(models.TextChoices):
    REQUESTED = "requested", _("awaiting the office")
    PREPARED = "prepared", _("prepared, awaiting approval")
    APPROVED = "approved", _("approved")
    PARTLY = "partly", _("partly approved")
    REFUSED = "refused", _("refused")


DECIDED = (ChangeState.APPROVED, ChangeState.PARTLY, ChangeState.REFUSED)
APPROVED = (ChangeState.APPROVED, ChangeState.PARTLY)


class ChangeWindow(models.Model):
    """A change window for one organisation in one round, opened by the office with a reason."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="change_windows")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    opens = models.DateField(_("from"))
    closes = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gte=F("opens")), name="change_window_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.opens}–{self.closes}"


class ChangeRequest(models.Model):
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="change_requests"
    )
    kind = models.CharField(_("what to change"), max_length=10, choices=ChangeKind.choices)
    # The line changed; for a move, the line the money comes from.
    line = models.ForeignKey("decisions.DecisionLine", on_delete=models.PROTECT, related_name="+")
    to_line = models.ForeignKey(
        "decisions.DecisionLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("amount to move (kr)"), null=True, blank=True)
    new_title = models.CharField(_("new title"), max_length=200, blank=True)
    new_education_type = models.CharField(_("new education type"), max_length=30, blank=True)
    new_description = models.TextField(_("new activity"), blank=True)
    new_end = models.DateField(_("new end date"), null=True, blank=True)
    reason = models.TextField(_("why the change is needed"))
    state = models.CharField(max_length=10, choices=ChangeState.choices, default=ChangeState.REQUESTED)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # The case officer: decides a content or period change alone; prepares a move for the approver.
    prepared_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    granted_amount = models.PositiveBigIntegerField(_("amount approved (kr)"), null=True, blank=True)
    office_reason = models.TextField(_("the office's reason"), blank=True)
    returned_reason = models.TextField(blank=True)  # why the approver sent a preparation back
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0, amount__lte=MAX_AMOUNT),
                name="change_amount_bounded",
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | Q(granted_amount__gt=0, granted_amount__lte=F("amount")),
                name="change_granted_at_most_asked",
            ),
            models.CheckConstraint(
                condition=~Q(kind="move") | Q(to_line__isnull=False, amount__isnull=False),
                name="change_move_has_line_and_amount",
            ),
            # four eyes where money moves: the approver of a move is never the one who prepared it
            models.CheckConstraint(
                condition=~Q(kind="move", state__in=["approved", "partly"])
                | (Q(prepared_by__isnull=False, decided_by__isnull=False) & ~Q(decided_by=F("prepared_by"))),
                name="change_move_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["decision", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def moves_money(self) -> bool:
        return self.kind == ChangeKind.MOVE

    @property
    def is_open(self) -> bool:
        return self.state in (ChangeState.REQUESTED, ChangeState.PREPARED)

    @property
    def is_approved(self) -> bool:
        return self.state in APPROVED

    @property
    def new_education_label(self) -> str:
        from tilskudd.applications.models import EducationTypeChoices

        if self.new_education_type in EducationTypeChoices.values:
            return str(EducationTypeChoices(self.new_education_type).label)
        return ""


def amendment_path(instance, filename: str) -> str:
    return f"amendments/{instance.decision.application.round_id}/{filename}"


class Amendment(models.Model):
    """An approved change recorded against the decision, with its letter (endringsvedtak)."""

    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="amendments")
    change = models.OneToOneField(ChangeRequest, on_delete=models.PROTECT, related_name="amendment")
    number = models.PositiveIntegerField()  # 1, 2, … per decision: "endringsvedtak 2"
    made_at = models.DateTimeField(default=timezone.now)
    language = models.CharField(max_length=2)
    letter = models.FileField(upload_to=amendment_path)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="one_amendment_number_per_decision")
        ]

    def __str__(self) -> str:
        return f"amendment {self.number} of decision {self.decision_id}"

    @property
    def filename(self) -> str:
        """``endringsvedtak-2027-00012-1.pdf``: the case number without its slash, and the change's number."""
        case = self.decision.application.case_number.replace("/", "-")
        return f"endringsvedtak-{case}-{self.number}.pdf"
