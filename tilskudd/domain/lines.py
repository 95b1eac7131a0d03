"""The vocabulary of an application (SPEC "The application and its lines", seed 004).

Codes only: the Django layer gives them translated labels. Order matters where the
seed gives one (BPA training types are listed in priority order, R7).
"""

from dataclasses import dataclass
from enum import StrEnum

from tilskudd.domain.money import MAX_AMOUNT, AmountError


class ApplicantKind(StrEnum):
    KOMMUNE = "kommune"
    FYLKESKOMMUNE = "fylkeskommune"
    STATE = "state"


class LineKind(StrEnum):
    COMPETENCE = "competence"
    BPA = "bpa"
    INNOVATION = "innovation"


# R2: kommuner may apply for all three; fylkeskommuner and state recipients only for
# competence measures unless the round says otherwise.
DEFAULT_ALLOWED_LINE_KINDS: dict[str, list[str]] = {
    ApplicantKind.KOMMUNE: [LineKind.COMPETENCE, LineKind.BPA, LineKind.INNOVATION],
    ApplicantKind.FYLKESKOMMUNE: [LineKind.COMPETENCE],
    ApplicantKind.STATE: [LineKind.COMPETENCE],
}


class EducationType(StrEnum):
    UPPER_SECONDARY = "upper_secondary"  # videregående / fagbrev, incl. staff without formal training
    VOCATIONAL = "vocational"  # fagskole
    BACHELOR = "bachelor"
    FURTHER = "further"  # videreutdanning og master
    ABC = "abc"
    CONTINUING = "continuing"  # etterutdanning, internopplæring, kurs
    OTHER = "other"


class TargetGroup(StrEnum):
    LEADERS = "leaders"
    EMPLOYEES = "employees"
    RECRUITS = "recruits"
    OTHER_AGENCIES = "other_agencies"  # NAV, barnevern, barnehage, skole (psykisk helse og rus)


class BpaTrainingType(StrEnum):
    WORK_LEADERS = "work_leaders"  # brukere / arbeidsledere
    CASE_WORKERS = "case_workers"  # kommunens saksbehandlere
    ASSISTANTS = "assistants"


class Theme(StrEnum):
    PREVENTION = "prevention"
    LEISURE = "leisure"
    ACTIVITY_CULTURE = "activity_culture"
    NUTRITION = "nutrition"
    MEDICATION = "medication"
    REHABILITATION = "rehabilitation"
    RELATIVES_VOLUNTEERS = "relatives_volunteers"
    RESPITE = "respite"
    WELFARE_TECHNOLOGY = "welfare_technology"
    OTHER_NOVEL = "other_novel"


class Criterion(StrEnum):
    """The ten assessment criteria for innovation projects (seed 004), in the seed's order."""

    NEEDS = "needs"
    GOALS = "goals"
    ORGANISATION = "organisation"
    GAINS = "gains"
    ANCHORING = "anchoring"
    INVOLVEMENT = "involvement"
    IMPLEMENTATION = "implementation"
    METHOD = "method"
    NOVELTY = "novelty"
    EVALUATION = "evaluation"


# What a line must have before the application can be submitted. Drafts may lack any
# of it. "criteria" means an answer to every one of the ten criteria.
REQUIRED_FIELDS: dict[LineKind, tuple[str, ...]] = {
    LineKind.COMPETENCE: (
        "title",
        "education_type",
        "subject_field",
        "target_group",
        "employees_count",
        "amount_applied",
    ),
    LineKind.BPA: ("title", "bpa_training_type", "amount_per_person", "persons_count", "persons_untrained"),
    LineKind.INNOVATION: (
        "title",
        "purpose",
        "description",
        "themes",
        "amount_applied",
        "dissemination",
        "criteria",
    ),
}

APPLICATION_REQUIRED_FIELDS = ("contact_name", "contact_email", "leader_name", "leader_title")


def missing_fields(kind: LineKind, values: dict[str, object]) -> list[str]:
    """The required fields of a line that are empty (None, '', [] or, for criteria, any unanswered)."""
    missing = []
    for name in REQUIRED_FIELDS[LineKind(kind)]:
        if name == "criteria":
            answers = values.get("criteria_answers") or {}
            if any(not str(answers.get(c, "")).strip() for c in Criterion):
                missing.append(name)
            continue
        value = values.get(name)
        if value is None or value == "" or value == []:
            missing.append(name)
    return missing


# Counts on a line. The largest kommune (Oslo) employs some 50 000 people; BPA training
# reaches tens or hundreds of persons. Beyond these a number is a typing error, and with
# them every product and sum stays far inside 64 bits.
MAX_EMPLOYEES = 100_000
MAX_PERSONS = 10_000
MAX_BUDGET_ITEMS = 200

COUNT_LIMITS: dict[str, int] = {
    "employees_count": MAX_EMPLOYEES,
    "persons_count": MAX_PERSONS,
    "persons_untrained": MAX_PERSONS,
}


def bpa_amount(amount_per_person: int | None, persons_count: int | None) -> int:
    """BPA: amount applied = amount per person × number of persons (integer kroner).

    Never more than MAX_AMOUNT: factors or a product beyond it raise AmountError("too_large"),
    so no caller can store or sum an amount that overflows a 64-bit column.
    """
    if amount_per_person is None or persons_count is None:
        return 0
    if amount_per_person < 0 or persons_count < 0:
        raise AmountError("negative", f"{amount_per_person} × {persons_count}")
    if amount_per_person > MAX_AMOUNT or persons_count > MAX_PERSONS:
        raise AmountError("too_large", f"{amount_per_person} × {persons_count}")
    amount = amount_per_person * persons_count
    if amount > MAX_AMOUNT:
        raise AmountError("too_large", f"{amount_per_person} × {persons_count}")
    return amount


def line_ceiling(round_funds: int) -> int:
    """The most one line may ask for: the round's whole budget, and never more than MAX_AMOUNT.

    A round whose funds are not set yet (0) does not lower the ceiling.
    """
    return min(round_funds, MAX_AMOUNT) if round_funds > 0 else MAX_AMOUNT


@dataclass(frozen=True)
class OutOfBounds:
    """One value outside its bounds. ``field`` is a line field, or "amount" for a BPA line's product."""

    field: str
    code: str  # "negative" | "too_large" (amounts) | "too_many" (counts)
    limit: int
    value: int


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def line_out_of_bounds(
    kind: LineKind, values: dict[str, object], ceiling: int = MAX_AMOUNT
) -> list[OutOfBounds]:
    """Every amount and count of a line that is negative or above its ceiling; empty fields are fine.

    The amount applied for (or, for BPA, per person and per person × persons) may not exceed
    ``ceiling`` (see line_ceiling); own financing is the applicant's money and only has MAX_AMOUNT.
    """
    found: list[OutOfBounds] = []
    limits = {
        **COUNT_LIMITS,
        "amount_applied": ceiling,
        "amount_per_person": ceiling,
        "own_financing": MAX_AMOUNT,
    }
    if LineKind(kind) == LineKind.BPA:
        del limits["amount_applied"]  # derived from the two below
    for name, limit in limits.items():
        value = values.get(name)
        if not _is_number(value):
            continue
        if value < 0:
            found.append(OutOfBounds(name, "negative", 0, value))
        elif value > limit:
            found.append(OutOfBounds(name, "too_many" if name in COUNT_LIMITS else "too_large", limit, value))
    if LineKind(kind) == LineKind.BPA and not found and (amount := line_amount(kind, values)) > ceiling:
        found.append(OutOfBounds("amount", "too_large", ceiling, amount))
    return found


def line_amount(kind: LineKind, values: dict[str, object]) -> int:
    """The amount a line asks for, computed without limits (for checking, not for storing)."""
    if LineKind(kind) == LineKind.BPA:
        per_person, persons = values.get("amount_per_person"), values.get("persons_count")
        return per_person * persons if _is_number(per_person) and _is_number(persons) else 0
    amount = values.get("amount_applied")
    return amount if _is_number(amount) else 0
