"""What each person should do next, read from every stage: the start pages' content.

home is the top layer, so it may read every app. Each function makes a fixed number
of queries however many rounds, applications, decisions and reports there are
(counts are grouped by round in the database), except one submission check per
draft in an open round (an organisation has at most one per open round).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tilskudd.accounts.models import Role
from tilskudd.applications.messages import describe_all
from tilskudd.applications.models import Application, Line, Status
from tilskudd.applications.services import submission_problems
from tilskudd.assessment.models import Assessment
from tilskudd.decisions.models import Acceptance, Decision, Letter, Payment
from tilskudd.decisions.services import call_is_open, first_open_deadline
from tilskudd.domain import deadlines
from tilskudd.domain.deadlines import OSLO, is_on_or_before
from tilskudd.domain.ledger import Account
from tilskudd.domain.money import format_kroner
from tilskudd.domain.submission import deadline_in_force
from tilskudd.organisations.models import Office, formal_name
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.models import Extension, Round
from tilskudd.settlement.models import CarryOver, CarryOverState, Entry, RepaymentClaim
from tilskudd.settlement.selectors import carried_to_account_for, claims_outstanding

REPORTS_SHOWN = 10  # overdue reports listed by name on the office's start page; the rest are counted
DUE_SOON = timedelta(days=30)


def days_left(deadline: datetime, now: datetime) -> int:
    """Whole days from today to the deadline's day, both in Oslo (0 on the day itself)."""
    return (deadline.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days


@dataclass
class OpenRound:
    round: Round
    deadline: datetime  # the round's deadline, or this organisation's later one (R5)
    days_left: int
    application: Application | None
    problems: list[dict] = field(default_factory=list)  # what the draft still lacks, with links


def applicant_overview(user, organisation, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    open_from = first_open_deadline(now)  # a deadline covers its whole minute (R5)
    own_extension = Extension.objects.filter(
        round=OuterRef("pk"), organisation=organisation, until__gte=open_from
    )
    open_rounds = list(
        Round.objects.published()
        .filter(office_id=organisation.fylke.office_id)
        .filter(Q(application_deadline__gte=open_from) | Exists(own_extension))
        .order_by("application_deadline")
    )
    for round in open_rounds:
        round.office = organisation.fylke.office  # the rounds are its office's: read with the organisation
    extensions = {
        e.round_id: e.until
        for e in Extension.objects.filter(round__in=open_rounds, organisation=organisation)
    }
    # Every application of the organisation (one a round: a few dozen in a lifetime) with its
    # decision, acceptance and acceptance deadline, as values in one query (model instances of five
    # tables cost more than the query): the awards, the applications waiting for a decision, and
    # the round and award that the payments, claims, carry-overs and reports below are shown with.
    awards = [
        Award(*row)
        for row in Application.objects.filter(organisation=organisation)
        .order_by("-round__year", "pk")
        .values_list(
            "pk",
            "round_id",
            "status",
            "submitted_at",
            "round__year",
            "round__office__name",
            "round__acceptance_weeks",
            "decision__pk",
            "decision__granted",
            "decision__approved_at",
            "decision__acceptance_due",
            "decision__acceptance__accepted_at",
            "decision__acceptance_extension__until",
        )
    ]
    open_ids = {round.pk for round in open_rounds}
    titles = {award.round_id: award.round_title for award in awards}
    by_decision = {award.decision_id: award for award in awards if award.decision_id is not None}
    decided = [award for award in awards if award.approved_at is not None]
    # The drafts and submissions of the open rounds, whole: the submission check reads them.
    in_open = {}
    if open_rounds:
        for application in Application.objects.filter(organisation=organisation, round__in=open_rounds).defer(
            "snapshot"
        ):
            application.organisation = organisation
            in_open[application.round_id] = application
    language = get_language() or "nb"
    rounds = []
    for round in open_rounds:
        deadline = deadline_in_force(round.application_deadline, extensions.get(round.pk))
        application = in_open.get(round.pk)
        problems = []
        if application is not None:
            application.round = round
            if application.is_draft:
                problems = describe_all(submission_problems(application, now), application, language)
        rounds.append(OpenRound(round, deadline, days_left(deadline, now), application, problems))

    # The payments, newest first: each decision's sum, and the latest ten listed with their round.
    payments = []
    for decision_id, paid_on, amount in (
        Payment.objects.filter(decision__application__organisation=organisation)
        .order_by("-paid_on", "-pk")
        .values_list("decision_id", "paid_on", "amount")
    ):
        award = by_decision[decision_id]
        award.paid += amount
        if len(payments) < 10:
            payments.append(
                PaymentRow(paid_on.strftime("%d.%m.%Y"), format_kroner(amount, language), award.round_title)
            )
    awaiting_acceptance = [a for a in decided if a.granted and a.accepted_at is None]
    for award in awaiting_acceptance:  # the deadline in force (R10c): after it, the office gives a new one
        award.acceptance_by = deadlines.acceptance_deadline_in_force(
            award.until, award.acceptance_due, award.approved_at, award.weeks
        )
        award.acceptance_open = is_on_or_before(now, award.acceptance_by)
    granted = [_grant_row(a, language) for a in decided if a.granted and a.accepted_at is not None]
    awaiting_decision = [  # a draft decision is not one yet for the applicant
        a
        for a in awards
        if a.status == Status.SUBMITTED and a.round_id not in open_ids and a.approved_at is None
    ]
    unreported = list(ReportObligation.objects.unreported().filter(organisation=organisation).order_by("due"))
    for obligation in unreported:  # a report follows an award of an application: its round is among them
        obligation.round_title = titles.get(obligation.round_id) or obligation.round.title
    return {
        "open_rounds": rounds,
        "unreported": unreported,
        "awaiting_acceptance": awaiting_acceptance,
        "granted": granted,
        "payments": payments,
        "awaiting_decision": awaiting_decision,
        "claims": claims_outstanding(organisation.pk, awards=by_decision),
        "carried": list(carried_to_account_for(organisation.pk, awards=by_decision)),
        "now": now,
    }


@dataclass
class Award:
    """One application of the organisation with its decision, as the applicant's start page shows it."""

    application_id: int
    round_id: int
    status: str
    submitted_at: datetime | None
    year: int
    office_name: str
    weeks: int  # the round's acceptance weeks
    decision_id: int | None
    granted: int | None
    approved_at: datetime | None
    acceptance_due: date | None
    accepted_at: datetime | None
    until: date | None  # the office's new acceptance deadline (R10c)
    paid: int = 0
    acceptance_by: date | None = None
    acceptance_open: bool = False

    @cached_property
    def round_title(self) -> str:
        return Round(office=Office(name=self.office_name), year=self.year).title  # the title's one rule


@dataclass
class PaymentRow:  # formatted once here: a template filter per cell costs more than the cell
    paid_on: str
    amount: str
    round_title: str


@dataclass
class GrantRow:
    href: str
    round_title: str
    granted: str
    paid: str
    status: str


def _grant_row(award: Award, language: str) -> GrantRow:
    """An accepted award's row in "Grants and payments", its figures and status in words."""
    if award.paid and award.paid >= award.granted:
        status = _("Paid out")
    elif award.paid:
        status = _("Partly paid out")
    else:
        accepted = timezone.localtime(award.accepted_at).strftime("%d.%m.%Y")
        status = _("Accepted %(when)s; waiting for payment") % {"when": accepted}
    return GrantRow(
        href=reverse("applications:application_detail", args=[award.application_id]) + "#decision",
        round_title=award.round_title,
        granted=format_kroner(award.granted, language),
        paid=format_kroner(award.paid, language),
        status=status,
    )


@dataclass
class Step:
    text: str
    href: str
    urgent: bool = False


@dataclass
class RoundWork:
    round: Round
    closes: datetime
    is_open: bool
    submitted: int = 0
    drafts: int = 0
    to_assess: int = 0
    undecided: int = 0  # submitted applications with no decision yet
    pending: int = 0  # decisions prepared, not approved
    pending_for_me: int = 0  # of those, ones this approver may approve (prepared by someone else)
    approved: int = 0
    letters_pending: int = 0
    not_accepted: int = 0
    acceptance_overdue: int = 0  # of those, past their acceptance deadline (R10c)
    to_pay: int = 0  # accepted, nothing paid yet
    reports_overdue: int = 0
    reports_due_soon: int = 0
    carry_overs_to_assess: int = 0  # further carry-overs waiting for the individual assessment (R12)
    claims_overdue: int = 0  # repayment claims past their due date, not paid in full (R14)
    steps: list[Step] = field(default_factory=list)
    href: str = ""  # the round's page


def _by_round(queryset, key: str = "application__round") -> dict:
    return {row[key]: row for row in queryset}


COUNTS = (  # what _round_counts gives per round, in its columns' order
    "submitted",
    "drafts",
    "undecided",
    "to_assess",
    "pending",
    "pending_for_me",
    "approved",
    "letters_pending",
    "not_accepted",
    "to_pay",
    "reports_overdue",
    "reports_due_soon",
    "carry_overs_to_assess",
    "claims_overdue",
)


def _round_counts(round_ids: list[int], user, now: datetime, today: date) -> dict[int, dict[str, int]]:
    """Per round: how many applications, decisions, reports, carry-overs and claims wait at each stage.

    One statement, written out: the same counts as filtered ``Count``s of the ORM cost ~8 ms of
    query building on every view of the start page (issue 13), the database's part well under one.
    Portable SQL (COUNT of CASE, correlated subqueries) for SQLite and PostgreSQL; the values go in
    as parameters, adapted as the ORM adapts them. tests/test_screens.py compares every count with
    the ORM's on varied data.

    Rows are the round's applications (a decision, its letter and its acceptance are one each), so
    a stage's count is a conditional count of them. Measures wait for assessment while their
    submitted application has no approved decision: the lines are read only for those, so a past
    round's decided applications are passed over. Not-yet-reported, carried-over and claimed money
    are counted per round in subqueries.
    """
    if not round_ids:
        return {}
    ops = connection.ops
    t = {
        model.__name__: model._meta.db_table
        for model in (
            Round,
            Application,
            Line,
            Assessment,
            Decision,
            Letter,
            Acceptance,
            Payment,
            ReportObligation,
            CarryOver,
            RepaymentClaim,
            Entry,
        )
    }
    submitted, draft = Status.SUBMITTED.value, Status.DRAFT.value
    approved = "d.approved_at IS NOT NULL"
    granted = f"{approved} AND d.granted > 0"
    unreported = "o.round_id = r.id AND o.submitted_at IS NULL AND o.written_off_at IS NULL"
    of_round = f"JOIN {t['Decision']} d2 ON d2.id = x.decision_id JOIN {t['Application']} a2 ON a2.id = d2.application_id"
    placeholders = ", ".join(["%s"] * len(round_ids))
    sql = f"""
        SELECT r.id,
            COUNT(CASE WHEN a.status = %s THEN 1 END),
            COUNT(CASE WHEN a.status = %s THEN 1 END),
            COUNT(CASE WHEN a.status = %s AND d.id IS NULL THEN 1 END),
            COALESCE(SUM(CASE WHEN a.status = %s AND d.approved_at IS NULL THEN (
                SELECT COUNT(*) FROM {t["Line"]} li LEFT JOIN {t["Assessment"]} s ON s.line_id = li.id
                WHERE li.application_id = a.id AND s.id IS NULL
            ) ELSE 0 END), 0),
            COUNT(CASE WHEN d.id IS NOT NULL AND d.approved_at IS NULL THEN 1 END),
            COUNT(CASE WHEN d.id IS NOT NULL AND d.approved_at IS NULL AND d.prepared_by_id <> %s THEN 1 END),
            COUNT(CASE WHEN {approved} THEN 1 END),
            COUNT(CASE WHEN {approved} AND (l.id IS NULL OR l.notified_at IS NULL) THEN 1 END),
            COUNT(CASE WHEN {granted} AND ac.id IS NULL THEN 1 END),
            COUNT(CASE WHEN {granted} AND ac.id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM {t["Payment"]} p WHERE p.decision_id = d.id) THEN 1 END),
            (SELECT COUNT(*) FROM {t["ReportObligation"]} o WHERE {unreported} AND o.due < %s),
            (SELECT COUNT(*) FROM {t["ReportObligation"]} o WHERE {unreported} AND o.due >= %s AND o.due <= %s),
            (SELECT COUNT(*) FROM {t["CarryOver"]} x {of_round} WHERE a2.round_id = r.id AND x.state = %s),
            (SELECT COUNT(*) FROM {t["RepaymentClaim"]} x {of_round}
                WHERE a2.round_id = r.id AND x.due_on < %s AND x.amount > COALESCE(
                    (SELECT SUM(e.amount) FROM {t["Entry"]} e WHERE e.claim_id = x.id AND e.source = %s), 0))
        FROM {t["Round"]} r
        LEFT JOIN {t["Application"]} a ON a.round_id = r.id
        LEFT JOIN {t["Decision"]} d ON d.application_id = a.id
        LEFT JOIN {t["Letter"]} l ON l.decision_id = d.id
        LEFT JOIN {t["Acceptance"]} ac ON ac.decision_id = d.id
        WHERE r.id IN ({placeholders})
        GROUP BY r.id
    """  # noqa: S608 (table names and placeholders, no input)
    moment = ops.adapt_datetimefield_value
    params = [
        submitted,
        draft,
        submitted,
        submitted,
        user.pk,
        moment(now),
        moment(now),
        moment(now + DUE_SOON),
        CarryOverState.REQUESTED.value,
        ops.adapt_datefield_value(today),
        Account.OWED.value,
        *round_ids,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: dict(zip(COUNTS, (int(n or 0) for n in row[1:]), strict=True))
            for row in cursor.fetchall()
        }


def office_overview(user, office, now: datetime | None = None, limit: int = 6) -> dict:
    """Per round of the office (newest first): how much waits at each stage, and the links to it.

    Four queries whatever the office's size: the rounds, what waits in each (``_round_counts``),
    the awards not accepted (their deadline is a day worked out per decision), and the overdue
    reports listed by name."""
    now = now or timezone.now()
    rounds = list(
        Round.objects.filter(office=office)
        .annotate(
            latest_extension=Subquery(
                Extension.objects.filter(round=OuterRef("pk")).order_by("-until").values("until")[:1]
            )
        )
        .order_by("-year")[:limit]
    )
    for round in rounds:
        round.office = office  # read once, for the header too
    ids = [r.pk for r in rounds]
    counts = _round_counts(ids, user, now, timezone.localdate(now))
    # Not accepted and past the deadline in force: the deadline is a day worked out per decision
    # (the letter's date and the round's weeks, or the office's new day), so these few are read
    # and counted here, in one query.
    overdue: dict[int, int] = {}
    for round_id, due, approved_at, weeks, until in Decision.objects.filter(
        application__round__in=ids, approved_at__isnull=False, granted__gt=0, acceptance__isnull=True
    ).values_list(
        "application__round_id",
        "acceptance_due",
        "approved_at",
        "application__round__acceptance_weeks",
        "acceptance_extension__until",
    ):
        if not is_on_or_before(now, deadlines.acceptance_deadline_in_force(until, due, approved_at, weeks)):
            overdue[round_id] = overdue.get(round_id, 0) + 1
    overdue_reports = [
        OverdueReport(pk, due, formal_name(kind, name), Round(office=office, year=year).title)
        for pk, due, kind, name, year in ReportObligation.objects.unreported()
        .filter(round__office=office, due__lt=now)
        .order_by("due")
        .values_list("pk", "due", "organisation__kind", "organisation__name", "round__year")[:REPORTS_SHOWN]
    ]
    work = []
    for round in rounds:
        closes = deadline_in_force(round.application_deadline, round.latest_extension)
        c = counts.get(round.pk) or dict.fromkeys(COUNTS, 0)
        item = RoundWork(
            round=round,
            closes=closes,
            is_open=round.published_at is not None and call_is_open(round, now, closes=closes),
            acceptance_overdue=overdue.get(round.pk, 0),
            **c,
        )
        item.href = reverse("rounds:round_manage", args=[round.pk])
        item.steps = _steps(item, user)
        work.append(item)
    return {"rounds": work, "overdue_reports": overdue_reports, "now": now}


@dataclass
class OverdueReport:
    pk: int
    due: datetime
    organisation: str
    round_title: str


def _steps(work: RoundWork, user) -> list[Step]:
    """The next things to do in one round, for a case officer or an approver, most pressing first."""
    round_id = work.round.pk
    steps: list[Step] = []
    manage = work.href

    def link(name: str) -> str:  # made for the steps shown only: a round has a few
        return reverse(name, args=[round_id])

    officer = user.role == Role.CASE_OFFICER
    approver = user.role == Role.APPROVER
    if work.round.published_at is None:
        if officer:
            steps.append(Step(_("The round is not published yet: check it and publish it."), manage, True))
        return steps
    if work.is_open:
        steps.append(
            Step(
                ngettext(
                    "Open: %(count)s application submitted so far.",
                    "Open: %(count)s applications submitted so far.",
                    work.submitted,
                )
                % {"count": work.submitted},
                manage,
            )
        )
        return steps
    if work.to_assess:
        steps.append(
            Step(
                ngettext(
                    "%(count)s measure waits for assessment.",
                    "%(count)s measures wait for assessment.",
                    work.to_assess,
                )
                % {"count": work.to_assess},
                link("assessment:allocation"),
                officer,
            )
        )
    if work.undecided:
        text = ngettext(
            "%(count)s application has no decision yet.",
            "%(count)s applications have no decision yet.",
            work.undecided,
        ) % {"count": work.undecided}
        if officer:
            text += " " + _("Prepare the decisions from a scenario.")
        steps.append(
            Step(text, link("decisions:round_decisions" if officer else "assessment:allocation"), officer)
        )
    if work.pending:
        if approver and work.pending_for_me:
            text = ngettext(
                "%(count)s decision waits for your approval.",
                "%(count)s decisions wait for your approval.",
                work.pending_for_me,
            ) % {"count": work.pending_for_me}
            steps.append(Step(text, reverse("decisions:decisions_approve_all", args=[round_id]), True))
        else:
            text = ngettext(
                "%(count)s prepared decision waits for an approver.",
                "%(count)s prepared decisions wait for an approver.",
                work.pending,
            ) % {"count": work.pending}
            steps.append(Step(text, link("decisions:round_decisions")))
    if work.letters_pending:
        steps.append(
            Step(
                ngettext(
                    "%(count)s letter is not made or sent yet.",
                    "%(count)s letters are not made or sent yet.",
                    work.letters_pending,
                )
                % {"count": work.letters_pending},
                link("decisions:round_decisions"),
                True,
            )
        )
    if work.acceptance_overdue:
        steps.append(
            Step(
                ngettext(
                    "%(count)s award is not accepted and its acceptance deadline has passed.",
                    "%(count)s awards are not accepted and their acceptance deadline has passed.",
                    work.acceptance_overdue,
                )
                % {"count": work.acceptance_overdue},
                link("decisions:round_payments"),
                True,
            )
        )
    if work.not_accepted > work.acceptance_overdue:
        steps.append(
            Step(
                ngettext(
                    "%(count)s award is not accepted by its recipient yet.",
                    "%(count)s awards are not accepted by their recipients yet.",
                    work.not_accepted - work.acceptance_overdue,
                )
                % {"count": work.not_accepted - work.acceptance_overdue},
                link("decisions:round_payments"),
            )
        )
    if work.to_pay:
        steps.append(
            Step(
                ngettext(
                    "%(count)s accepted award has no payment recorded.",
                    "%(count)s accepted awards have no payment recorded.",
                    work.to_pay,
                )
                % {"count": work.to_pay},
                link("decisions:round_payments"),
                True,
            )
        )
    if work.reports_overdue:
        steps.append(
            Step(
                ngettext(
                    "%(count)s report is overdue.",
                    "%(count)s reports are overdue.",
                    work.reports_overdue,
                )
                % {"count": work.reports_overdue},
                "#overdue-reports",
                True,
            )
        )
    if work.reports_due_soon:
        steps.append(
            Step(
                ngettext(
                    "%(count)s report is due within 30 days.",
                    "%(count)s reports are due within 30 days.",
                    work.reports_due_soon,
                )
                % {"count": work.reports_due_soon},
                manage,
            )
        )
    if work.carry_overs_to_assess:
        steps.append(
            Step(
                ngettext(
                    "%(count)s further carry-over waits for an individual assessment.",
                    "%(count)s further carry-overs wait for an individual assessment.",
                    work.carry_overs_to_assess,
                )
                % {"count": work.carry_overs_to_assess},
                link("settlement:round_settlement"),
                officer,
            )
        )
    if work.claims_overdue:
        steps.append(
            Step(
                ngettext(
                    "%(count)s repayment claim is overdue.",
                    "%(count)s repayment claims are overdue.",
                    work.claims_overdue,
                )
                % {"count": work.claims_overdue},
                link("settlement:round_settlement"),
                True,
            )
        )
    return steps
