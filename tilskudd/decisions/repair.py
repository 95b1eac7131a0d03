"""The repair path for amounts that cannot be right: an administrator's logged correction of a frozen line.

It lives with decisions because a correction also removes an unapproved draft decision
made from the wrong amount, and refuses when the decision is approved (final, R10).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tilskudd.accounts.models import Role, User
from tilskudd.applications import events
from tilskudd.applications.models import Line
from tilskudd.applications.services import LINE_FIELDS, check_line_bounds
from tilskudd.caselog.log import record
from tilskudd.decisions.models import Decision
from tilskudd.domain.lines import LineKind
from tilskudd.domain.money import format_kroner, format_number
from tilskudd.rounds import versions
from tilskudd.rounds.models import Round


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
    if not (by.is_active and by.role == Role.ADMIN):  # the role in force, not a leftover superuser flag
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    line = Line.objects.select_for_update().select_related("application__round").get(pk=line.pk)
    application = line.application
    kind = LineKind(line.kind)
    # Locked, so an approval cannot commit between this check and the delete below.
    decision = Decision.objects.select_for_update().filter(application=application).first()
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
    versions.applications_changed(Round.objects.filter(pk=application.round_id))  # a submitted line changed
    after = _amount_text(kind, line.amount_per_person, line.persons_count, line.amount_applied)
    detail = f"{line}: {before} → {after}."
    if decision:
        decision.delete()  # a draft made from the wrong amount; prepared again from the corrected one
        detail += " " + _("The draft decision was removed; prepare the decisions again.")
    record(application, by=by, kind=events.CORRECTED, detail=detail, reason=reason.strip())
    return line
