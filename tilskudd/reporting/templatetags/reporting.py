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


class Words:
    """The labels of a report's codes in the active language, each translated once for a page (a report
    has a dozen lines of about seven values each) rather than once per value."""

    def __init__(self, language: str | None = None):
        self.language = language or get_language() or "nb"
        self.labels = {name: str(label) for name, label in LABELS.items()}
        self.kinds = _labels(LineKindChoices)
        self.education = _labels(EducationTypeChoices)
        self.themes = _labels(ThemeChoices)
        self.choices = {name: _labels(choices) for name, choices in _CHOICES.items()}


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


@register.filter
def line_kind_label(line, words: Words | None = None) -> str:
    return (words or Words()).kinds.get(line.kind, line.kind)


@register.filter
def education_label(line, words: Words | None = None) -> str:
    value = line.education_type
    return (words or Words()).education.get(value, value)


@register.filter
def theme_labels(line, words: Words | None = None) -> list[str]:
    labels = (words or Words()).themes
    return [labels[t] for t in line.themes or [] if t in labels]


def value_in_words(name: str, value, language: str, words: Words | None = None) -> str:
    if value is None or value == "":
        return ""
    if name in _CHOICES:
        labels = words.choices[name] if words else _labels(_CHOICES[name])
        return labels.get(value, str(value))
    if name in ("used", "unused"):
        return format_kroner(value, language)
    if isinstance(value, int):
        return format_number(value, language)
    return str(value)


@register.filter
def reported_values(line, words: Words | None = None) -> list[tuple[str, str]]:
    words = words or Words()
    return [
        (words.labels[name], value_in_words(name, getattr(line, name), words.language, words))
        for name in (*KIND_FIELDS[line.kind], *MONEY)
    ]
