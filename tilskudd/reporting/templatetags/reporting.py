"""Labels for a report line's stored codes, and its reported values in words (read-only view)."""

from django import template
from django.utils.translation import get_language

from tilskudd.applications.models import BpaTrainingTypeChoices, EducationTypeChoices
from tilskudd.domain.money import format_kroner, format_number
from tilskudd.reporting.forms import KIND_FIELDS, LABELS, MONEY
from tilskudd.reporting.models import InnovationStatusChoices, UnusedChoiceChoices
from tilskudd.rounds.models import LineKindChoices, ThemeChoices

register = template.Library()

_CHOICES = {
    "bpa_training_type": BpaTrainingTypeChoices,
    "innovation_status": InnovationStatusChoices,
    "unused_choice": UnusedChoiceChoices,
}


@register.filter
def line_kind_label(line) -> str:
    return str(LineKindChoices(line.kind).label) if line.kind in LineKindChoices.values else line.kind


@register.filter
def education_label(line) -> str:
    value = line.education_type
    return str(EducationTypeChoices(value).label) if value in EducationTypeChoices.values else value


@register.filter
def theme_labels(line) -> list[str]:
    return [str(ThemeChoices(t).label) for t in line.themes or [] if t in ThemeChoices.values]


def value_in_words(name: str, value, language: str) -> str:
    if value is None or value == "":
        return ""
    if name in _CHOICES:
        choices = _CHOICES[name]
        return str(choices(value).label) if value in choices.values else str(value)
    if name in ("used", "unused"):
        return format_kroner(value, language)
    if isinstance(value, int):
        return format_number(value, language)
    return str(value)


@register.filter
def reported_values(line) -> list[tuple[str, str]]:
    language = get_language() or "nb"
    return [
        (str(LABELS[name]), value_in_words(name, getattr(line, name), language))
        for name in (*KIND_FIELDS[line.kind], *MONEY)
    ]
