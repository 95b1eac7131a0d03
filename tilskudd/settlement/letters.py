"""The repayment claim (krav om tilbakebetaling) as an archival PDF/A letter (R14)."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from tilskudd.decisions.letters import format_day, letter_language, letterhead
from tilskudd.domain.deadlines import OSLO
from tilskudd.domain.identifiers import format_kontonummer
from tilskudd.domain.money import format_kroner
from tilskudd.ui import pdf

TEMPLATE = "settlement/claim_pdf.html"
CSS_TEMPLATE = "settlement/claim_pdf.css"


def _context(claim, language: str) -> dict:
    decision = claim.decision
    application = decision.application
    round, office = application.round, application.round.office
    organisation = application.organisation
    sent = (claim.sent_at or timezone.now()).astimezone(OSLO)
    return {
        "language": language,
        **letterhead(office),
        "organisation": organisation.display_name,
        "recipient_lines": organisation.postal_lines,
        "round": round.title,
        "year": round.year,
        "case_number": application.case_number,
        "date": format_day(sent.date(), language),
        "created": sent.isoformat(timespec="seconds"),
        "granted": format_kroner(decision.granted, language),
        "amount": format_kroner(claim.amount, language),
        "account": format_kontonummer(claim.account_number),
        "kid": claim.reference,
        "due": format_day(claim.due_on, language),
        "sender": claim.sent_by.get_full_name() or claim.sent_by.username,
    }


def render_claim_pdf(claim) -> bytes:
    language = letter_language(claim.decision)
    with translation.override(language):
        html = render_to_string(TEMPLATE, _context(claim, language))
    return pdf.render_pdf(html, CSS_TEMPLATE)
