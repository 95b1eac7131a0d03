"""The receipt (kvittering) for a submitted application: a PDF and an e-mail.

Everything about the application itself comes from ``application.snapshot``, the
content frozen at submission, never from the live rows: the receipt documents what
was submitted. The language is the organisation's written language (bokmål or
nynorsk), whatever language the submitter happened to use on the page.

Submitting does not wait for the PDF: after the commit it enqueues ``send_receipt_task``
for the background worker, which renders the PDF once, stores it (Django's storage
API, ``receipts/<id>/``) and e-mails it. The receipt page is served at once from the
snapshot; its PDF link (and the archive export) serves the stored file, or renders it
on demand if the worker has not got to it yet (without storing: a GET writes nothing).
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from tilskudd.applications.models import Application, Line
from tilskudd.domain.deadlines import format_local
from tilskudd.domain.money import format_kroner
from tilskudd.rounds.models import LineKindChoices
from tilskudd.ui import pdf

PDF_TEMPLATE = "applications/receipt_pdf.html"
CSS_TEMPLATE = "applications/receipt_pdf.css"
SUBJECT_TEMPLATE = "applications/email/receipt_subject.txt"
BODY_TEMPLATE = "applications/email/receipt_body.txt"

logger = logging.getLogger(__name__)


def receipt_language(application) -> str:
    return "nn" if application.organisation.written_language == "nn" else "nb"


def receipt_filename(application) -> str:
    return f"kvittering-{application.case_number.replace('/', '-')}.pdf"


def snapshot_lines(snapshot: dict) -> list[Line]:
    """The lines as submitted, as unsaved Line objects (for the templates that show a line's content).

    Each carries ``budget``, its cost items, and ``submitted_amount``, its amount, as submitted.
    """
    names = {f.name for f in Line._meta.concrete_fields} - {"application"}
    lines = []
    # The order the applicant gave them (rank), as on every page showing the application.
    for data in sorted(
        snapshot.get("lines", []), key=lambda line: (line.get("rank") or 0, line.get("id") or 0)
    ):
        line = Line(**{name: value for name, value in data.items() if name in names})
        line.budget = data.get("budget_items", [])
        line.submitted_amount = data.get("amount") or 0
        lines.append(line)
    return lines


def _context(application, language: str) -> dict:
    snapshot = application.snapshot
    if not snapshot or application.submitted_at is None:
        raise ValueError(
            f"application {application.pk} is not submitted; there is nothing to give a receipt for"
        )
    submitted_lines = snapshot_lines(snapshot)
    lines = [
        {
            "rank": line.rank,
            "kind": LineKindChoices(line.kind).label,
            "title": line.title or "",
            "amount": format_kroner(line.submitted_amount, language),
        }
        for line in submitted_lines
    ]
    submitted_by = application.submitted_by
    return {
        "language": language,
        "service_name": settings.SERVICE_NAME,
        "office": application.round.office.name,
        "round": snapshot.get("round") or application.round.title,
        "case_number": application.case_number,
        "organisation": snapshot.get("organisation") or application.organisation.display_name,
        "submitted_at": format_local(application.submitted_at, language),
        "submitted_by": (submitted_by.get_full_name() or submitted_by.username) if submitted_by else "",
        "contact_name": snapshot.get("contact_name", ""),
        "contact_email": snapshot.get("contact_email", ""),
        "contact_phone": snapshot.get("contact_phone", ""),
        "leader_name": snapshot.get("leader_name", ""),
        "leader_title": snapshot.get("leader_title", ""),
        "partners": snapshot.get("partners", ""),
        "lines": lines,
        "submitted_lines": submitted_lines,
        "line_count": len(lines),
        "total": format_kroner(snapshot.get("total", 0), language),
        "attachments": snapshot.get("attachments", []),
    }


def receipt_html(application) -> str:
    """The receipt as HTML, in the organisation's written language (the input to the PDF)."""
    language = receipt_language(application)
    with translation.override(language):
        return render_to_string(PDF_TEMPLATE, _context(application, language))


def receipt_pdf(application) -> bytes:
    """The receipt as an A4 PDF/A-2b, tagged (title, author and language set in its metadata)."""
    return pdf.render_pdf(receipt_html(application), CSS_TEMPLATE)


def receipt_recipients(application) -> list[str]:
    """The submitter and the contact person, each once (addresses compared case-insensitively)."""
    candidates = [
        application.submitted_by.email if application.submitted_by else "",
        (application.snapshot or {}).get("contact_email", ""),
    ]
    recipients, seen = [], set()
    for address in candidates:
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients.append(address)
    return recipients


def receipt_path(application) -> str:
    """Where the stored PDF lives in the default storage (one per submitted application)."""
    return f"receipts/{application.pk}/{receipt_filename(application)}"


def stored_receipt(application, *, store: bool = False) -> bytes:
    """The stored PDF; before the worker has made it, one rendered now, and stored only when ``store``.

    Only the worker stores (``store=True``): pages and exports are GETs, which write nothing.
    """
    path = receipt_path(application)
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return stored.read()
    pdf = receipt_pdf(application)
    if store:
        default_storage.save(path, ContentFile(pdf))
    return pdf


@task()
def send_receipt_task(application_id: int) -> None:
    """After a submission's commit, in the background worker: store the PDF and e-mail it.

    A failure is logged and leaves the submission as it is: the receipt is on the page,
    and its PDF link renders on demand.
    """
    application = Application.objects.select_related("round__office", "organisation", "submitted_by").get(
        pk=application_id
    )
    try:
        send_receipt(application, pdf=stored_receipt(application, store=True))
    except Exception:
        logger.exception("Could not send the receipt for application %s", application_id)


def send_receipt(application, *, pdf: bytes | None = None) -> None:
    """E-mail the receipt, with the PDF attached, to the submitter and the contact person."""
    recipients = receipt_recipients(application)
    if not recipients:
        return
    language = receipt_language(application)
    with translation.override(language):
        context = _context(application, language)
        subject = " ".join(render_to_string(SUBJECT_TEMPLATE, context).split())
        body = render_to_string(BODY_TEMPLATE, context).strip() + "\n"
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    message.attach(receipt_filename(application), pdf or receipt_pdf(application), "application/pdf")
    message.send()
