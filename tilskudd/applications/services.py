"""Every state change of an application: one keyword-only function each (STYLE §3).

Each checks permission and state, writes in one transaction, and records the event.
Views, the API and commands call these; nothing else changes an application.
"""

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import Role, User
from tilskudd.applications.messages import application_total_message, bound_message
from tilskudd.applications.models import Application, Attachment, BudgetItem, Event, EventKind, Line, Status
from tilskudd.applications.uploads import EXTENSIONS, check_upload
from tilskudd.domain.deadlines import EARLIEST_YEAR, LATEST_YEAR, year_in_range
from tilskudd.domain.lines import (
    MAX_BUDGET_ITEMS,
    LineKind,
    line_amount,
    line_ceiling,
    line_out_of_bounds,
)
from tilskudd.domain.money import MAX_AMOUNT, format_kroner, format_number
from tilskudd.domain.submission import LineFacts, Problem, SubmissionFacts, UnreportedAward, check_submission
from tilskudd.organisations.models import Organisation
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.models import Extension, Round

logger = logging.getLogger(__name__)

APPLICATION_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "leader_name",
    "leader_title",
    "partners",
)
EDIT_EVENT_QUIET_PERIOD = timedelta(minutes=15)


class NotEditable(Exception):
    """The application is submitted (or the person may not write to it)."""


class StaleEdit(Exception):
    """Someone else saved the application since this form was opened (optimistic locking)."""


class SubmissionRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


class LineKindNotAllowed(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _log(application: Application, by: User, kind: EventKind, detail: str = "") -> Event:
    return Event.objects.create(application=application, actor=by, kind=kind, detail=detail)


def _log_edit(application: Application, by: User, detail: str) -> None:
    """Autosave saves often; one 'edited' entry per person per quarter of an hour is enough."""
    recent = application.events.filter(
        kind=EventKind.EDITED, actor=by, at__gte=timezone.now() - EDIT_EVENT_QUIET_PERIOD
    )
    if not recent.exists():
        _log(application, by, EventKind.EDITED, detail)


def _check_writer(application: Application, by: User) -> None:
    if not (by.is_applicant_side and by.organisation_id == application.organisation_id):
        raise PermissionDenied
    if application.status != Status.DRAFT:
        raise NotEditable


def _touch(application: Application, by: User) -> None:
    Application.objects.filter(pk=application.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), last_edited_by=by
    )
    application.refresh_from_db(fields=["version", "updated_at", "last_edited_by"])


def start_application(*, round: Round, organisation: Organisation, by: User) -> Application:
    """The organisation's one application in the round (R6): created on first visit, found after."""
    if not (by.is_applicant_side and by.organisation_id == organisation.pk):
        raise PermissionDenied
    if not round.is_published:
        raise PermissionDenied
    existing = Application.objects.filter(round=round, organisation=organisation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            application = Application.objects.create(
                round=round,
                organisation=organisation,
                contact_name=by.get_full_name(),
                contact_email=by.email,
                leader_name=by.get_full_name() if by.role == Role.SIGNER else "",
                leader_title=by.title if by.role == Role.SIGNER else "",
            )
            _log(application, by, EventKind.CREATED)
    except IntegrityError:  # a colleague started it in the same instant
        return Application.objects.get(round=round, organisation=organisation)
    return application


@transaction.atomic
def update_application(
    *, application: Application, by: User, data: dict, version: int | None = None
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    _check_writer(application, by)
    # Stale only if a colleague saved in between: a person's own autosaves never conflict.
    if version is not None and version != application.version and application.last_edited_by_id != by.pk:
        raise StaleEdit
    for name in APPLICATION_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    application.version += 1
    application.last_edited_by = by
    application.save()
    _log_edit(application, by, "")
    return application


@transaction.atomic
def add_line(*, application: Application, by: User, kind: str) -> Line:
    _check_writer(application, by)
    if kind not in LineKind.__members__.values() or not application.round.allows(
        application.organisation.kind, kind
    ):
        raise LineKindNotAllowed(kind)
    top = application.lines.aggregate(top=Max("rank"))["top"] or 0
    line = Line.objects.create(application=application, kind=kind, rank=top + 1)
    _touch(application, by)
    _log(application, by, EventKind.LINE_ADDED, line.get_kind_display())
    return line


LINE_FIELDS = {
    LineKind.COMPETENCE: (
        "title",
        "education_type",
        "subject_field",
        "mental_health",
        "target_group",
        "target_agency",
        "employees_count",
        "amount_applied",
    ),
    LineKind.BPA: ("title", "bpa_training_type", "amount_per_person", "persons_count", "persons_untrained"),
    LineKind.INNOVATION: (
        "title",
        "purpose",
        "description",
        "themes",
        "amount_applied",
        "own_financing",
        "collaborators",
        "dissemination",
        "criteria_answers",
    ),
}


def _amount_field(kind: LineKind) -> str:
    return "amount_per_person" if kind == LineKind.BPA else "amount_applied"


def check_line_bounds(
    *, line: Line, application: Application, values: dict, budget_items: list[tuple[str, int]] | None
) -> None:
    """Refuse amounts and counts out of bounds, next to the field they belong to (issue 9).

    A line asks for at most the round's total funds (and never more than MAX_AMOUNT), an application
    for at most MAX_AMOUNT in all; counts have the domain's ceilings. Forms say the same; this holds
    even when a form is bypassed. Raises ValidationError({field: [message]}).
    """
    kind = LineKind(line.kind)
    language = get_language() or "nb"
    errors: dict[str, list[str]] = {}
    ceiling = line_ceiling(application.round.total_funds)
    for problem in line_out_of_bounds(kind, values, ceiling):
        field = _amount_field(kind) if problem.field == "amount" else problem.field
        errors.setdefault(field, []).append(bound_message(problem, language))
    if budget_items is not None and kind == LineKind.INNOVATION:
        if len(budget_items) > MAX_BUDGET_ITEMS:
            errors.setdefault("budget", []).append(
                _("The budget can have at most %(max)s cost items.") % {"max": MAX_BUDGET_ITEMS}
            )
        if any(not 0 <= amount <= MAX_AMOUNT for _description, amount in budget_items):
            errors.setdefault("budget", []).append(
                _("The amount can be at most %(max)s.") % {"max": format_kroner(MAX_AMOUNT, language)}
            )
    if not errors:
        # Other lines that are out of bounds themselves (data from before the bounds) are left out:
        # each is corrected in turn, and the last correction is checked against all the others.
        others = [
            {"kind": k, "amount_applied": a, "amount_per_person": p, "persons_count": n}
            for k, a, p, n in application.lines.exclude(pk=line.pk).values_list(
                "kind", "amount_applied", "amount_per_person", "persons_count"
            )
        ]
        total = line_amount(kind, values) + sum(
            line_amount(other["kind"], other)
            for other in others
            if not line_out_of_bounds(other["kind"], other, ceiling)
        )
        if total > MAX_AMOUNT:
            errors[_amount_field(kind)] = [application_total_message(total, language)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_line(
    *, line: Line, by: User, data: dict, budget_items: list[tuple[str, int]] | None = None
) -> Line:
    """Save a draft line. Out-of-bounds amounts or counts raise ValidationError and change nothing."""
    application = Application.objects.select_for_update().select_related("round").get(pk=line.application_id)
    _check_writer(application, by)
    fields = LINE_FIELDS[LineKind(line.kind)]
    values = {name: data[name] if name in data else getattr(line, name) for name in fields}
    check_line_bounds(line=line, application=application, values=values, budget_items=budget_items)
    for name in fields:
        if name in data:
            setattr(line, name, data[name])
    if line.kind == LineKind.BPA:
        line.amount_applied = line.amount
    line.save()
    if budget_items is not None and line.kind == LineKind.INNOVATION:
        line.budget_items.all().delete()
        BudgetItem.objects.bulk_create(
            BudgetItem(line=line, description=d, amount=a) for d, a in budget_items
        )
    _touch(application, by)
    _log_edit(application, by, "")
    return line


def _amount_text(kind: LineKind, per_person, persons, amount_applied) -> str:
    """How a line's amount reads in the case log (no limits: it may describe the wrong value)."""
    if kind == LineKind.BPA:
        if per_person is None or persons is None:
            return "–"
        return (
            f"{format_number(per_person)} × {format_number(persons)} = {format_kroner(per_person * persons)}"
        )
    return format_kroner(amount_applied) if amount_applied is not None else "–"


@transaction.atomic
def correct_line_amount(
    *,
    line: Line,
    by: User,
    amount: int,
    reason: str,
    persons: int | None = None,
    employees: int | None = None,
) -> Line:
    """An administrator corrects a line's amount, also on a submitted (frozen) application, with the reason logged.

    The repair path for amounts that cannot be right (issue 9: a BPA line of 10^18 kr that made the
    round's page fail). For BPA ``amount`` is the line's total: ``persons`` (default: as recorded)
    must divide it, and the amount per person becomes amount ÷ persons. The submitted snapshot is
    kept as the record of what was sent; the case log records the old and new values and the reason.
    An unapproved draft decision on the application is removed, to be prepared again; an approved
    decision is final and refuses the correction.
    """
    from tilskudd.decisions.models import Decision

    if not (by.is_active and (by.role == Role.ADMIN or by.is_superuser)):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    line = Line.objects.select_for_update().select_related("application__round").get(pk=line.pk)
    application = line.application
    kind = LineKind(line.kind)
    decision = Decision.objects.filter(application=application).first()
    if decision and decision.is_approved:
        raise ValidationError(
            {
                "amount": _(
                    "The application has an approved decision, which is final and cannot be corrected here."
                )
            }
        )
    values = {name: getattr(line, name) for name in LINE_FIELDS[kind]}
    if employees is not None and kind == LineKind.COMPETENCE:
        values["employees_count"] = employees
    if kind == LineKind.BPA:
        persons = persons if persons is not None else line.persons_count
        if not persons or persons < 1:
            raise ValidationError({"persons": _("Give the number of persons.")})
        if amount % persons:
            raise ValidationError(
                {"amount": _("The amount must be the number of persons times a whole amount per person.")}
            )
        values["amount_per_person"] = amount // persons
        values["persons_count"] = persons
        if values.get("persons_untrained") is not None:
            values["persons_untrained"] = min(values["persons_untrained"], persons)
    else:
        values["amount_applied"] = amount
    check_line_bounds(line=line, application=application, values=values, budget_items=None)

    before = _amount_text(kind, line.amount_per_person, line.persons_count, line.amount_applied)
    for name, value in values.items():
        setattr(line, name, value)
    if kind == LineKind.BPA:
        line.amount_applied = line.amount
    line.save()
    after = _amount_text(kind, line.amount_per_person, line.persons_count, line.amount_applied)
    detail = f"{line}: {before} → {after}. {reason.strip()}"
    if decision:
        decision.delete()  # a draft made from the wrong amount; prepared again from the corrected one
        detail += " " + _("The draft decision was removed; prepare the decisions again.")
    _log(application, by, EventKind.CORRECTED, detail)
    return line


@transaction.atomic
def remove_line(*, line: Line, by: User) -> None:
    application = line.application
    _check_writer(application, by)
    title = str(line)
    line.delete()
    _renumber(application)
    _touch(application, by)
    _log(application, by, EventKind.LINE_REMOVED, title)


def _renumber(application: Application) -> None:
    for rank, line in enumerate(application.lines.order_by("rank", "pk"), start=1):
        if line.rank != rank:
            Line.objects.filter(pk=line.pk).update(rank=rank)


@transaction.atomic
def move_line(*, line: Line, by: User, up: bool) -> None:
    """The applicant's own priority order (R6, seed 004 "Prioriter søknaden")."""
    application = line.application
    _check_writer(application, by)
    lines = list(application.lines.order_by("rank", "pk"))
    index = next(i for i, other in enumerate(lines) if other.pk == line.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(lines):
        return
    lines[index], lines[target] = lines[target], lines[index]
    for rank, other in enumerate(lines, start=1):
        Line.objects.filter(pk=other.pk).update(rank=rank)
    _touch(application, by)
    _log(application, by, EventKind.REORDERED, str(line))


@transaction.atomic
def add_attachment(*, application: Application, by: User, upload) -> Attachment:
    _check_writer(application, by)
    content_type = check_upload(upload)
    stored_name = secrets.token_hex(16) + EXTENSIONS[content_type]
    attachment = Attachment(
        application=application,
        stored_name=stored_name,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(stored_name, upload, save=False)
    attachment.save()
    _touch(application, by)
    _log(application, by, EventKind.ATTACHED, attachment.original_name)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: User) -> None:
    application = attachment.application
    _check_writer(application, by)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _touch(application, by)
    _log(application, by, EventKind.DETACHED, name)


def submission_facts(application: Application, now=None) -> SubmissionFacts:
    round = application.round
    extension = Extension.objects.filter(round=round, organisation=application.organisation).first()
    unreported = (
        ReportObligation.objects.unreported()
        .filter(organisation=application.organisation, round__year__lt=round.year)
        .select_related("round__office")
    )
    lines = list(application.lines.all())
    return SubmissionFacts(
        applicant_kind=application.organisation.kind,
        allowed_line_kinds=round.allowed_line_kinds,
        line_limits=round.line_limits or {},
        deadline=round.application_deadline,
        now=now or timezone.now(),
        extension_until=extension.until if extension else None,
        unreported=tuple(UnreportedAward(o.pk, o.round.title) for o in unreported),
        application_values={name: getattr(application, name) for name in APPLICATION_FIELDS},
        lines=tuple(LineFacts(line.pk, LineKind(line.kind), line.values()) for line in lines),
        line_ceiling=line_ceiling(round.total_funds),
    )


def submission_problems(application: Application, now=None) -> list[Problem]:
    return check_submission(submission_facts(application, now))


def _snapshot(application: Application) -> dict:
    lines = []
    for line in application.lines.prefetch_related("budget_items"):
        values = line.values()
        values.pop("application", None)
        values["budget_items"] = [
            {"description": b.description, "amount": b.amount} for b in line.budget_items.all()
        ]
        lines.append(values)
    return {
        "round": application.round.title,
        "organisation": application.organisation.name,
        **{name: getattr(application, name) for name in APPLICATION_FIELDS},
        "lines": lines,
        "attachments": [
            {"name": a.original_name, "size": a.size, "content_type": a.content_type}
            for a in application.attachments.all()
        ],
        "total": sum(line["amount"] for line in lines),
    }


def submit(*, application: Application, by: User, now=None) -> tuple[Application, bool]:
    """Submit atomically and idempotently: a double click submits once.

    Returns the application and whether this call submitted it (False when it was
    already submitted). Raises SubmissionRefused with every problem found.
    """
    if not by.signs_for(application.organisation_id):
        raise PermissionDenied  # R6: only a signer submits
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("round__office", "organisation")
            .get(pk=application.pk)
        )
        if application.status == Status.SUBMITTED:
            return application, False
        now = now or timezone.now()
        problems = submission_problems(application, now)
        if problems:
            raise SubmissionRefused(problems)
        application.snapshot = _snapshot(application)
        application.status = Status.SUBMITTED
        application.submitted_at = now
        application.submitted_by = by
        application.version += 1
        application.save()
        _log(application, by, EventKind.SUBMITTED)
        transaction.on_commit(lambda: _send_receipt_safely(application))
    return application, True


def _send_receipt_safely(application: Application) -> None:
    """The receipt e-mail must never undo a submission: a mail failure is logged, the receipt stays on the page."""
    from tilskudd.applications.receipts import send_receipt

    try:
        send_receipt(application)
    except Exception:
        logger.exception("Could not send the receipt for application %s", application.pk)


def check_extension_until(round: Round, until) -> None:
    """The new deadline is a sane date (years EARLIEST_YEAR–LATEST_YEAR) after the round's own deadline."""
    if not year_in_range(until):
        raise ValidationError(
            {
                "until": _("Choose a date between the years %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            }
        )
    if until <= round.application_deadline:
        raise ValidationError({"until": _("The new deadline must be later than the round's deadline.")})


@transaction.atomic
def grant_extension(*, round: Round, organisation: Organisation, by: User, until, reason: str) -> Extension:
    """A later deadline for one organisation (R5), logged on its application."""
    require_office_staff(by, round.office_id)
    if organisation.fylke.office_id != round.office_id:
        raise PermissionDenied
    check_extension_until(round, until)
    extension, _created = Extension.objects.update_or_create(
        round=round, organisation=organisation, defaults={"until": until, "reason": reason, "granted_by": by}
    )
    application = Application.objects.filter(round=round, organisation=organisation).first()
    if application:
        _log(application, by, EventKind.EXTENSION, reason)
    return extension
