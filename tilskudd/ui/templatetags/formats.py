"""Amounts and times the Norwegian way, in the active language: ``{{ amount|kroner }}``, ``{{ moment|oslo }}``."""

from django import template
from django.utils.translation import get_language

from tilskudd.domain.deadlines import format_day, format_local
from tilskudd.domain.identifiers import format_kontonummer
from tilskudd.domain.money import format_kroner, format_number

register = template.Library()


@register.filter
def kroner(amount):
    if amount is None or amount == "":
        return "–"
    return format_kroner(int(amount), get_language() or "nb")


@register.filter
def number(amount):
    if amount is None or amount == "":
        return "–"
    return format_number(int(amount), get_language() or "nb")


@register.filter
def oslo(moment):
    if not moment:
        return ""
    return format_local(moment, get_language() or "nb")


@register.filter
def day(value):
    """A date as a day in the active language: ``1. februar 2028``."""
    if not value:
        return ""
    return format_day(value, get_language() or "nb")


@register.filter
def percent(ratio):
    if ratio is None:
        return "–"
    return f"{round(ratio * 100)} %"


@register.filter
def kontonummer(value):
    """``12345678903`` -> ``1234 56 78903``, as banks print account numbers."""
    return format_kontonummer(value or "")
