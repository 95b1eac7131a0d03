"""R7: the priority tier of a line (SPEC "Assessment", seed 004 with seeds 000–003).

Tier 1 is the highest priority, tier 3 the lowest. The tier is derived in two steps,
both written as tables below so that they can be read (and changed) as data:

1. The line itself (``BASE_RULES``):

   ========== =================================================== ==== ==================
   kind       condition                                           tier reason
   ========== =================================================== ==== ==================
   competence education type upper_secondary, vocational,         1    formal_education
              bachelor or further (basic and further education)
   competence mental health and substance abuse flagged           1    mental_health
   competence ABC (state-initiated programme)                     2    state_programme
   competence continuing education, in-house training, courses    2    continuing_education
   competence other competence measures                           3    other_competence
   bpa        users / work leaders                                1    bpa_work_leaders
   bpa        the kommune's case workers                          2    bpa_case_workers
   bpa        assistants                                          3    bpa_assistants
   innovation a theme the round prioritises (e.g. respite)        1    prioritised_theme
   innovation any other theme                                     2    innovation
   ========== =================================================== ==== ==================

   A competence line both formal and mental health gets both reasons. A line whose
   education or training type is not filled in yet is read as the lowest of its kind.

2. The kommune's status for the year, recorded by the office (``STATUS_LIFTS``):
   a kommune that fulfils the "Leve hele livet" criteria lifts every line one tier
   (reason ``leve_hele_livet``); a kommune the office judges particularly in need of
   qualifying staff lifts its competence lines one tier (``needs_qualification``).
   Lifts add up but never go above tier 1; the reason is given whenever the rule
   applies. An unknown status (``""`` or no status at all) changes nothing.

The tier is a proposal: the case officer may still use discretion (seed 002).
"""

from dataclasses import dataclass

from tilskudd.domain.lines import BpaTrainingType, EducationType, LineKind

HIGHEST_TIER = 1
LOWEST_TIER = 3


@dataclass(frozen=True)
class KommuneStatus:
    """What the office records about a kommune for the year."""

    leve_hele_livet: str  # "fulfils" | "partly" | "not" | "" (unknown)
    needs_qualification: bool


@dataclass(frozen=True)
class TierResult:
    tier: int
    reasons: tuple[str, ...]  # reason codes, see REASONS


# Competence: education type -> (tier, reason).
COMPETENCE_TIERS: dict[str, tuple[int, str]] = {
    EducationType.UPPER_SECONDARY: (1, "formal_education"),
    EducationType.VOCATIONAL: (1, "formal_education"),
    EducationType.BACHELOR: (1, "formal_education"),
    EducationType.FURTHER: (1, "formal_education"),
    EducationType.ABC: (2, "state_programme"),
    EducationType.CONTINUING: (2, "continuing_education"),
    EducationType.OTHER: (3, "other_competence"),
}
MENTAL_HEALTH_TIER = (1, "mental_health")

# BPA: training type -> (tier, reason), in the seed's priority order.
BPA_TIERS: dict[str, tuple[int, str]] = {
    BpaTrainingType.WORK_LEADERS: (1, "bpa_work_leaders"),
    BpaTrainingType.CASE_WORKERS: (2, "bpa_case_workers"),
    BpaTrainingType.ASSISTANTS: (3, "bpa_assistants"),
}

# Innovation: whether any theme is one the round prioritises -> (tier, reason).
INNOVATION_TIERS: dict[bool, tuple[int, str]] = {
    True: (1, "prioritised_theme"),
    False: (2, "innovation"),
}

# The kommune's status: (rule, line kinds it applies to (None: all), reason). Each lifts one tier.
STATUS_LIFTS: tuple[tuple[str, frozenset[str] | None, str], ...] = (
    ("leve_hele_livet", None, "leve_hele_livet"),
    ("needs_qualification", frozenset({LineKind.COMPETENCE}), "needs_qualification"),
)


def _status_applies(rule: str, status: KommuneStatus) -> bool:
    if rule == "leve_hele_livet":
        return status.leve_hele_livet == "fulfils"
    if rule == "needs_qualification":
        return bool(status.needs_qualification)
    raise ValueError(f"unknown status rule {rule!r}")


def _base_tier(kind: str, values: dict, round_priorities: frozenset[str]) -> tuple[int, tuple[str, ...]]:
    if kind == LineKind.COMPETENCE:
        found = [COMPETENCE_TIERS.get(values.get("education_type") or "", COMPETENCE_TIERS["other"])]
        if values.get("mental_health"):
            found.append(MENTAL_HEALTH_TIER)
        tier = min(t for t, _ in found)
        return tier, tuple(dict.fromkeys(reason for _, reason in found))
    if kind == LineKind.BPA:
        tier, reason = BPA_TIERS.get(values.get("bpa_training_type") or "", BPA_TIERS["assistants"])
        return tier, (reason,)
    if kind == LineKind.INNOVATION:
        themes = set(values.get("themes") or ())
        tier, reason = INNOVATION_TIERS[bool(themes & round_priorities)]
        return tier, (reason,)
    raise ValueError(f"unknown line kind {kind!r}")


def priority_tier(
    *,
    kind: str,
    values: dict,
    status: KommuneStatus | None,
    round_priorities: frozenset[str] = frozenset(),
) -> TierResult:
    """The R7 tier of one line (1 highest, 3 lowest) with the reason codes that led to it.

    ``values`` are the line's fields as in lines.REQUIRED_FIELDS (``education_type``,
    ``mental_health``, ``bpa_training_type``, ``themes``); ``round_priorities`` the
    themes the round prioritises, e.g. ``frozenset({"respite"})``.
    """
    tier, reasons = _base_tier(kind, values, frozenset(round_priorities))
    if status is not None:
        for rule, kinds, reason in STATUS_LIFTS:
            if (kinds is None or kind in kinds) and _status_applies(rule, status):
                tier = max(HIGHEST_TIER, tier - 1)
                reasons += (reason,)
    return TierResult(tier=tier, reasons=reasons)


REASONS: dict[str, dict[str, str]] = {
    "formal_education": {
        "nb": "Formell utdanning (grunn- eller videreutdanning) prioriteres.",
        "nn": "Formell utdanning (grunn- eller vidareutdanning) vert prioritert.",
        "en": "Formal education (basic or further education) is prioritised.",
    },
    "mental_health": {
        "nb": "Kompetansetiltak innen psykisk helse og rus prioriteres.",
        "nn": "Kompetansetiltak innan psykisk helse og rus vert prioriterte.",
        "en": "Competence measures in mental health and substance abuse are prioritised.",
    },
    "state_programme": {
        "nb": "ABC-opplæring er et statlig initiert program og har middels prioritet.",
        "nn": "ABC-opplæring er eit statleg initiert program og har middels prioritet.",
        "en": "ABC training is a state-initiated programme and has medium priority.",
    },
    "continuing_education": {
        "nb": "Etterutdanning, internopplæring og kurs har middels prioritet.",
        "nn": "Etterutdanning, internopplæring og kurs har middels prioritet.",
        "en": "Continuing education, in-house training and courses have medium priority.",
    },
    "other_competence": {
        "nb": "Andre kompetansetiltak har lavest prioritet.",
        "nn": "Andre kompetansetiltak har lågast prioritet.",
        "en": "Other competence measures have the lowest priority.",
    },
    "bpa_work_leaders": {
        "nb": "BPA-opplæring for brukere og arbeidsledere har høyest prioritet.",
        "nn": "BPA-opplæring for brukarar og arbeidsleiarar har høgast prioritet.",
        "en": "BPA training for users and work leaders has the highest priority.",
    },
    "bpa_case_workers": {
        "nb": "BPA-opplæring for kommunens saksbehandlere har nest høyest prioritet.",
        "nn": "BPA-opplæring for sakshandsamarane i kommunen har nest høgast prioritet.",
        "en": "BPA training for the kommune's case workers has the second highest priority.",
    },
    "bpa_assistants": {
        "nb": "BPA-opplæring for assistenter har lavest prioritet.",
        "nn": "BPA-opplæring for assistentar har lågast prioritet.",
        "en": "BPA training for assistants has the lowest priority.",
    },
    "prioritised_theme": {
        "nb": "Prosjektet gjelder et tema som runden prioriterer.",
        "nn": "Prosjektet gjeld eit tema som runden prioriterer.",
        "en": "The project concerns a theme the round prioritises.",
    },
    "innovation": {
        "nb": "Innovasjonsprosjekt innen ordningens temaer.",
        "nn": "Innovasjonsprosjekt innan temaa i ordninga.",
        "en": "Innovation project within the themes of the scheme.",
    },
    "leve_hele_livet": {
        "nb": "Kommunen oppfyller kriteriene for Leve hele livet og prioriteres.",
        "nn": "Kommunen oppfyller kriteria for Leve heile livet og vert prioritert.",
        "en": "The kommune fulfils the Leve hele livet criteria and is prioritised.",
    },
    "needs_qualification": {
        "nb": "Kommunen har særlig behov for å kvalifisere ansatte.",
        "nn": "Kommunen har særleg behov for å kvalifisere tilsette.",
        "en": "The kommune has a particular need to qualify its staff.",
    },
}


def describe_reason(code: str, language: str = "nb") -> str:
    """A short plain-language sentence for a reason code, in "nb", "nn" or "en" (default "nb").

    An unknown code is returned as it is, so that a new code shows up rather than crashes.
    """
    texts = REASONS.get(code)
    if texts is None:
        return code
    return texts.get(language, texts["nb"])
