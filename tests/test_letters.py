"""The decision letter: award letter (tildelingsbrev) and refusal letter (avslagsbrev) as PDF/A.

Translations of the letter's prose may not be in the catalogue yet, so these tests
assert on data (names, amounts, the case number, the stored appeal sentence), never
on translated sentences. The PDF text extractor is the one from the receipt tests.
"""

import re
import zlib
from datetime import date

import pytest
from django.utils import translation
from django.utils.html import escape

from tests.factories import close_call, make_round, submitted_application
from tests.test_receipts import normalise, pdf_info, pdf_objects_text, pdf_text
from tilskudd.assessment import services as assessment
from tilskudd.decisions import services as decisions
from tilskudd.decisions.letters import (
    format_day,
    letter_html,
    letter_language,
    render_letter_pdf,
    report_deadline_for,
)
from tilskudd.decisions.models import Decision, Outcome
from tilskudd.domain.deadlines import OSLO, deadline_on
from tilskudd.domain.money import format_kroner

pytestmark = pytest.mark.django_db

TITLES = ("Videreutdanning psykisk helse", "Opplæring av arbeidsledere", "Fleksibel avlastning for pårørende")
OFFICE = "Statsforvalteren i Trøndelag"


def decide(cast, *, approve=True, **round_fields) -> Decision:
    round_fields.setdefault("carried_over_funds", 0)
    round = make_round(cast.office_t, **round_fields)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=cast.officer_t)
    decision = Decision.objects.get(application=application)
    if approve:
        decision = decisions.approve(decision=decision, by=cast.approver_t)
    return Decision.objects.get(pk=decision.pk)


def xmp(pdf: bytes) -> bytes:
    """The XMP metadata packet, whether WeasyPrint compressed its stream or not."""
    for match in re.finditer(rb"<<[^>]*?/Type /Metadata.*?>>\s*stream\r?\n", pdf, re.S):
        head = match.group(0)
        length = int(re.search(rb"/Length (\d+)", head)[1])
        data = pdf[match.end() : match.end() + length]
        return zlib.decompress(data) if b"/FlateDecode" in head else data
    raise AssertionError("no XMP metadata stream")


@pytest.fixture
def award(cast) -> Decision:
    return decide(cast, fresh_funds=36_110_000)


@pytest.fixture
def refusal(cast) -> Decision:
    return decide(cast, fresh_funds=0)


# --- The award letter -------------------------------------------------------------


def test_the_award_letter_names_organisation_office_case_number_and_leader(award, cast):
    text = pdf_text(render_letter_pdf(award))
    assert cast.kommune_a.name in text
    assert OFFICE in text
    assert award.application.case_number in text
    assert "Leif Leder" in text
    assert "Kommunedirektør" in text


def test_the_award_letter_lists_every_line_with_applied_and_granted_and_the_totals(award):
    lines = list(award.lines.order_by("rank"))
    assert [line.title for line in lines] == list(TITLES)
    assert award.outcome == Outcome.GRANTED and award.granted == 850_000

    text = pdf_text(render_letter_pdf(award))
    positions = [text.index(title) for title in TITLES]
    assert positions == sorted(positions)
    for line in lines:
        assert normalise(format_kroner(line.applied)) in text
        assert normalise(format_kroner(line.granted)) in text
    # the total row: applied, then granted
    assert f"{normalise(format_kroner(award.applied))} {normalise(format_kroner(award.granted))}" in text


def test_the_award_letter_carries_the_appeal_sentence_as_stored(award):
    assert award.appeal_text
    assert normalise(award.appeal_text) in pdf_text(render_letter_pdf(award))


def test_the_award_letter_has_the_conditions_contact_and_signature(award, cast):
    cast.officer_t.first_name, cast.officer_t.last_name = "Siri", "Saksbehandler"
    cast.officer_t.save()
    cast.approver_t.first_name, cast.approver_t.last_name = "Gunnar", "Godkjenner"
    cast.approver_t.save()
    award.refresh_from_db()

    html = letter_html(award)
    assert 'id="conditions"' in html
    text = pdf_text(render_letter_pdf(award))
    assert "Siri Saksbehandler" in text
    assert "Gunnar Godkjenner" in text


def test_the_reporting_deadline_defaults_to_1_february_next_year(award):
    assert report_deadline_for(award.application.round) == date(2028, 2, 1)
    assert "1. februar 2028" in pdf_text(render_letter_pdf(award))


def test_the_reporting_deadline_is_the_next_rounds_deadline_for_earlier_awards(cast):
    # This round's report_deadline is for the previous year's awards: it is not this award's deadline.
    award = decide(cast, fresh_funds=36_110_000, report_deadline=deadline_on(date(2027, 2, 1)))
    assert report_deadline_for(award.application.round) == date(2028, 2, 1)
    make_round(cast.office_t, year=2028, report_deadline=deadline_on(date(2028, 2, 15)))
    assert report_deadline_for(award.application.round) == date(2028, 2, 15)
    text = pdf_text(render_letter_pdf(award))
    assert "15. februar 2028" in text
    assert "1. februar 2027" not in text


def test_the_letter_is_dated_on_the_day_of_approval(award):
    assert award.approved_at is not None
    html = letter_html(award)
    assert format_day(award.approved_at.astimezone(OSLO).date(), "nb") in html


# --- PDF/A and metadata -----------------------------------------------------------


def test_the_pdf_is_pdf_a_with_identification_in_its_xmp_metadata(award):
    pdf = render_letter_pdf(award)
    assert pdf.startswith(b"%PDF-")
    metadata = xmp(pdf)
    assert re.search(rb"pdfaid:part(>|=\")2", metadata)
    assert re.search(rb"pdfaid:conformance(>|=\")B", metadata)
    assert b"/OutputIntents" in pdf_objects_text(pdf)


def test_the_pdf_is_a4_with_title_author_and_language(award):
    pdf = render_letter_pdf(award)
    objects = pdf_objects_text(pdf)
    assert b"/MediaBox [0 0 595.27" in objects
    assert award.application.case_number in pdf_info(pdf, "Title")
    assert pdf_info(pdf, "Author") == OFFICE
    assert b"/Lang (nb)" in objects


def test_the_letter_is_built_from_the_decision_lines_not_the_application(award):
    award.application.lines.update(title="Endret etterpå")
    text = pdf_text(render_letter_pdf(award))
    assert "Endret etterpå" not in text
    for title in TITLES:
        assert title in text


def test_text_is_escaped_not_interpreted(award):
    award.lines.filter(rank=1).update(title='<img src="https://example.com/x.png"> & co')
    html = letter_html(award)
    assert "<img" not in html
    assert "&lt;img" in html
    render_letter_pdf(award)  # nothing is fetched, nothing breaks


# --- Language ---------------------------------------------------------------------


def test_bokmal_organisations_get_bokmal(award):
    assert letter_language(award) == "nb"
    assert '<html lang="nb">' in letter_html(award)


def test_nynorsk_organisations_get_nynorsk(cast):
    cast.kommune_a.written_language = "nn"
    cast.kommune_a.save()
    decision = decide(cast, fresh_funds=36_110_000)

    assert letter_language(decision) == "nn"
    with translation.override("en"):
        html = letter_html(decision)
        assert translation.get_language() == "en"  # the override does not leak
    assert '<html lang="nn">' in html
    pdf = render_letter_pdf(decision)
    assert b"/Lang (nn)" in pdf_objects_text(pdf)
    assert "1. februar 2028" in pdf_text(pdf)  # Babel's nynorsk month name is the same
    assert normalise(decision.appeal_text) in pdf_text(pdf)


# --- The refusal letter -----------------------------------------------------------


def test_a_refused_decision_gets_the_refusal_letter(refusal, cast):
    assert refusal.outcome == Outcome.REFUSED
    assert refusal.granted == 0

    html = letter_html(refusal)
    assert 'id="conditions"' not in html
    assert 'id="appeal"' in html

    text = pdf_text(render_letter_pdf(refusal))
    assert cast.kommune_a.name in text
    assert refusal.application.case_number in text
    assert OFFICE in text
    for title in TITLES:
        assert title in text
    # the total row: 850 000 kr applied for, 0 kr granted
    assert f"{normalise(format_kroner(850_000))} {normalise(format_kroner(0))}" in text
    assert normalise(refusal.appeal_text) in text


def test_the_refusal_letter_gives_each_lines_explanation(refusal):
    explanations = [line.explanation for line in refusal.lines.all()]
    assert all(explanations)
    html = letter_html(refusal)
    for explanation in explanations:
        assert escape(explanation) in html


# --- No letter for a draft ----------------------------------------------------------


def test_an_unapproved_decision_has_no_letter(cast):
    draft = decide(cast, fresh_funds=36_110_000, approve=False)
    assert not draft.is_approved
    with pytest.raises(ValueError):
        render_letter_pdf(draft)
    with pytest.raises(ValueError):
        letter_html(draft)


def test_the_same_decision_gives_the_same_bytes(award):
    # Stored letters are checked by their SHA-256: rendering again must not produce a different file.
    assert render_letter_pdf(award) == render_letter_pdf(award)
