"""The decision letter for an approved decision: award letter (tildelingsbrev) or refusal letter (avslagsbrev).

An archival PDF/A built from the decision as approved: the decision lines (rank,
kind, title, applied, granted, explanation) and the appeal sentence stored on the
decision, never the live application lines. The letter is "the working tool for
reporting" (seed 004): the report form mirrors its lines one for one. The language
is the organisation's written language (bokmål or nynorsk).

Variant: PDF/A-2b. The Norwegian archive regulations accept PDF/A-1 and PDF/A-2 as
deposit formats for documents; PDF/A-3 adds arbitrary embedded files, which a letter
does not need.

Tagged: the PDF carries a structure tree (``pdf_tags``), so screen readers read it in
order with its headings and tables; it stays PDF/A-2b (level B claims the archival
appearance, the tags come on top). ``pdfinfo`` says "Tagged: yes".

The letter is a Statsforvalter letter: the office's letterhead (address, org. nr.,
contact: the Office's fields, set in the admin), the recipient's postal address,
"Vår ref./Deres ref./Vår dato/Deres dato" and the case officer with phone, the legal and
budget basis (``Round.budget_chapter``/``budget_post``), the state's right of control,
the acceptance deadline (``Round.acceptance_weeks`` after the letter's date), "Kopi til"
(``Round.copy_to``) and the two people who prepared and approved it.

Reporting deadline: ``Round.report_deadline`` is the deadline for reporting on the
*previous* year's awards, so an award in round Y is reported by the deadline of the
office's round Y + 1 when that round exists and has one, otherwise by 1 February
Y + 1 (seed 004).

Speed (issue 13, ``bench/letters.py``): a round's letters are made one after another
by the same worker, so the stylesheet (``letter_pdf.css``) is parsed once per thread
and the cycle collector paused while one letter is laid out (``ui.pdf``, as for every
PDF the service makes). The letterhead, address block and
signature are laid out with tables and inline blocks, not flex or grid, which
WeasyPrint lays out several times over. The lines table has fixed column widths worked
out for each letter from its own amounts, kind labels and titles (``lines_table``), so
WeasyPrint does not measure every cell to size the columns. The template has no white
space between tags (WeasyPrint would make and discard a box for each run), the two
signature columns have set widths (not shrunk to their content), and the letter uses two
fonts, regular and bold: each font is subset and written again in every letter.
"""

import threading
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from tilskudd.decisions import hooks, lines_table
from tilskudd.decisions.models import Decision, Outcome
from tilskudd.domain.changes import round_window
from tilskudd.domain.deadlines import OSLO, acceptance_deadline_in_force, format_day
from tilskudd.domain.identifiers import format_organisasjonsnummer
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import LineKindChoices, Round
from tilskudd.ui import pdf

PDF_TEMPLATE = "decisions/letter_pdf.html"
CSS_TEMPLATE = "decisions/letter_pdf.css"


def letterhead(office) -> dict:
    """The office's letterhead, the same on every letter the office sends (award, amendment, claim)."""
    return {
        "service_name": settings.SERVICE_NAME,
        "office": office.name,
        "office_number": format_organisasjonsnummer(office.organisasjonsnummer)
        if office.organisasjonsnummer
        else "",
        "office_postal_lines": office.postal_lines,
        "office_phone": office.phone,
        "office_email": office.email,
    }


def letter_language(decision: Decision) -> str:
    return "nn" if decision.application.organisation.written_language == "nn" else "nb"


def report_deadline_for(round: Round) -> date:
    """The day the award of ``round`` is to be reported by (see the module docstring)."""
    following = (
        Round.objects.filter(office_id=round.office_id, year=round.year + 1, report_deadline__isnull=False)
        .values_list("report_deadline", flat=True)
        .first()
    )
    if following is not None:
        return following.astimezone(OSLO).date()
    return date(round.year + 1, 2, 1)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def acceptance_deadline(decision: Decision) -> date:
    """The day the letter says the award is to be accepted by: ``Round.acceptance_weeks`` after its date.

    Fixed on the decision when it is approved (``acceptance_due``); worked out for decisions
    approved without it (the demo's bulk history).
    """
    return acceptance_deadline_in_force(
        None, decision.acceptance_due, decision.approved_at, decision.application.round.acceptance_weeks
    )


def _context(decision: Decision, language: str) -> dict:
    if not decision.is_approved:
        raise ValueError(f"decision {decision.pk} is not approved; there is no letter for a draft")
    application = decision.application
    round = application.round
    office = round.office
    refused = decision.outcome == Outcome.REFUSED
    organisation = application.organisation
    officer, approver = decision.prepared_by, decision.approved_by
    lines = [
        {
            "rank": line.rank,
            "kind": str(LineKindChoices(line.kind).label),
            "title": line.title,
            "applied": format_kroner(line.applied, language),
            "granted": format_kroner(line.granted, language),
            "explanation": line.explanation_in(language),
            # Grounds are given wherever less was granted than applied for.
            "show_explanation": bool(line.explanation) and (refused or line.granted < line.applied),
        }
        for line in decision.lines.order_by("rank", "pk")
    ]
    applied, granted = format_kroner(decision.applied, language), format_kroner(decision.granted, language)
    # October of the award's year unless the round sets its own change window (R13, seed 004)
    opens, closes = round_window(round.year, round.change_window_opens, round.change_window_closes)
    submitted = application.submitted_at
    return {
        "language": language,
        **letterhead(office),
        "year": round.year,
        "round": round.title,
        "case_number": application.case_number,
        "date": format_day(decision.approved_at.astimezone(OSLO).date(), language),
        "their_date": format_day(submitted.astimezone(OSLO).date(), language) if submitted else "",
        "created": decision.approved_at.astimezone(OSLO).isoformat(timespec="seconds"),
        "organisation": organisation.display_name,
        "recipient_lines": organisation.postal_lines,
        "leader_name": application.leader_name,
        "leader_title": application.leader_title,
        "refused": refused,
        "partly": decision.outcome == Outcome.PARTLY,
        "lines": lines,
        "applied": applied,
        "granted": granted,
        "columns": lines_table.column_widths(table_metrics(language), lines, (applied, granted), language),
        "report_deadline": format_day(report_deadline_for(round), language),
        "change_opens": format_day(opens, language) if opens and closes else "",
        "change_closes": format_day(closes, language) if opens and closes else "",
        "acceptance_deadline": format_day(acceptance_deadline(decision), language),
        "budget_chapter": round.budget_chapter,
        "budget_post": round.budget_post,
        "copy_to": round.copy_recipients,
        "appeal_text": decision.appeal_text,
        "withheld": format_kroner(held, language)
        if (held := hooks.withheld([decision]).get(decision.pk, 0))
        else "",
        "contact_name": _person(officer),
        "contact_title": officer.title if officer else "",
        "contact_email": officer.email if officer else "",
        "contact_phone": (officer.phone if officer else "") or office.phone,
        "signer_name": _person(approver),
        "signer_title": approver.title if approver else "",
    }


def letter_html(decision: Decision) -> str:
    """The letter as HTML, in the organisation's written language (the input to the PDF)."""
    language = letter_language(decision)
    with translation.override(language):
        return render_to_string(PDF_TEMPLATE, _context(decision, language))


def letter_stylesheet() -> tuple[CSS, FontConfiguration]:
    """The letter's stylesheet, parsed once per thread, and the font configuration it was parsed with (``ui.pdf``)."""
    return pdf.stylesheet(CSS_TEMPLATE)


_measured = threading.local()


def table_metrics(language: str) -> lines_table.Metrics:
    """The widths the lines table is sized by (``lines_table``), measured once per thread and language."""
    measured = getattr(_measured, "metrics", None)
    if measured is None:
        measured = _measured.metrics = {}
    if language not in measured:
        css, fonts = letter_stylesheet()
        measured[language] = lines_table.metrics(css, fonts, language)
    return measured[language]


def render_letter_pdf(decision: Decision) -> bytes:
    """The letter as a tagged A4 PDF/A-2b (title, author and language in its metadata).

    ValueError if the decision is not approved.
    """
    return pdf.render_pdf(letter_html(decision), CSS_TEMPLATE)
