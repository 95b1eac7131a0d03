"""The kinds of case-log entry, declared by each stage in its own ``events.py``.

A stage adds kinds without touching this app or migrating: the code is stored as
text, and the label and who may see it come from the declaration.

    SUBMITTED = kind("submitted", _("submitted"), visible_to_applicant=True)
"""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise | str
    # Entries the applicant may read on their own case. Internal steps (assessment,
    # a prepared but unapproved decision, overrides) are not.
    visible_to_applicant: bool = False

    def __str__(self) -> str:
        return self.code


_REGISTRY: dict[str, Kind] = {}


def kind(code: str, label, *, visible_to_applicant: bool = False) -> Kind:
    declared = Kind(code, label, visible_to_applicant)
    existing = _REGISTRY.get(code)
    if existing is not None and existing != declared:
        raise ValueError(f"case-log kind {code!r} is declared twice, differently")
    _REGISTRY[code] = declared
    return declared


def label(code: str) -> str:
    declared = _REGISTRY.get(code)
    return str(declared.label) if declared else code
