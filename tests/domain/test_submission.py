"""The submission rules as plain functions (R2, R4, R5, R6, R1 limits)."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilskudd.domain.deadlines import deadline_on, oslo
from tilskudd.domain.lines import (
    DEFAULT_ALLOWED_LINE_KINDS,
    Criterion,
    LineKind,
    bpa_amount,
    line_amount,
    line_ceiling,
    line_out_of_bounds,
    missing_fields,
)
from tilskudd.domain.money import MAX_AMOUNT, AmountError
from tilskudd.domain.submission import LineFacts, SubmissionFacts, UnreportedAward, check_submission

COMPLETE = {
    LineKind.COMPETENCE: {
        "title": "Videreutdanning",
        "education_type": "further",
        "subject_field": "Demens",
        "target_group": "employees",
        "employees_count": 3,
        "amount_applied": 60_000,
    },
    LineKind.BPA: {
        "title": "BPA",
        "bpa_training_type": "work_leaders",
        "amount_per_person": 5_000,
        "persons_count": 8,
        "persons_untrained": 0,
    },
    LineKind.INNOVATION: {
        "title": "Avlastning",
        "purpose": "p",
        "description": "d",
        "themes": ["respite"],
        "amount_applied": 1,
        "dissemination": "x",
        "criteria_answers": {c.value: "svar" for c in Criterion},
    },
}
DEADLINE = deadline_on(date(2027, 3, 1))


def facts(**overrides) -> SubmissionFacts:
    values = {
        "applicant_kind": "kommune",
        "allowed_line_kinds": DEFAULT_ALLOWED_LINE_KINDS,
        "line_limits": {},
        "deadline": DEADLINE,
        "now": DEADLINE - timedelta(days=1),
        "extension_until": None,
        "unreported": (),
        "application_values": {
            "contact_name": "K",
            "contact_email": "k@x",
            "leader_name": "L",
            "leader_title": "T",
        },
        "lines": tuple(LineFacts(i, kind, COMPLETE[kind]) for i, kind in enumerate(LineKind, start=1)),
    }
    values.update(overrides)
    return SubmissionFacts(**values)


def codes(f) -> list[str]:
    return [p.code for p in check_submission(f)]


def test_a_complete_application_on_time_may_be_submitted():
    assert check_submission(facts()) == []


def test_R5_late_unless_extended():
    late = oslo(datetime(2027, 3, 2, 0, 0))
    assert codes(facts(now=late)) == ["deadline_passed"]
    assert codes(facts(now=late, extension_until=late + timedelta(hours=1))) == []


def test_R4_each_missing_report_is_named():
    problems = check_submission(
        facts(unreported=(UnreportedAward(7, "Trøndelag 2026"), UnreportedAward(8, "Trøndelag 2025")))
    )
    assert [(p.code, p.params["round"]) for p in problems] == [
        ("report_missing", "Trøndelag 2026"),
        ("report_missing", "Trøndelag 2025"),
    ]


def test_R2_fylkeskommune_and_state_only_competence_by_default():
    for kind in ("fylkeskommune", "state"):
        problems = check_submission(facts(applicant_kind=kind))
        assert sorted((p.code, p.params.get("kind")) for p in problems) == [
            ("line_kind_not_allowed", "bpa"),
            ("line_kind_not_allowed", "innovation"),
        ]


def test_R1_limits_per_applicant():
    lines = tuple(LineFacts(i, LineKind.INNOVATION, COMPLETE[LineKind.INNOVATION]) for i in range(6))
    assert codes(facts(lines=lines, line_limits={"innovation": 5})) == ["line_limit_exceeded"]
    assert codes(facts(lines=lines[:5], line_limits={"innovation": 5})) == []


def test_R6_needs_lines_and_anchoring():
    assert codes(facts(lines=())) == ["no_lines"]
    problems = check_submission(facts(application_values={"contact_name": "K"}))
    assert [(p.code, p.fields) for p in problems] == [
        ("application_incomplete", ("contact_email", "leader_name", "leader_title"))
    ]


def test_innovation_needs_an_answer_to_every_criterion():
    answers = {c.value: "svar" for c in Criterion}
    answers["evaluation"] = "  "
    assert missing_fields(
        LineKind.INNOVATION, {**COMPLETE[LineKind.INNOVATION], "criteria_answers": answers}
    ) == ["criteria"]


@given(st.integers(0, 10**6), st.integers(0, 10**4))
def test_bpa_amount_is_the_product(per_person, persons):
    if per_person * persons <= MAX_AMOUNT:
        assert bpa_amount(per_person, persons) == per_person * persons
    else:  # never an amount above the ceiling (issue 9)
        with pytest.raises(AmountError):
            bpa_amount(per_person, persons)


@given(st.permutations(list(LineKind)))
def test_problems_do_not_depend_on_line_order(order):
    lines = tuple(LineFacts(i, kind, {}) for i, kind in enumerate(order, start=1))
    base = sorted(
        (p.code, p.line_ref) for p in check_submission(facts(applicant_kind="fylkeskommune", lines=lines))
    )
    again = sorted(
        (p.code, p.line_ref)
        for p in check_submission(facts(applicant_kind="fylkeskommune", lines=lines[::-1]))
    )
    assert base == again


# --- Bounds (issue 9): nothing absurd gets into a frozen application --------------------------------------


def test_submission_refuses_lines_out_of_bounds_and_an_application_above_a_milliard():
    absurd = {**COMPLETE[LineKind.BPA], "amount_per_person": 10**12, "persons_count": 10**6}
    problems = check_submission(facts(lines=(LineFacts(1, LineKind.BPA, absurd),)))
    assert [(p.code, p.line_ref, p.fields) for p in problems] == [
        ("line_out_of_bounds", 1, ("persons_count", "amount_per_person"))
    ]
    big = {**COMPLETE[LineKind.COMPETENCE], "amount_applied": 600_000_000}
    two = (LineFacts(1, LineKind.COMPETENCE, big), LineFacts(2, LineKind.COMPETENCE, big))
    assert codes(facts(lines=two)) == ["application_total_too_large"]
    assert codes(facts(lines=two[:1], line_ceiling=500_000_000)) == ["line_out_of_bounds"]


@given(
    st.sampled_from(list(LineKind)),
    st.fixed_dictionaries(
        {
            "amount_applied": st.integers(0, 10**19),
            "amount_per_person": st.integers(0, 10**19),
            "persons_count": st.integers(0, 10**8),
            "employees_count": st.integers(0, 10**8),
        }
    ),
    st.integers(0, 10**12),
)
def test_a_line_within_its_bounds_never_asks_for_more_than_its_ceiling(kind, values, funds):
    ceiling = line_ceiling(funds)
    assert ceiling <= MAX_AMOUNT
    if not line_out_of_bounds(kind, values, ceiling):
        assert line_amount(kind, values) <= ceiling
