"""The amendment letter (endringsvedtak): a short PDF/A-2b letter for an approved change request.

Made with WeasyPrint as the decision letter (``decisions.letters``): the office's letterhead,
the recipient, the reference to the original decision, what was asked, what was approved and
why, each awarded line as amended, and the people who prepared and approved it. In the
organisation's written language (bokmål or nynorsk).
"""

from django.template.loader import render_to_string
from django.utils import translation

from tilskudd.amendments.models import Amendment, ChangeKind
from tilskudd.amendments.selectors import amended_lines
from tilskudd.applications.models import EducationTypeChoices
from tilskudd.decisions.letters import format_day, letter_language, letterhead
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui import pdf

PDF_TEMPLATE = "amendments/letter_pdf.html"
CSS_TEMPLATE = "amendments/letter_pdf.css"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _education(code: str) -> str:
    return str(EducationTypeChoices(code).label) if code in EducationTypeChoices.values else ""


def _context(amendment: Amendment, language: str) -> dict:
    change, decision = amendment.change, amendment.decision
    application = decision.application
    round, organisation = application.round, application.organisation
    office = round.office
    made = amendment.made_at.astimezone(OSLO)
    lines = [
        {
            "rank": item.line.rank,
            "kind": str(LineKindChoices(item.line.kind).label),
            "title": item.title,
            "education": _education(item.education_type),
            "ends": item.ends.strftime("%d.%m.%Y"),
            "granted": format_kroner(item.granted, language),
            "now": format_kroner(item.now, language),
            "changed": item.line.pk in (change.line_id, change.to_line_id),
        }
        for item in amended_lines(decision)
    ]
    approver = change.decided_by
    officer = change.prepared_by or approver
    return {
        "language": language,
        **letterhead(office),
        "year": round.year,
        "round": round.title,
        "case_number": application.case_number,
        "number": amendment.number,
        "date": format_day(made.date(), language),
        "their_date": format_day(change.requested_at.astimezone(OSLO).date(), language),
        "decision_date": format_day(decision.approved_at.astimezone(OSLO).date(), language),
        "created": made.isoformat(timespec="seconds"),
        "organisation": organisation.display_name,
        "recipient_lines": organisation.postal_lines,
        "kind": change.kind,
        "is_move": change.kind == ChangeKind.MOVE,
        "is_content": change.kind == ChangeKind.CONTENT,
        "is_period": change.kind == ChangeKind.PERIOD,
        "partly": change.kind == ChangeKind.MOVE and change.granted_amount < change.amount,
        "asked": format_kroner(change.amount, language) if change.amount else "",
        "moved": format_kroner(change.granted_amount, language) if change.granted_amount else "",
        "from_title": change.line.title,
        "to_title": change.to_line.title if change.to_line_id else "",
        "new_title": change.new_title,
        "new_education": _education(change.new_education_type),
        "new_description": change.new_description,
        "new_end": format_day(change.new_end, language) if change.new_end else "",
        "reason": change.reason,
        "office_reason": change.office_reason,
        "lines": lines,
        "total": format_kroner(decision.granted, language),
        "contact_name": _person(officer),
        "contact_title": officer.title if officer else "",
        "contact_phone": (officer.phone if officer else "") or office.phone,
        "contact_email": officer.email if officer else "",
        "signer_name": _person(approver),
        "signer_title": approver.title if approver else "",
        "two_people": bool(officer and approver and officer.pk != approver.pk),
    }


def letter_html(amendment: Amendment) -> str:
    language = amendment.language or letter_language(amendment.decision)
    with translation.override(language):
        return render_to_string(PDF_TEMPLATE, _context(amendment, language))


def render_amendment_pdf(amendment: Amendment) -> bytes:
    """The letter as a tagged A4 PDF/A-2b; nothing is fetched (the stylesheet given, fonts installed)."""
    return pdf.render_pdf(letter_html(amendment), CSS_TEMPLATE)
