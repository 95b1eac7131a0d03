"""What changed, as before → after pairs the case log can store and show."""

from datetime import date, datetime
from enum import Enum

LONG_TEXT = 300


def _plain(value):
    """A JSON-safe, readable form of a field's value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return value[:LONG_TEXT] + "…"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: dict, after: dict, labels: dict | None = None) -> list[dict]:
    """Every field whose value differs, with its label: ``[{"field", "label", "before", "after"}]``."""
    labels = labels or {}
    changed = []
    for name, new in after.items():
        old = before.get(name)
        if _plain(old) != _plain(new) and not (old in (None, "") and new in (None, "")):
            changed.append(
                {
                    "field": name,
                    "label": str(labels.get(name, name)),
                    "before": _plain(old),
                    "after": _plain(new),
                }
            )
    return changed


def values_of(instance, names) -> dict:
    """The fields' values as a person reads them: a choice field gives its label, not its code."""
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices and value not in (None, ""):
            value = str(dict(field.flatchoices).get(value, value))
        values[name] = value
    return values


def labels_of(model, names) -> dict:
    fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    return {name: fields[name].verbose_name for name in names if name in fields}
