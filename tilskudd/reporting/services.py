"""Every state change of a report: one keyword-only function each, checked and logged in its transaction.

The recipient edits (web form or workbook: ``update_report``), attaches the auditor's
confirmation or project account, and its signer submits. The organisation's auditor
uploads and confirms the auditor's statement on the draft. The office approves or
returns with a reason, registers a report received on paper, or writes the
requirement off with a reason.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tilskudd.accounts.access import require_office_staff
from tilskudd.accounts.models import User
from tilskudd.applications.uploads import delete_upload, store_upload
from tilskudd.caselog.changes import diff, labels_of, values_of
from tilskudd.caselog.log import record
from tilskudd.decisions.reminders import mail, recipients
from tilskudd.domain.deadlines import OSLO, deadline_on
from tilskudd.domain.money import format_kroner
from tilskudd.domain.reporting import (
    LineProblem,
    default_due,
    line_problems,
    missing_on_submit,
    needs_auditor,
)
from tilskudd.reporting import events
from tilskudd.reporting.access import acts_as_auditor
from tilskudd.reporting.models import (
    REPORT_LINE_FIELDS,
    ReportAttachment,
    ReportLine,
    ReportObligation,
)
from tilskudd.reporting.signals import report_approved
from tilskudd.reporting.workbook import read_workbook
from tilskudd.rounds.models import Round

logger = logging.getLogger(__name__)


class NotEditable(Exception):
    """The report is submitted or written off (or the person may not write to it)."""


class StaleEdit(Exception):
    """Someone else saved the report since this form was opened (optimistic locking)."""


class ReportInvalid(Exception):
    """Values out of bounds or inconsistent: ``problems`` maps a report line's id to its problems."""

    def __init__(self, problems: dict[int, list[LineProblem]]):
        super().__init__(", ".join(f"{ref}:{p.field}:{p.code}" for ref, ps in problems.items() for p in ps))
        self.problems = problems


class ReportIncomplete(Exception):
    """What the report still lacks before it can be submitted: line problems and a missing attachment."""

    def __init__(self, problems: dict[int, list[LineProblem]], attachment_missing: str = ""):
        super().__init__(f"incomplete ({len(problems)} lines, attachment: {attachment_missing or 'ok'})")
        self.problems = problems
        self.attachment_missing = attachment_missing  # "" | ReportAttachment.AUDITOR | .ACCOUNT


class WrongState(Exception):
    """The office's action does not fit the report's state (e.g. approving a report not submitted)."""


# --- Creating obligations ---------------------------------------------------------------------------


def due_for(round: Round) -> datetime:
    """The next round's reporting deadline at the office, else 23:59 on 1 February the year after."""
    following = (
        Round.objects.filter(office_id=round.office_id, year=round.year + 1, report_deadline__isnull=False)
        .values_list("report_deadline", flat=True)
        .first()
    )
    return following or deadline_on(default_due(round.year))


def create_obligation(*, decision) -> ReportObligation | None:
    """The recipient's report obligation for an approved award, one line per awarded line.

    Called in the approval's transaction (``decisions.hooks``); a refusal owes no report.
    Idempotent: a second call finds the obligation made by the first.
    """
    if not decision.is_approved:
        raise WrongState("the decision is not approved")
    if decision.granted <= 0:
        return None
    application = decision.application
    round = application.round
    obligation, created = ReportObligation.objects.get_or_create(
        organisation_id=application.organisation_id,
        round=round,
        defaults={"decision": decision, "awarded": decision.granted, "due": lambda: due_for(round)},
    )
    if not created:
        if obligation.decision_id == decision.pk:
            return obligation  # made by an earlier call
        # made by hand or by the demo before the decision: tie it to the decision now
        obligation.decision = decision
        obligation.awarded = decision.granted
        obligation.save(update_fields=["decision", "awarded"])
    lines = (
        decision.lines.select_related("line")
        .filter(granted__gt=0, report_line__isnull=True)
        .order_by("rank", "pk")
    )
    ReportLine.objects.bulk_create(
        ReportLine(
            obligation=obligation,
            decision_line=line,
            rank=line.rank,
            kind=line.kind,
            title=line.title,
            granted=line.granted,
            education_type=line.line.education_type,
            bpa_training_type=line.line.bpa_training_type,
            themes=list(line.line.themes or []),
        )
        for line in lines
    )
    record(
        obligation,
        by=None,
        kind=events.REPORT_REQUIRED,
        detail=format_kroner(obligation.awarded),
        reason=_("The award was approved; report by %(due)s.")
        % {"due": obligation.due.astimezone(OSLO).strftime("%d.%m.%Y")},
    )
    return obligation


# --- The recipient's side ---------------------------------------------------------------------------


def _lock(obligation: ReportObligation) -> ReportObligation:
    return (
        ReportObligation.objects.select_for_update()
        .select_related("round__office", "organisation")
        .get(pk=obligation.pk)
    )


def _check_writer(obligation: ReportObligation, by: User) -> None:
    if not (by.is_applicant_side and by.organisation_id == obligation.organisation_id):
        raise PermissionDenied
    if not obligation.is_editable:
        raise NotEditable


def _touch(obligation: ReportObligation, by: User) -> None:
    ReportObligation.objects.filter(pk=obligation.pk).update(
        version=F("version") + 1, updated_at=timezone.now(), last_edited_by=by
    )
    obligation.refresh_from_db(fields=["version", "updated_at", "last_edited_by"])


def _values(line: ReportLine) -> dict:
    """The stored values (codes, not labels): what the domain's rules check."""
    return {name: getattr(line, name) for name in REPORT_LINE_FIELDS}


def _write_lines(obligation: ReportObligation, values: dict[int, dict]) -> list[dict]:
    """Check every line's values, then write them all or none (the caller holds the lock and transaction)."""
    lines = {line.pk: line for line in obligation.lines.all()}
    if set(values) - set(lines):
        raise PermissionDenied  # a line of another report
    problems: dict[int, list[LineProblem]] = {}
    for ref, new in values.items():
        line = lines[ref]
        merged = _values(line) | {k: v for k, v in new.items() if k in REPORT_LINE_FIELDS}
        found = line_problems(line.line_kind, line.granted, merged)
        if found:
            problems[ref] = found
    if problems:
        raise ReportInvalid(problems)
    labels = labels_of(ReportLine, REPORT_LINE_FIELDS)
    changes: list[dict] = []
    for ref, new in values.items():
        line = lines[ref]
        before = values_of(line, REPORT_LINE_FIELDS)  # the log shows a choice's label, not its code
        for name, value in new.items():
            if name in REPORT_LINE_FIELDS:
                setattr(line, name, "" if value is None and name in _TEXT_NAMES else value)
        after = values_of(line, REPORT_LINE_FIELDS)
        changed = diff(before, after, {name: f"{line.title}: {label}" for name, label in labels.items()})
        if changed:
            line.save(update_fields=list(REPORT_LINE_FIELDS))
            changes += changed
    return changes


_TEXT_NAMES = {
    "bpa_training_type",
    "innovation_status",
    "results",
    "sharing",
    "unused_choice",
    "carry_over_reason",
}


@transaction.atomic
def update_report(
    *, obligation: ReportObligation, by: User, values: dict[int, dict], version: int | None = None
) -> ReportObligation:
    """Save the draft report's lines (``{report line id: {field: value}}``): all of them, or nothing."""
    obligation = _lock(obligation)
    _check_writer(obligation, by)
    if version is not None and version != obligation.version and obligation.last_edited_by_id != by.pk:
        raise StaleEdit
    changes = _write_lines(obligation, values)
    if changes:
        _touch(obligation, by)
        record(obligation, by=by, kind=events.REPORT_EDITED, changes=changes)
    return obligation


def required_attachment(obligation: ReportObligation) -> str:
    """R11: the auditor's confirmation at or above the round's threshold, else the project account."""
    threshold = obligation.round.report_audit_threshold
    return (
        ReportAttachment.AUDITOR if needs_auditor(obligation.awarded, threshold) else ReportAttachment.ACCOUNT
    )


@transaction.atomic
def add_report_attachment(*, obligation: ReportObligation, by: User, upload) -> ReportAttachment:
    obligation = _lock(obligation)
    _check_writer(obligation, by)
    attachment = ReportAttachment(obligation=obligation, kind=required_attachment(obligation), uploaded_by=by)
    store_upload(attachment, upload)
    attachment.save()
    _touch(obligation, by)
    record(obligation, by=by, kind=events.REPORT_ATTACHED, detail=attachment.original_name)
    return attachment


@transaction.atomic
def remove_report_attachment(*, attachment: ReportAttachment, by: User) -> None:
    """A writer removes any file of the draft report; the auditor only a file they uploaded themselves."""
    obligation = _lock(attachment.obligation)
    if acts_as_auditor(by, obligation.organisation_id) and attachment.uploaded_by_id == by.pk:
        _check_auditor(obligation, by)
    else:
        _check_writer(obligation, by)
    name = attachment.original_name
    delete_upload(attachment)
    _touch(obligation, by)
    record(obligation, by=by, kind=events.REPORT_DETACHED, detail=name)


# --- The organisation's auditor (R11) ---------------------------------------------------------------


def _check_auditor(obligation: ReportObligation, by: User) -> None:
    if not acts_as_auditor(by, obligation.organisation_id):
        raise PermissionDenied
    if not obligation.is_editable:
        raise NotEditable


@transaction.atomic
def add_auditor_statement(*, obligation: ReportObligation, by: User, upload) -> ReportAttachment:
    """The organisation's auditor uploads their statement (revisoruttalelse) to the draft report.

    The same upload checks as the writers' attachments. The report's lines are not touched, so a
    writer's open form does not go stale (the version is kept); the case log records the upload.
    """
    obligation = _lock(obligation)
    _check_auditor(obligation, by)
    attachment = ReportAttachment(obligation=obligation, kind=ReportAttachment.AUDITOR, uploaded_by=by)
    store_upload(attachment, upload)
    attachment.save()
    record(obligation, by=by, kind=events.AUDITOR_STATEMENT_ADDED, detail=attachment.original_name)
    return attachment


@transaction.atomic
def confirm_auditor_statement(*, attachment: ReportAttachment, by: User) -> ReportAttachment:
    """The auditor confirms that this file of the draft report is their statement on it. Idempotent.

    The confirmation belongs to the file: whoever uploaded it (the auditor, or a writer who
    received it by e-mail), the auditor vouches for this very file, and removing the file
    removes its confirmation. R11's completeness check still asks only that a file is attached
    (``submission_gaps``): an organisation whose auditor is not a user of the service is not
    stopped; the confirmation is extra assurance shown to the office.
    """
    obligation = _lock(attachment.obligation)
    _check_auditor(obligation, by)
    attachment = (
        ReportAttachment.objects.select_for_update().filter(pk=attachment.pk, obligation=obligation).first()
    )
    if attachment is None:
        raise WrongState("the file has been removed")
    if attachment.confirmed_at is not None:
        return attachment
    attachment.confirmed_by = by
    attachment.confirmed_at = timezone.now()
    attachment.save(update_fields=["confirmed_by", "confirmed_at"])
    record(obligation, by=by, kind=events.AUDITOR_STATEMENT_CONFIRMED, detail=attachment.original_name)
    return attachment


def submission_gaps(obligation: ReportObligation) -> ReportIncomplete | None:
    """What the report lacks before submission, or None when the signer may submit it."""
    problems = {}
    for line in obligation.lines.all():
        # the stored figures are checked again against the line as it stands now: an approved change
        # request may have changed its granted amount since they were typed (R13)
        values = _values(line)
        found = line_problems(line.line_kind, line.granted, values) + missing_on_submit(
            line.line_kind, values
        )
        if found:
            problems[line.pk] = found
    # Any file counts: the office may change the round's threshold after the upload, and the file
    # uploaded is the one the page asked for then (its ``kind`` records which that was).
    attached = obligation.attachments.exists()
    if problems or not attached:
        return ReportIncomplete(problems, "" if attached else required_attachment(obligation))
    return None


def submit_report(*, obligation: ReportObligation, by: User) -> tuple[ReportObligation, bool]:
    """The signer submits (R6's rule for the application holds for the report). Idempotent on a double click."""
    if not by.signs_for(obligation.organisation_id):
        raise PermissionDenied
    with transaction.atomic():
        obligation = _lock(obligation)
        if obligation.submitted_at is not None:
            return obligation, False
        if obligation.written_off_at is not None:
            raise NotEditable
        gaps = submission_gaps(obligation)
        if gaps:
            raise gaps
        obligation.submitted_at = timezone.now()
        obligation.submitted_by = by
        obligation.on_paper = False
        obligation.version += 1
        obligation.save(update_fields=["submitted_at", "submitted_by", "on_paper", "version", "updated_at"])
        record(obligation, by=by, kind=events.REPORT_SUBMITTED, detail=obligation.round.title)
    return obligation, True


# --- The office's side ------------------------------------------------------------------------------


def _office_lock(obligation: ReportObligation, by: User) -> ReportObligation:
    obligation = _lock(obligation)
    require_office_staff(by, obligation.round.office_id)
    return obligation


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Write at most 2000 characters.")})
    return reason


@transaction.atomic
def approve_report(*, obligation: ReportObligation, by: User) -> ReportObligation:
    """The office has read the report: R4's second step is met."""
    obligation = _office_lock(obligation, by)
    if obligation.submitted_at is None or obligation.written_off_at is not None:
        raise WrongState("the report is not submitted")
    if obligation.approved_at is not None:
        return obligation
    obligation.approved_at = timezone.now()
    obligation.approved_by = by
    obligation.save(update_fields=["approved_at", "approved_by", "updated_at"])
    record(obligation, by=by, kind=events.REPORT_APPROVED, detail=obligation.round.title)
    report_approved.send(sender=ReportObligation, obligation=obligation, by=by)
    return obligation


@transaction.atomic
def return_report(*, obligation: ReportObligation, by: User, reason: str) -> ReportObligation:
    """Back to the recipient for correction, with the reason; the recipient is told by e-mail."""
    reason = _reason(reason)
    obligation = _office_lock(obligation, by)
    if (
        obligation.submitted_at is None
        or obligation.approved_at is not None
        or obligation.written_off_at is not None
    ):
        raise WrongState("only a submitted report, neither approved nor written off, can be returned")
    obligation.submitted_at = None
    obligation.submitted_by = None
    obligation.on_paper = False
    obligation.returned_at = timezone.now()
    obligation.return_reason = reason
    obligation.version += 1
    obligation.save(
        update_fields=[
            "submitted_at",
            "submitted_by",
            "on_paper",
            "returned_at",
            "return_reason",
            "version",
            "updated_at",
        ]
    )
    record(obligation, by=by, kind=events.REPORT_RETURNED, reason=reason)
    transaction.on_commit(lambda: _tell_returned(obligation))
    return obligation


def _tell_returned(obligation: ReportObligation) -> None:
    """The e-mail never undoes the return: a failure is logged; the reason is on the report page."""
    to = recipients(obligation.organisation)
    if not to:
        return
    try:
        mail(obligation.organisation, "reporting/email/returned.txt", {"obligation": obligation}, to)
    except Exception:  # the mail server is down: the page still shows the reason
        logger.exception("could not e-mail the return of report %s", obligation.pk)


@transaction.atomic
def register_paper_report(
    *, obligation: ReportObligation, by: User, received_on, note: str
) -> ReportObligation:
    """A report that came on paper or by e-mail, registered by the office on the organisation's behalf."""
    note = _reason(note)
    obligation = _office_lock(obligation, by)
    if obligation.submitted_at is not None or obligation.written_off_at is not None:
        raise WrongState("the report is already in, or written off")
    obligation.submitted_at = datetime.combine(received_on, datetime.min.time(), tzinfo=OSLO)
    obligation.submitted_by = by
    obligation.on_paper = True
    obligation.version += 1
    obligation.save(update_fields=["submitted_at", "submitted_by", "on_paper", "version", "updated_at"])
    record(
        obligation,
        by=by,
        kind=events.REPORT_REGISTERED,
        detail=received_on.strftime("%d.%m.%Y"),
        reason=note,
    )
    return obligation


@transaction.atomic
def write_off(*, obligation: ReportObligation, by: User, reason: str) -> ReportObligation:
    """The office no longer requires this report (recorded with the reason); R4 no longer waits for it."""
    reason = _reason(reason)
    obligation = _office_lock(obligation, by)
    if obligation.written_off_at is not None:
        return obligation
    if obligation.approved_at is not None:
        raise WrongState("the report is approved")
    obligation.written_off_at = timezone.now()
    obligation.write_off_reason = reason
    obligation.save(update_fields=["written_off_at", "write_off_reason", "updated_at"])
    record(obligation, by=by, kind=events.REPORT_WRITTEN_OFF, reason=reason)
    return obligation


def import_workbook(*, obligation: ReportObligation, by: User, upload) -> ReportObligation:
    """Read a filled-in report workbook into the draft report (R11b): all of it, or nothing.

    Raises ``workbook.WorkbookRefused`` with every problem, each naming its sheet and cell.
    The workbook is read before the transaction (it is bounded and never written), and
    the values are checked again under the lock by the same rules as the web form.
    """
    if not (by.is_applicant_side and by.organisation_id == obligation.organisation_id):
        raise PermissionDenied
    values = read_workbook(obligation, upload)  # an over-large upload is refused without reading it
    with transaction.atomic():
        obligation = _lock(obligation)
        _check_writer(obligation, by)
        changes = _write_lines(obligation, values)
        if changes:  # the same workbook again changes nothing, and must not make a colleague's form stale
            _touch(obligation, by)
            record(obligation, by=by, kind=events.REPORT_IMPORTED, detail=upload.name[:200], changes=changes)
    return obligation
