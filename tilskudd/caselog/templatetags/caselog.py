"""``{{ value|logvalue }}``: a before or after value of the case log as a person reads it."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tilskudd.domain.money import format_number

register = template.Library()


@register.filter
def logvalue(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, int):
        return format_number(value, get_language() or "nb")
    if isinstance(value, list):
        return ", ".join(logvalue(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {logvalue(v)}" for k, v in value.items())
    return str(value)
