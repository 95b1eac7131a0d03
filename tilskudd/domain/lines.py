"""The vocabulary of an application (SPEC "The application and its lines", seed 004).

Codes only: the Django layer gives them translated labels. Order matters where the
seed gives one (BPA training types are listed in priority order, R7).
"""

from enum import StrEnum


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


def bpa_amount(amount_per_person: int | None, persons_count: int | None) -> int:
    """BPA: amount applied = amount per person × number of persons (integer kroner)."""
    if amount_per_person is None or persons_count is None:
        return 0
    return amount_per_person * persons_count
