"""Report problems (domain codes) in words: next to a web form field, or naming a workbook's sheet and cell."""

from django.utils.translation import gettext as _

from tilskudd.domain.money import format_kroner, format_number
from tilskudd.domain.reporting import LineProblem


def problem_text(problem: LineProblem, language: str = "nb") -> str:
    code, params = problem.code, problem.params
    if code == "negative":
        return _("The number cannot be negative.")
    if code == "too_many":
        return _("The number can be at most %(max)s.") % {"max": format_number(params["limit"], language)}
    if code == "too_large":
        return _("The amount can be at most %(max)s.") % {"max": format_kroner(params["limit"], language)}
    if code == "too_long":
        return _("Write at most %(max)s characters.") % {"max": params["limit"]}
    if code == "over_granted":
        return _("The amount cannot be more than was granted, %(granted)s.") % {
            "granted": format_kroner(params["granted"], language)
        }
    if code == "sum_mismatch":
        return _("Used and unused together must be what was granted, %(granted)s.") % {
            "granted": format_kroner(params["granted"], language)
        }
    if code == "choice_missing":
        return _("Choose whether to apply to carry the unused money over, or repay it.")
    if code == "reason_missing":
        return _("Give the reason for carrying the money over.")
    if code == "invalid_choice":
        return _("Choose one of the options in the list.")
    if code == "missing":
        return _("Fill in this field.")
    raise ValueError(code)  # pragma: no cover - a new code without words is a bug the tests catch
