"""R7: priority tiers from the line and the kommune's status, with reasons in plain language."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.domain.lines import BpaTrainingType, EducationType, LineKind, Theme
from tilskudd.domain.priorities import REASONS, KommuneStatus, TierResult, describe_reason, priority_tier

UNKNOWN = KommuneStatus(leve_hele_livet="", needs_qualification=False)
FULFILS = KommuneStatus(leve_hele_livet="fulfils", needs_qualification=False)
NEEDS_QUALIFICATION = KommuneStatus(leve_hele_livet="", needs_qualification=True)
BOTH = KommuneStatus(leve_hele_livet="fulfils", needs_qualification=True)


@pytest.mark.parametrize(
    ("values", "tier", "reasons"),
    [
        ({"education_type": "upper_secondary"}, 1, ("formal_education",)),
        ({"education_type": "vocational"}, 1, ("formal_education",)),
        ({"education_type": "bachelor"}, 1, ("formal_education",)),
        ({"education_type": "further"}, 1, ("formal_education",)),
        ({"education_type": "abc"}, 2, ("state_programme",)),
        ({"education_type": "continuing"}, 2, ("continuing_education",)),
        ({"education_type": "other"}, 3, ("other_competence",)),
        ({"education_type": "other", "mental_health": True}, 1, ("other_competence", "mental_health")),
        ({"education_type": "further", "mental_health": True}, 1, ("formal_education", "mental_health")),
        ({"education_type": "continuing", "mental_health": False}, 2, ("continuing_education",)),
        ({}, 3, ("other_competence",)),  # not filled in yet: the lowest
    ],
)
def test_R7_competence(values, tier, reasons):
    assert priority_tier(kind="competence", values=values, status=None) == TierResult(tier, reasons)


@pytest.mark.parametrize(
    ("training", "tier", "reason"),
    [
        ("work_leaders", 1, "bpa_work_leaders"),
        ("case_workers", 2, "bpa_case_workers"),
        ("assistants", 3, "bpa_assistants"),
    ],
)
def test_R7_bpa_in_the_seeds_order(training, tier, reason):
    result = priority_tier(kind="bpa", values={"bpa_training_type": training}, status=UNKNOWN)
    assert result == TierResult(tier, (reason,))


def test_R7_innovation_prioritised_theme_when_the_round_says_so():
    values = {"themes": ["respite", "prevention"]}
    assert priority_tier(kind="innovation", values=values, status=None) == TierResult(2, ("innovation",))
    prioritised = priority_tier(
        kind="innovation", values=values, status=None, round_priorities=frozenset({"respite"})
    )
    assert prioritised == TierResult(1, ("prioritised_theme",))
    other = priority_tier(
        kind="innovation",
        values={"themes": ["nutrition"]},
        status=None,
        round_priorities=frozenset({"respite"}),
    )
    assert other.tier == 2


def test_R7_leve_hele_livet_lifts_every_kind_one_tier():
    assert priority_tier(
        kind="bpa", values={"bpa_training_type": "assistants"}, status=FULFILS
    ) == TierResult(2, ("bpa_assistants", "leve_hele_livet"))
    innovation = priority_tier(kind="innovation", values={"themes": ["nutrition"]}, status=FULFILS)
    assert innovation == TierResult(1, ("innovation", "leve_hele_livet"))


def test_R7_lifts_never_go_above_tier_1():
    result = priority_tier(kind="competence", values={"education_type": "bachelor"}, status=BOTH)
    assert result == TierResult(1, ("formal_education", "leve_hele_livet", "needs_qualification"))


def test_R7_needs_qualification_lifts_competence_only():
    competence = priority_tier(
        kind="competence", values={"education_type": "other"}, status=NEEDS_QUALIFICATION
    )
    assert competence == TierResult(2, ("other_competence", "needs_qualification"))
    bpa = priority_tier(kind="bpa", values={"bpa_training_type": "assistants"}, status=NEEDS_QUALIFICATION)
    assert bpa == TierResult(3, ("bpa_assistants",))


def test_R7_both_lifts_add_up():
    result = priority_tier(kind="competence", values={"education_type": "other"}, status=BOTH)
    assert result.tier == 1


@pytest.mark.parametrize("leve_hele_livet", ["", "partly", "not"])
def test_R7_unknown_or_partial_status_changes_nothing(leve_hele_livet):
    status = KommuneStatus(leve_hele_livet=leve_hele_livet, needs_qualification=False)
    values = {"education_type": "abc"}
    assert priority_tier(kind="competence", values=values, status=status) == priority_tier(
        kind="competence", values=values, status=None
    )


def test_R7_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        priority_tier(kind="travel", values={}, status=None)


@given(
    kind=st.sampled_from(list(LineKind)),
    education=st.sampled_from([*EducationType, None]),
    training=st.sampled_from([*BpaTrainingType, None]),
    themes=st.lists(st.sampled_from(list(Theme)), max_size=3),
    mental_health=st.booleans(),
    priorities=st.frozensets(st.sampled_from(list(Theme)), max_size=2),
    leve_hele_livet=st.sampled_from(["fulfils", "partly", "not", ""]),
    needs_qualification=st.booleans(),
)
def test_R7_every_line_gets_a_tier_from_1_to_3_with_described_reasons(
    kind, education, training, themes, mental_health, priorities, leve_hele_livet, needs_qualification
):
    values = {
        "education_type": education,
        "bpa_training_type": training,
        "themes": themes,
        "mental_health": mental_health,
    }
    status = KommuneStatus(leve_hele_livet, needs_qualification)
    result = priority_tier(kind=kind, values=values, status=status, round_priorities=priorities)
    assert 1 <= result.tier <= 3
    assert result.reasons
    assert all(code in REASONS for code in result.reasons)
    # A status never makes a line worse.
    assert (
        result.tier <= priority_tier(kind=kind, values=values, status=None, round_priorities=priorities).tier
    )


@pytest.mark.parametrize("code", sorted(REASONS))
def test_R7_every_reason_reads_in_three_languages(code):
    sentences = {language: describe_reason(code, language) for language in ("nb", "nn", "en")}
    assert all(sentence.endswith(".") for sentence in sentences.values())
    assert describe_reason(code) == sentences["nb"]
    assert sentences["nb"] != sentences["en"]


def test_R7_describe_reason_examples():
    assert (
        describe_reason("bpa_work_leaders")
        == "BPA-opplæring for brukere og arbeidsledere har høyest prioritet."
    )
    assert (
        describe_reason("mental_health", "nn")
        == "Kompetansetiltak innan psykisk helse og rus vert prioriterte."
    )
    assert describe_reason("leve_hele_livet", "en").startswith("The kommune fulfils")
    assert describe_reason("no_such_code") == "no_such_code"
