"""Submission problems (domain codes) in words, for the page and the receipt."""

from django.urls import reverse
from django.utils.translation import gettext as _

from tilskudd.domain.deadlines import format_local
from tilskudd.domain.lines import APPLICATION_REQUIRED_FIELDS
from tilskudd.domain.submission import Problem
from tilskudd.rounds.models import LineKindChoices


def _field_label(model, name: str) -> str:
    if name == "criteria":
        return _("answers to all ten assessment criteria")
    if name == "amount_applied":
        return _("amount applied for")
    return str(model._meta.get_field(name).verbose_name)


def describe(problem: Problem, application, language: str) -> dict:
    """{'text': ..., 'href': ...} for one problem: what is wrong, and where to fix it."""
    from tilskudd.applications.models import Application, Line

    lines = {line.pk: line for line in application.lines.all()}
    href = None
    if problem.code == "wrong_office":
        text = _(
            "%(organisation)s belongs to another Statsforvalter office and cannot apply in this round. "
            "Apply in your own office's round."
        ) % {"organisation": application.organisation.name}
    elif problem.code == "deadline_passed":
        text = _("The deadline was %(deadline)s. Applications can no longer be submitted in this round.") % {
            "deadline": format_local(problem.params["deadline"], language)
        }
    elif problem.code == "report_missing":
        text = _(
            "The report on the grant from %(round)s has not been submitted. Report before applying again "
            "(“Det skal rapporteres på tilskudd før du søker på nytt”)."
        ) % {"round": problem.params["round"]}
        href = reverse("reporting:report_obligation", args=[problem.params["ref"]])
    elif problem.code == "line_kind_not_allowed":
        text = _("%(organisation)s may not apply for %(kind)s in this round.") % {
            "organisation": application.organisation.name,
            "kind": LineKindChoices(problem.params["kind"]).label,
        }
        href = reverse("applications:line_edit", args=[application.pk, problem.line_ref])
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
        href = reverse("applications:application_detail", args=[application.pk]) + "#application-form"
    elif problem.code == "line_incomplete":
        line = lines.get(problem.line_ref)
        names = ", ".join(_field_label(Line, n) for n in problem.fields)
        text = _("Priority %(rank)s “%(title)s” is missing: %(fields)s.") % {
            "rank": line.rank if line else "?",
            "title": str(line) if line else "",
            "fields": names,
        }
        href = reverse("applications:line_edit", args=[application.pk, problem.line_ref])
    else:  # pragma: no cover - a new code without words is a bug the tests catch
        raise ValueError(problem.code)
    return {"code": problem.code, "rule": problem.rule, "text": text, "href": href}
