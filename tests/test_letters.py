"""The decision letter: award letter (tildelingsbrev) and refusal letter (avslagsbrev) as PDF/A.

Translations of the letter's prose may not be in the catalogue yet, so these tests
assert on data (names, amounts, the case number, the stored appeal sentence), never
on translated sentences. The PDF text extractor is the one from the receipt tests.
"""

import re
import zlib
from datetime import date

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from tests.factories import close_call, make_round, submitted_application
from tests.test_receipts import normalise, pdf_info, pdf_objects_text, pdf_text
from tilskudd.assessment import services as assessment
from tilskudd.assessment.models import Assessment
from tilskudd.decisions import services as decisions
from tilskudd.decisions.letters import (
    acceptance_deadline,
    format_day,
    letter_html,
    letter_language,
    render_letter_pdf,
    report_deadline_for,
)
from tilskudd.decisions.models import Decision, Outcome
from tilskudd.domain.deadlines import OSLO, deadline_on
from tilskudd.domain.money import format_kroner
from tilskudd.reporting.models import ReportObligation

pytestmark = pytest.mark.django_db

TITLES = ("Videreutdanning psykisk helse", "Opplæring av arbeidsledere", "Fleksibel avlastning for pårørende")
OFFICE = "Statsforvalteren i Trøndelag"


def decide(cast, *, approve=True, before_preparing=None, **round_fields) -> Decision:
    round_fields.setdefault("carried_over_funds", 0)
    # Earlier letters' awards are reported, so R4 lets Trondheim apply again in a later year.
    ReportObligation.objects.filter(organisation=cast.kommune_a).update(submitted_at=timezone.now())
    round = make_round(cast.office_t, **round_fields)
    application = submitted_application(round, cast.kommune_a, by=cast.signer_a)
    close_call(round)
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=cast.officer_t)
    if before_preparing:
        before_preparing(application, scenario)
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
    assert cast.kommune_a.display_name == "Trondheim kommune"
    assert "Trondheim kommune" in text
    assert "Tråante" not in text  # the name as in Norwegian letters, not the register's parallel names
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
    assert cast.kommune_a.display_name in text
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


# --- A Statsforvalter letter (issue 10) ---------------------------------------------


@pytest.fixture
def addressed(cast):
    """The office's letterhead fields, the recipient's postal address and the people's names and phones."""
    office = cast.office_t
    office.postal_address, office.postal_code, office.postal_town = (
        "Postboks 4710 Torgarden",
        "7468",
        "Trondheim",
    )
    office.phone, office.email = "73 19 90 00", "post@office.example"
    office.save()
    kommune = cast.kommune_a
    kommune.postal_address, kommune.postal_code, kommune.postal_town = (
        "Postboks 2300 Torgarden",
        "7004",
        "Trondheim",
    )
    kommune.save()
    for user, first, last, title, phone in (
        (cast.officer_t, "Siri", "Sørli", "Seniorrådgiver", "73 19 91 23"),
        (cast.approver_t, "Gunnar", "Godkjenner", "Avdelingsdirektør", ""),
    ):
        user.first_name, user.last_name, user.title, user.phone = first, last, title, phone
        user.save()
    return cast


def test_the_letterhead_has_the_offices_address_org_number_and_contact(addressed):
    text = pdf_text(render_letter_pdf(decide(addressed, fresh_funds=36_110_000)))
    assert "Postboks 4710 Torgarden, 7468 TRONDHEIM" in text
    assert "Telefon: 73 19 90 00" in text
    assert "post@office.example" in text
    assert "Org.nr. 974 764 350" in text


def test_the_letter_has_the_recipients_postal_address_and_the_references(addressed):
    decision = decide(addressed, fresh_funds=36_110_000)
    html = letter_html(decision)
    recipient = html[html.index('class="recipient"') : html.index('class="refs"')]
    assert "Trondheim kommune" in recipient
    assert "Postboks 2300 Torgarden" in recipient and "7004 TRONDHEIM" in recipient
    refs = html[html.index('class="refs"') : html.index("</dl>")]
    for label in ("Vår dato", "Deres dato", "Vår ref.", "Deres ref.", "Saksbehandler", "Telefon"):
        assert f"<dt>{label}</dt>" in refs
    assert decision.application.case_number in refs
    assert format_day(decision.application.submitted_at.astimezone(OSLO).date()) in refs
    assert "Siri Sørli" in refs and "73 19 91 23" in refs  # the case officer's own phone


def test_the_case_officer_without_a_phone_gets_the_offices(addressed):
    addressed.officer_t.phone = ""
    addressed.officer_t.save()
    html = letter_html(decide(addressed, fresh_funds=36_110_000))
    refs = html[html.index('class="refs"') : html.index("</dl>")]
    assert "73 19 90 00" in refs


def test_the_letter_gives_the_legal_and_budget_basis_from_the_round(addressed):
    text = pdf_text(render_letter_pdf(decide(addressed, fresh_funds=36_110_000)))
    assert "regelverket for tilskuddsordningen Kommunalt kompetanse- og innovasjonstilskudd" in text
    assert "statsbudsjettet for 2027, kap. 761 post 68" in text  # the defaults

    other = decide(addressed, fresh_funds=36_110_000, year=2028, budget_chapter=762, budget_post=21)
    assert "kap. 762 post 21" in pdf_text(render_letter_pdf(other))


def test_the_award_letter_states_the_states_right_of_control(award):
    text = pdf_text(render_letter_pdf(award))
    assert "Riksrevisjonen" in text
    assert "bevilgningsreglementet § 10" in text and "riksrevisjonsloven § 12" in text


def test_the_award_letter_has_an_acceptance_deadline_weeks_after_its_date(cast):
    decision = decide(cast, fresh_funds=36_110_000, acceptance_weeks=4)
    day = decision.approved_at.astimezone(OSLO).date()
    assert (acceptance_deadline(decision) - day).days == 28
    text = pdf_text(render_letter_pdf(decision))
    assert f"Frist for å ta imot tilskuddet: {format_day(acceptance_deadline(decision))}." in text


def test_the_refusal_letter_has_no_conditions_control_or_acceptance(refusal):
    html = letter_html(refusal)
    assert 'id="basis"' in html
    for section in ('id="conditions"', 'id="control"', 'id="acceptance"'):
        assert section not in html


def test_copies_go_to_whom_the_round_names(cast):
    text = pdf_text(render_letter_pdf(decide(cast, fresh_funds=36_110_000)))
    assert "Kopi til Helsedirektoratet" in text  # the default

    none = decide(cast, fresh_funds=36_110_000, year=2028, copy_to="")
    assert 'id="copies"' not in letter_html(none)
    two = decide(cast, fresh_funds=36_110_000, year=2029, copy_to="Helsedirektoratet, KS Trøndelag")
    html = letter_html(two)
    assert "<li>Helsedirektoratet</li>" in html and "<li>KS Trøndelag</li>" in html


def test_the_letter_is_approved_electronically_by_the_two_people_named(addressed):
    text = pdf_text(render_letter_pdf(decide(addressed, fresh_funds=36_110_000)))
    signature = text[text.index("Med hilsen") :]
    assert "Gunnar Godkjenner Avdelingsdirektør Siri Sørli Seniorrådgiver" in signature
    assert "Dokumentet er elektronisk godkjent" in signature


def test_the_pdf_is_tagged_and_stays_pdf_a(award):
    pdf = render_letter_pdf(award)
    objects = pdf_objects_text(pdf)
    assert b"/StructTreeRoot" in objects
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked true", objects)
    assert re.search(rb"pdfaid:part(>|=\")2", xmp(pdf))


# --- Words the recipient understands (issue 10) -------------------------------------


def _cut_by_override(application, scenario):
    line = application.lines.get(rank=1)
    assessment.set_override(
        round=scenario.round,
        scenario_id=scenario.pk,
        line=line,
        by=application.round.office.staff.get(role="case_officer"),
        amount=30_000,
        reason="Halvparten av deltakerne har fått tilskudd før",
    )


def test_a_line_cut_by_hand_gives_the_reason_not_granted_in_full(cast):
    decision = decide(cast, fresh_funds=36_110_000, before_preparing=_cut_by_override)
    line = decision.lines.get(rank=1)
    assert line.granted == 30_000
    assert "Innvilget fullt" not in line.explanation
    assert "Begrunnelse: Halvparten av deltakerne har fått tilskudd før." in line.explanation
    text = pdf_text(render_letter_pdf(decision))
    assert "Begrunnelse: Halvparten av deltakerne har fått tilskudd før." in text
    assert "Innvilget: 30 000 kr." in text
    assert "aksbehandler anbefaler" not in text and "fastsatt av saksbehandler" not in text


def test_a_refusal_gives_the_reason_a_line_was_found_ineligible(cast):
    def ineligible(application, scenario):
        line = application.lines.get(rank=2)
        Assessment.objects.create(
            line=line,
            eligible=False,
            ineligible_reason="Opplæringen er ordinær drift",
            assessed_by=cast.officer_t,
        )

    decision = decide(cast, fresh_funds=36_110_000, before_preparing=ineligible)
    assert "Begrunnelse: Opplæringen er ordinær drift." in pdf_text(render_letter_pdf(decision))


def test_the_applicants_order_and_the_priority_group_are_named_apart(cast):
    decision = decide(cast, fresh_funds=850_000 - 100_000)
    html = letter_html(decision)
    assert "Deres rekkefølge" in html
    assert ">Prioritet<" not in html
    assert "Prioriteringsgruppe" in html  # in the explanation of the line cut for lack of money


def test_everything_in_a_nynorsk_letter_is_nynorsk(addressed):
    addressed.kommune_a.written_language = "nn"
    addressed.kommune_a.save()
    decision = decide(addressed, fresh_funds=36_110_000, before_preparing=_cut_by_override)
    text = pdf_text(render_letter_pdf(decision))
    for nynorsk in (
        "Dykkar ref.",
        "Dykkar dato",
        "Sakshandsamar",
        "Dykkar rekkjefølgje",
        "Heimel og budsjett",
        "løyvingsreglementet § 10",
        "Frist for å ta imot tilskotet",
        "Med helsing",
        "Grunngiving: Halvparten av deltakerne har fått tilskudd før.",  # the officer's own words stay
        "fastsett av Statsforvaltaren",
        "Innvilga: 30 000 kr.",
        "Vedtaket kan ikkje påklagast",
    ):
        assert nynorsk in text, nynorsk
    for bokmal in (
        "Deres ref.",
        "Saksbehandler",
        "Tilskuddet gis",
        "Begrunnelse",
        "Med hilsen",
        "ikke påklages",
    ):
        assert bokmal not in text, bokmal


# --- Speed: one stylesheet for many letters (issue 13) ------------------------------


def test_the_stylesheet_is_parsed_once_and_styles_every_letter(award, stylesheet_parses):
    texts = [pdf_text(render_letter_pdf(award)) for _ in range(3)]
    assert len(stylesheet_parses) == 1
    # The page footer comes from the stylesheet's @page rule and the letterhead's string-set.
    for text in texts:
        assert f"{OFFICE} – {award.application.case_number}" in text
        assert re.search(r"\b1 ?/ ?[1-9]\b", text)


def test_the_cycle_collector_runs_again_after_a_letter_even_when_rendering_fails(award, monkeypatch):
    import gc

    from tilskudd.ui import pdf

    assert gc.isenabled()
    render_letter_pdf(award)
    assert gc.isenabled()

    def failing(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        render_letter_pdf(award)
    assert gc.isenabled()


def test_the_letter_html_has_no_white_space_between_tags(award):
    # WeasyPrint makes a box for every run of white space between tags and throws it away.
    html = letter_html(award)
    assert "<table" in html and "</html>" in html
    assert not re.search(r">\s+<", html)


def test_the_letter_embeds_two_fonts_regular_and_bold(award):
    # Each embedded font is subset, measured and written again in every letter: no third one for one line.
    objects = pdf_objects_text(render_letter_pdf(award))
    fonts = set(re.findall(rb"/BaseFont ?/[A-Z]{6}\+([\w-]+)", objects))
    assert fonts == {b"DejaVu-Sans", b"DejaVu-Sans-Bold"}


# --- The lines table's columns, worked out per letter (issue 13) ----------------------

LONG_TITLE = (
    "Kompetanseheving for ansatte i helse- og omsorgstjenesten gjennom etter- og videreutdanning "
    "innen velferdsteknologi, legemiddelhåndtering, demens og palliasjon i alle kommunens enheter og "
    "tjenester i hele regionen"
)[:200]


def _at_the_largest_amounts(decision: Decision) -> Decision:
    """Every line at the most a line can ask for and be granted (MAX_AMOUNT), the longest titles."""
    from tilskudd.decisions.models import DecisionLine
    from tilskudd.domain.money import MAX_AMOUNT

    assert len(LONG_TITLE) == DecisionLine._meta.get_field("title").max_length
    decision.lines.update(applied=MAX_AMOUNT, granted=MAX_AMOUNT, title=LONG_TITLE)
    Decision.objects.filter(pk=decision.pk).update(applied=MAX_AMOUNT, granted=MAX_AMOUNT - 1)
    return Decision.objects.get(pk=decision.pk)


def _words(pdf: bytes, page: int = 1) -> list[tuple[float, float, float, str]]:
    """(x min, x max, y min, word) of each word on a page, by pdftotext -bbox."""
    import subprocess

    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        (float(x0), float(x1), float(y0), word)
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html
        )
    ]


def _row_of(words, first_word: str, after_y: float = 0.0):
    """The words on the line where ``first_word`` first appears below ``after_y``."""
    y = min(y for _, _, y, word in words if word == first_word and y > after_y)
    return sorted((x0, x1, word) for x0, x1, wy, word in words if abs(wy - y) < 1)


@pytest.mark.skipif(not __import__("shutil").which("pdftotext"), reason="needs poppler's pdftotext")
def test_at_the_largest_amounts_the_lines_table_stays_on_the_page_and_amounts_keep_their_columns(award):
    """A line can ask for MAX_AMOUNT (domain.money) with a 200-character title: the table keeps within
    the page's text (the automatic layout ran 8 mm over the right margin) and titles wrap in their
    own column, never over the amounts, which stay whole on one line."""
    pdf = render_letter_pdf(_at_the_largest_amounts(award))
    words = _words(pdf)
    right_margin = 595.28 - 20 / 25.4 * 72  # A4 less 20 mm, in points
    assert max(x1 for x0, x1, y, word in words) <= right_margin + 0.5
    heading = _row_of(words, "Tittel")
    title_x = next(x0 for x0, x1, word in heading if word == "Tittel")
    top = min(y for _, _, y, word in words if word == "Tittel")
    bottom = min([y for _, _, y, word in words if word == "Totalt" and y > top] or [842])
    row = _row_of(words, "1", after_y=top)
    amounts = [word for x0, x1, word in row if x0 > title_x + 40]
    assert " ".join(amounts) == "1 000 000 000 kr 1 000 000 000 kr"  # both amounts whole, side by side
    first_amount = min(x0 for x0, x1, word in row if x0 > title_x + 40)
    title_words = [
        (x0, x1) for x0, x1, y, word in words if title_x - 1 < x0 < first_amount and top < y < bottom
    ]
    assert title_words and max(x1 for x0, x1 in title_words) < first_amount - 5  # the padding between


def test_the_columns_are_the_letters_own_not_one_width_for_every_letter(award):
    """An ordinary award's amount columns are as narrow as its amounts allow, and its titles get the room
    that leaves; the same letter at the largest amounts gets wider amount columns."""
    ordinary = letter_html(award)
    assert "table-layout" not in ordinary  # the layout is the stylesheet's; the widths are the letter's
    widths = [float(width) for width in re.findall(r'<col style="width: ([\d.]+)mm">', ordinary)]
    assert len(widths) == 4 and 'id="lines">' in ordinary  # no hyphenation for an ordinary letter
    largest = letter_html(_at_the_largest_amounts(award))
    wider = [float(width) for width in re.findall(r'<col style="width: ([\d.]+)mm">', largest)]
    assert wider[2] > widths[2] + 5 and wider[3] > widths[3] + 5
    assert 'class="hyphenate-heading hyphenate-titles"' in largest


def test_the_widths_are_measured_with_the_letters_fonts():
    """An amount's width is the sum of its characters' as WeasyPrint lays them out (the footer's in bold),
    and a title word's no narrower than the laid-out word and within a millimetre of it."""
    from tilskudd.decisions import lines_table
    from tilskudd.decisions.letters import letter_stylesheet, table_metrics
    from tilskudd.domain.money import MAX_AMOUNT

    css, fonts = letter_stylesheet()
    measured = table_metrics("nb")
    texts = [format_kroner(MAX_AMOUNT), format_kroner(123_456)]
    words = ["Arbeidslederopplæring", "legemiddelhåndtering,", "Ærøy-Tverrfaglig", "«Wavy»"]
    samples = [(place, text) for place in (lines_table.CELL, lines_table.TOTAL) for text in texts]
    samples += [(lines_table.CELL, word) for word in words]
    laid_out, table = lines_table.measure(samples, css, fonts, "nb")
    assert abs(table - measured.content) < 0.01 and 160 < table < 170  # A4 less margins and the body's
    for (place, text), width in zip(samples[:4], laid_out[:4], strict=True):
        assert measured.amount(text, place) == pytest.approx(width, abs=0.05), text
    assert laid_out[2] > laid_out[0] + 2  # the total's bold is wider: measured apart
    for word, width in zip(words, laid_out[4:], strict=True):
        assert width - 0.01 <= measured.amount(word) <= width + 1, word


def test_weasyprint_does_not_size_the_letters_tables_itself(award, monkeypatch):
    """The automatic table layout measures every cell with text shaping: the letter's tables have widths."""
    import weasyprint.layout.table as table_layout

    render_letter_pdf(award)  # the thread's stylesheet and measures (laid out once, automatically)

    def refused(*args, **kwargs):
        raise AssertionError("automatic table layout")

    monkeypatch.setattr(table_layout, "auto_table_layout", refused)
    assert award.application.case_number in pdf_text(render_letter_pdf(award))
