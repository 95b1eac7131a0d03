"""Every state change of an application: one keyword-only function each (STYLE §3).

Each checks permission and state, writes in one transaction, and records the event.
Views, the API and commands call these; nothing else changes an application.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import Role, User
from tilskudd.applications import events
from tilskudd.applications.hooks import unreported_awards
from tilskudd.applications.messages import application_total_message, bound_message
from tilskudd.applications.models import Application, Attachment, BudgetItem, Line, Status
from tilskudd.applications.selectors import deadline_in_force
from tilskudd.applications.uploads import delete_upload, store_upload
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.domain.deadlines import is_on_time, year_in_range
from tilskudd.domain.lines import (
    MAX_BUDGET_ITEMS,
    LineKind,
    line_amount,
    line_ceiling,
    line_out_of_bounds,
)
from tilskudd.domain.money import MAX_AMOUNT
from tilskudd.domain.submission import LineFacts, Problem, SubmissionFacts, check_submission
from tilskudd.organisations.models import Organisation
from tilskudd.rounds import versions
from tilskudd.rounds.models import CriterionChoices, Extension, Round, ThemeChoices
from tilskudd.ui.forms import amount_limit_message, year_range_message

logger = logging.getLogger(__name__)

APPLICATION_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "leader_name",
    "leader_title",
    "partners",
)


class NotEditable(Exception):
    """The application is submitted (or the person may not write to it)."""


class StaleEdit(Exception):
    """Someone else saved the application since this form was opened (optimistic locking)."""


class SubmissionRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(p.code for p in problems))
        self.problems = problems


class DeadlinePassed(PermissionDenied):
    """The deadline in force for the organisation has passed: no new application is started (R5)."""

    def __init__(self, deadline):
        super().__init__(deadline.isoformat())
        self.deadline = deadline


class LineKindNotAllowed(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _lock(application: Application) -> Application:
    """The application's row, locked for the rest of the transaction: its state is checked after this."""
    return (
        Application.objects.select_for_update().select_related("round", "organisation").get(pk=application.pk)
    )


def _check_writer(application: Application, by: User) -> None:
    if not (by.is_applicant_side and by.organisation_id == application.organisation_id):
        raise PermissionDenied
    if application.status != Status.DRAFT:
        raise NotEditable


def _locked_draft(application: Application, by: User) -> Application:
    """Lock the row, then check writer and state inside the transaction (never on data read before it)."""
    locked = _lock(application)
    _check_writer(locked, by)
    return locked


def _touch(application: Application, by: User) -> None:
    """A new version of the locked ``application``, edited by ``by`` (optimistic locking: update_application).

    Call it only when something changed: a version bumped for nothing makes a colleague's open form stale.
    """
    application.version += 1
    application.last_edited_by = by
    application.save(update_fields=["version", "updated_at", "last_edited_by"])
    _office_reads_it(application)


def _office_reads_it(application: Application) -> None:
    """A change to an application the office reads (submitted, or a shared draft) moves its round's
    fingerprint (rounds.versions); an unshared draft's autosaves lock nothing of the round."""
    if application.status != Status.DRAFT or application.shared_with_office_at is not None:
        versions.applications_changed(Round.objects.filter(pk=application.round_id))


def check_own_office(round: Round, organisation: Organisation) -> None:
    """An organisation applies only to its own office's rounds (SPEC "Reference data")."""
    if organisation.fylke.office_id != round.office_id:
        raise PermissionDenied


def start_application(*, round: Round, organisation: Organisation, by: User, now=None) -> Application:
    """The organisation's one application in the round (R6): created on first visit, found after.

    A new one only while the deadline in force for the organisation (its own later one included)
    has not passed; raises DeadlinePassed after it (R5).
    """
    if not (by.is_applicant_side and by.organisation_id == organisation.pk):
        raise PermissionDenied
    if not round.is_published:
        raise PermissionDenied
    check_own_office(round, organisation)
    existing = Application.objects.filter(round=round, organisation=organisation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            # The round's row, locked and read again: a deadline moved or a later one granted
            # (grant_extension locks it too) is seen before the check.
            round = Round.objects.select_for_update().get(pk=round.pk)
            deadline = deadline_in_force(round, organisation)
            if not is_on_time(now or timezone.now(), deadline):
                raise DeadlinePassed(deadline)
            application = Application.objects.create(
                round=round,
                organisation=organisation,
                contact_name=by.get_full_name(),
                contact_email=by.email,
                leader_name=by.get_full_name() if by.role == Role.SIGNER else "",
                leader_title=by.title if by.role == Role.SIGNER else "",
            )
            record(application, by=by, kind=events.CREATED)
    except IntegrityError:  # a colleague started it in the same instant
        return Application.objects.get(round=round, organisation=organisation)
    return application


@transaction.atomic
def update_application(
    *, application: Application, by: User, data: dict, version: int | None = None
) -> Application:
    application = _locked_draft(application, by)
    # Stale only if a colleague saved in between: a person's own autosaves never conflict.
    if version is not None and version != application.version and application.last_edited_by_id != by.pk:
        raise StaleEdit
    before = values_of(application, APPLICATION_FIELDS)
    for name in APPLICATION_FIELDS:
        if name in data:
            setattr(application, name, data[name])
    changed = diff(
        before, values_of(application, APPLICATION_FIELDS), labels_of(Application, APPLICATION_FIELDS)
    )
    application.version += 1
    application.last_edited_by = by
    application.save()
    _office_reads_it(application)
    if changed:
        record(application, by=by, kind=events.EDITED, changes=changed)
    return application


@transaction.atomic
def add_line(*, application: Application, by: User, kind: str) -> Line:
    application = _locked_draft(application, by)
    if kind not in LineKind.__members__.values() or not application.round.allows(
        application.organisation.kind, kind
    ):
        raise LineKindNotAllowed(kind)
    top = application.lines.aggregate(top=Max("rank"))["top"] or 0
    line = Line.objects.create(application=application, kind=kind, rank=top + 1)
    _touch(application, by)
    record(application, by=by, kind=events.LINE_ADDED, detail=str(line.get_kind_display()))
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
            errors.setdefault("budget", []).append(amount_limit_message(MAX_AMOUNT, language))
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


def _readable_line(line: Line, fields) -> dict:
    """A line's values for the case log: labels for codes, themes and criteria by name."""
    values = values_of(line, fields) | {"amount_applied": line.amount_applied}
    if "themes" in values:
        themes = dict(ThemeChoices.choices)
        values["themes"] = [str(themes.get(code, code)) for code in values["themes"] or []]
    if "criteria_answers" in values:
        criteria = dict(CriterionChoices.choices)
        values["criteria_answers"] = {
            str(criteria.get(code, code)): answer
            for code, answer in (values["criteria_answers"] or {}).items()
        }
    return values


@transaction.atomic
def update_line(
    *, line: Line, by: User, data: dict, budget_items: list[tuple[str, int]] | None = None
) -> Line:
    """Save a draft line. Out-of-bounds amounts or counts raise ValidationError and change nothing.

    Works on the line as stored once the application is locked, never on the caller's copy (read before
    the lock: a concurrent move may have changed its rank). Returns the saved line.
    """
    application = _locked_draft(line.application, by)
    line = application.lines.get(pk=line.pk)
    fields = LINE_FIELDS[LineKind(line.kind)]
    values = {name: data[name] if name in data else getattr(line, name) for name in fields}
    check_line_bounds(line=line, application=application, values=values, budget_items=budget_items)
    before = _readable_line(line, fields)
    for name in fields:
        if name in data:
            setattr(line, name, data[name])
    if line.kind == LineKind.BPA:
        line.amount_applied = line.amount
    line.save(update_fields={*fields, "amount_applied"})
    changed = diff(before, _readable_line(line, fields), labels_of(Line, (*fields, "amount_applied")))
    if budget_items is not None and line.kind == LineKind.INNOVATION:
        old_items = [(b.description, b.amount) for b in line.budget_items.all()]
        if old_items != list(budget_items):
            line.budget_items.all().delete()
            BudgetItem.objects.bulk_create(
                BudgetItem(line=line, description=d, amount=a) for d, a in budget_items
            )
            changed.append(
                {
                    "field": "budget_items",
                    "label": str(_("budget")),
                    "before": sum(a for _d, a in old_items),
                    "after": sum(a for _d, a in budget_items),
                }
            )
    if changed:
        _touch(application, by)
        record(application, by=by, kind=events.LINE_EDITED, detail=str(line), changes=changed)
    return line


def _delete_line(application: Application, line: Line, by: User) -> None:
    title = str(line)
    line.delete()
    _renumber(application)
    _touch(application, by)
    record(application, by=by, kind=events.LINE_REMOVED, detail=title)


@transaction.atomic
def remove_line(*, line: Line, by: User) -> None:
    application = _locked_draft(line.application, by)
    _delete_line(application, line, by)


@transaction.atomic
def cancel_new_line(*, line: Line, by: User) -> bool:
    """Leave a line just added: it is removed only if nothing was typed into it. Returns whether it was.

    Emptiness is judged on the line as stored once the application is locked: an autosave that
    reached the line just before must not be thrown away.
    """
    application = _locked_draft(line.application, by)
    line = application.lines.filter(pk=line.pk).first()
    if line is None or not line.is_empty:
        return False
    _delete_line(application, line, by)
    return True


def _renumber(application: Application) -> None:
    for rank, line in enumerate(application.lines.order_by("rank", "pk"), start=1):
        if line.rank != rank:
            Line.objects.filter(pk=line.pk).update(rank=rank)


@transaction.atomic
def move_line(*, line: Line, by: User, up: bool) -> None:
    """The applicant's own priority order (R6, seed 004 "Prioriter søknaden")."""
    application = _locked_draft(line.application, by)
    lines = list(application.lines.order_by("rank", "pk"))
    index = next(i for i, other in enumerate(lines) if other.pk == line.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(lines):
        return
    lines[index], lines[target] = lines[target], lines[index]
    for rank, other in enumerate(lines, start=1):
        Line.objects.filter(pk=other.pk).update(rank=rank)
    _touch(application, by)
    record(application, by=by, kind=events.REORDERED, detail=str(line))


@transaction.atomic
def add_attachment(*, application: Application, by: User, upload) -> Attachment:
    application = _locked_draft(application, by)
    attachment = Attachment(application=application, uploaded_by=by)
    store_upload(attachment, upload)
    attachment.save()
    _touch(application, by)
    record(application, by=by, kind=events.ATTACHED, detail=attachment.original_name)
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by: User) -> None:
    application = _locked_draft(attachment.application, by)
    name = attachment.original_name
    delete_upload(attachment)
    _touch(application, by)
    record(application, by=by, kind=events.DETACHED, detail=name)


@transaction.atomic
def share_with_office(*, application: Application, by: User, shared: bool) -> Application:
    """Let the office read the draft (for guidance before the deadline), or take that back."""
    application = _locked_draft(application, by)
    if shared == (application.shared_with_office_at is not None):
        return application
    application.shared_with_office_at = timezone.now() if shared else None
    application.save(update_fields=["shared_with_office_at"])
    versions.applications_changed(
        Round.objects.filter(pk=application.round_id)
    )  # in or out of the office's view
    record(application, by=by, kind=events.SHARED if shared else events.UNSHARED)
    return application


def submission_facts(application: Application, now=None) -> SubmissionFacts:
    round = application.round
    extension = Extension.objects.filter(round=round, organisation=application.organisation).first()
    lines = list(application.lines.all())
    return SubmissionFacts(
        applicant_kind=application.organisation.kind,
        allowed_line_kinds=round.allowed_line_kinds,
        line_limits=round.line_limits or {},
        deadline=round.application_deadline,
        now=now or timezone.now(),
        extension_until=extension.until if extension else None,
        unreported=unreported_awards(application.organisation, round),
        application_values={name: getattr(application, name) for name in APPLICATION_FIELDS},
        lines=tuple(LineFacts(line.pk, LineKind(line.kind), line.values()) for line in lines),
        applicant_office=application.organisation.fylke.office_id,
        round_office=round.office_id,
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
        "organisation": application.organisation.display_name,
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
        versions.applications_changed(Round.objects.filter(pk=application.round_id))
        record(application, by=by, kind=events.SUBMITTED)
        # The PDF and the e-mail are made by the background worker after the commit:
        # the submitter gets the receipt page at once (applications/receipts.py).
        transaction.on_commit(lambda: _enqueue_receipt(application.pk))
    return application, True


def _enqueue_receipt(application_id: int) -> None:
    """A receipt that cannot be queued must never undo a submission: logged, the receipt stays on the page."""
    from tilskudd.applications.receipts import send_receipt_task

    try:
        send_receipt_task.enqueue(application_id)
    except Exception:
        logger.exception("Could not queue the receipt for application %s", application_id)


def check_extension_until(round: Round, until) -> None:
    """The new deadline is a sane date (years EARLIEST_YEAR–LATEST_YEAR) after the round's own deadline."""
    if not year_in_range(until):
        raise ValidationError({"until": year_range_message()})
    if until <= round.application_deadline:
        raise ValidationError({"until": _("The new deadline must be later than the round's deadline.")})


@transaction.atomic
def grant_extension(*, round: Round, organisation: Organisation, by: User, until, reason: str) -> Extension:
    """A later deadline for one organisation (R5), logged on its application."""
    require_office_staff(by, round.office_id)
    # The round's row, locked and read again: the check is against its deadline as stored now, and
    # two grants for the same organisation follow each other (the second sees the first as previous).
    round = Round.objects.select_for_update().get(pk=round.pk)
    check_own_office(round, organisation)
    check_extension_until(round, until)
    previous = Extension.objects.filter(round=round, organisation=organisation).first()
    extension, _created = Extension.objects.update_or_create(
        round=round, organisation=organisation, defaults={"until": until, "reason": reason, "granted_by": by}
    )
    application = Application.objects.filter(round=round, organisation=organisation).first()
    changes = [
        {
            "field": "until",
            "label": str(_("later deadline")),
            "before": previous.until.isoformat() if previous else None,
            "after": until.isoformat(),
        }
    ]
    record(
        application or organisation,
        by=by,
        kind=events.EXTENSION,
        detail=str(organisation),
        reason=reason,
        changes=changes,
        round_id=round.pk,
    )
    return extension
