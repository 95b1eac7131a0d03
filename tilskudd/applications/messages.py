"""Submission problems (domain codes) and refused uploads in words, for the page and the receipt."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tilskudd.domain.deadlines import format_local
from tilskudd.domain.lines import (
    APPLICATION_REQUIRED_FIELDS,
    Criterion,
    LineKind,
    OutOfBounds,
    line_ceiling,
    line_out_of_bounds,
    missing_fields,
)
from tilskudd.domain.money import MAX_AMOUNT, format_kroner, format_number
from tilskudd.domain.submission import Problem
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui.forms import amount_limit_message


def _field_label(model, name: str) -> str:
    if name == "criteria":
        return _("answers to all ten assessment criteria")
    if name == "amount_applied":
        return _("amount applied for")
    return str(model._meta.get_field(name).verbose_name)


def bound_message(problem: OutOfBounds, language: str = "nb") -> str:
    """A value outside its bounds (domain.lines.line_out_of_bounds), in words for the field it belongs to."""
    if problem.code == "negative":
        return _("The number cannot be negative.")
    if problem.code == "too_many":
        return _("The number can be at most %(max)s.") % {"max": format_number(problem.limit, language)}
    limit = format_kroner(problem.limit, language)
    if problem.field == "amount":
        return _("Amount per person × number of persons comes to %(total)s, more than %(max)s.") % {
            "total": format_kroner(problem.value, language),
            "max": limit,
        }
    if problem.limit < MAX_AMOUNT and problem.field in ("amount_applied", "amount_per_person"):
        return _("The amount cannot be more than the round's total funds, %(max)s.") % {"max": limit}
    return amount_limit_message(problem.limit, language)


def application_total_message(total: int, language: str = "nb") -> str:
    return _(
        "Together the measures of the application would ask for %(total)s; an application can ask for at "
        "most %(max)s."
    ) % {"total": format_kroner(total, language), "max": format_kroner(MAX_AMOUNT, language)}


CHECK = "check=1"  # on a page the submit check links to: mark what submission still needs


def _unanswered_criteria(line) -> list[str]:
    answers = (line.criteria_answers or {}) if line else {}
    return [c.value for c in Criterion if not str(answers.get(c.value, "")).strip()]


def field_anchor(line, name: str) -> str:
    """The id of the field on the line page that ``name`` (a line field or "criteria") is typed into."""
    if name == "criteria":
        unanswered = _unanswered_criteria(line)
        return f"id_criterion_{unanswered[0] if unanswered else Criterion.NEEDS.value}"
    if name == "amount":  # a BPA line's product: fix it where the amount per person is typed
        return "id_amount_per_person"
    return f"id_{name}"


def _line_href(application, line, fields) -> str:
    url = reverse("applications:line_edit", args=[application.pk, line.pk if line else 0])
    return f"{url}?{CHECK}" + (f"#{field_anchor(line, fields[0])}" if fields else "")


def _mark(form, name: str, message: str) -> None:
    """Mark one field of a form invalid with ``message``, as a failed POST would (also on a GET)."""
    if name not in form.fields:
        return
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    form.add_error(name, message)
    form.fields[name].widget.attrs["aria-invalid"] = "true"


def mark_line_problems(form, line) -> None:
    """On the line page reached from the submit check: every field submission needs, marked with why."""
    needed = _("Fill this in: it is needed before the application can be submitted.")
    values = line.values() | {"criteria_answers": line.criteria_answers}
    for name in missing_fields(LineKind(line.kind), values):
        if name == "criteria":
            for criterion in _unanswered_criteria(line):
                _mark(form, f"criterion_{criterion}", needed)
        else:
            _mark(form, name, needed)
    ceiling = line_ceiling(line.application.round.total_funds)
    for problem in line_out_of_bounds(LineKind(line.kind), values, ceiling):
        _mark(
            form, "amount_per_person" if problem.field == "amount" else problem.field, bound_message(problem)
        )


def mark_application_problems(form, application) -> None:
    needed = _("Fill this in: it is needed before the application can be submitted.")
    for name in APPLICATION_REQUIRED_FIELDS:
        if not str(getattr(application, name) or "").strip():
            _mark(form, name, needed)


def describe_all(problems: list[Problem], application, language: str) -> list[dict]:
    """Each problem in words with where to fix it (``describe``), the application's lines read once."""
    lines = {line.pk: line for line in application.lines.all()} if problems else {}
    return [describe(problem, application, language, lines) for problem in problems]


def describe(problem: Problem, application, language: str, lines: dict) -> dict:
    """{'text': ..., 'href': ...} for one problem: what is wrong, and where to fix it.

    ``lines``: the application's lines by id, for the problems that name one.
    """
    from tilskudd.applications.models import Application, Line

    href = None
    if problem.code == "wrong_office":
        text = _(
            "%(organisation)s belongs to another Statsforvalter office and cannot apply in this round. "
            "Apply in your own office's round."
        ) % {"organisation": application.organisation.display_name}
    elif problem.code == "deadline_passed":
        text = _("The deadline was %(deadline)s. Applications can no longer be submitted in this round.") % {
            "deadline": format_local(problem.params["deadline"], language)
        }
    elif problem.code == "report_missing":
        text = _(
            "The report on the grant from %(round)s has not been submitted. Report before applying again "
            "(“Det skal rapporteres på tilskudd før du søker på nytt”)."
        ) % {"round": problem.params["round"]}
        href = problem.params.get("href") or None  # the reporting stage's page, as its hook named it
    elif problem.code == "line_kind_not_allowed":
        text = _("%(organisation)s may not apply for %(kind)s in this round.") % {
            "organisation": application.organisation.display_name,
            "kind": LineKindChoices(problem.params["kind"]).label,
        }
        href = reverse("applications:line_edit", args=[application.pk, problem.line_ref]) + "#id_title"
    elif problem.code == "line_limit_exceeded":
        text = _(
            "The round allows at most %(limit)s lines of the kind %(kind)s per applicant; you have %(count)s."
        ) % {
            "limit": problem.params["limit"],
            "kind": LineKindChoices(problem.params["kind"]).label,
            "count": problem.params["count"],
        }
    elif problem.code == "no_lines":
        text = _("The application has no measures yet. Add at least one.")
    elif problem.code == "application_incomplete":
        names = ", ".join(
            _field_label(Application, n) for n in problem.fields if n in APPLICATION_REQUIRED_FIELDS
        )
        text = _("Fill in: %(fields)s.") % {"fields": names}
        first = next(n for n in APPLICATION_REQUIRED_FIELDS if n in problem.fields)
        href = reverse("applications:application_detail", args=[application.pk]) + f"?{CHECK}#id_{first}"
    elif problem.code == "line_incomplete":
        line = lines.get(problem.line_ref)
        names = ", ".join(_field_label(Line, n) for n in problem.fields)
        text = _("Priority %(rank)s “%(title)s” is missing: %(fields)s.") % {
            "rank": line.rank if line else "?",
            "title": str(line) if line else "",
            "fields": names,
        }
        href = _line_href(application, line, problem.fields)
    elif problem.code == "line_out_of_bounds":
        line = lines.get(problem.line_ref)
        names = ", ".join(_field_label(Line, n) for n in problem.fields if n != "amount")
        text = _(
            "Priority %(rank)s “%(title)s” has amounts or numbers above what can be applied for: %(fields)s."
        ) % {
            "rank": line.rank if line else "?",
            "title": str(line) if line else "",
            "fields": names or _("amount applied for"),
        }
        href = _line_href(application, line, problem.fields)
    elif problem.code == "application_total_too_large":
        text = application_total_message(problem.params["total"], language)
    else:  # pragma: no cover - a new code without words is a bug the tests catch
        raise ValueError(problem.code)
    return {"code": problem.code, "rule": problem.rule, "text": text, "href": href}


# Lazy: the messages are put into words in the language of the request, not of the import.
UPLOAD_MESSAGES = {
    "type": gettext_lazy(
        "The file must be a PDF, Word or Excel document (.pdf, .docx, .xlsx) or an OpenDocument file "
        "(.odt, .ods). Other file types are not accepted."
    ),
    "legacy": gettext_lazy(
        "Old Word and Excel files (.doc, .xls) are not accepted. Open the file and save it as .docx, .xlsx "
        "or PDF, then attach it again."
    ),
    "macro": gettext_lazy(
        "Files with macros (such as .docm and .xlsm) are not accepted. Save the file without macros, as "
        ".docx, .xlsx or PDF, then attach it again."
    ),
    "mismatch": gettext_lazy(
        "The content of the file does not match its name (%(extension)s), or the file is damaged. Save it "
        "again from the program it was made in, then attach it again."
    ),
    "archive": gettext_lazy(
        "The document unpacks to far more than its size, or has too many parts, and is not accepted. "
        "Save it again, or as PDF, then attach it again."
    ),
    "size": gettext_lazy("The file is larger than 20 MB."),
    "empty": gettext_lazy("The file is empty."),
}


def upload_message(refused) -> str:
    """The refusal in words, next to the file field."""
    return str(UPLOAD_MESSAGES[refused.code]) % {"extension": refused.extension}
