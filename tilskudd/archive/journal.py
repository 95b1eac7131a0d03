"""The case's journal: what came in and what went out, when, from whom and to whom.

One list per application, read by the case page (``panels.py``) and written by the Noark 5
extraction (``noark.py``): the page shows exactly the entries the extraction carries.

Each entry is a journalpost: incoming (I) for what the organisation sent (the application
with its attachments, the acceptance, the report with the auditor's statement, requests for
changes), outgoing (U) for what the office sent (the receipt, the decision letter, answers to
change requests with the amendment letter, repayment claims), internal (N)
for the office's own records (payments). Its documents are opened only when the extraction
copies them, one at a time.
"""

import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from tilskudd.amendments.models import DECIDED, ChangeRequest
from tilskudd.applications.models import Application, Status
from tilskudd.applications.receipts import receipt_filename, receipt_pdf, stored_receipt
from tilskudd.decisions.issuing import letter_filename
from tilskudd.decisions.models import Decision
from tilskudd.decisions.selectors import load_decision
from tilskudd.domain.money import format_kroner
from tilskudd.reporting.models import ReportObligation
from tilskudd.settlement.models import RepaymentClaim

INCOMING = "I"
OUTGOING = "U"
INTERNAL = "N"

# Noark 5 journalposttype (M082) for each direction.
JOURNALPOSTTYPE = {
    INCOMING: "Inngående dokument",
    OUTGOING: "Utgående dokument",
    INTERNAL: "Organinternt dokument uten oppfølging",
}

# PRONOM identifiers (Noark 5 "format", M701) and media types, by file extension.
FORMATS = {
    ".pdf": ("fmt/276", "application/pdf"),
    ".docx": ("fmt/412", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("fmt/214", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": ("fmt/291", "application/vnd.oasis.opendocument.text"),
    ".ods": ("fmt/295", "application/vnd.oasis.opendocument.spreadsheet"),
    ".json": ("fmt/817", "application/json"),
}
PDF_A_2B = "fmt/477"  # our letters and receipts are rendered as PDF/A-2b
# PRONOM ids of PDF by the version in its header, and of PDF/A by the part and conformance its XMP
# metadata declares (pdfaid:part, pdfaid:conformance). A file is described by what it is, not by who made it.
PDF_VERSIONS = {
    b"1.0": "fmt/14",
    b"1.1": "fmt/15",
    b"1.2": "fmt/16",
    b"1.3": "fmt/17",
    b"1.4": "fmt/18",
    b"1.5": "fmt/19",
    b"1.6": "fmt/20",
    b"1.7": "fmt/276",
    b"2.0": "fmt/1129",
}
PDF_A = {
    (b"1", b"A"): "fmt/95",
    (b"1", b"B"): "fmt/354",
    (b"2", b"A"): "fmt/476",
    (b"2", b"B"): "fmt/477",
    (b"2", b"U"): "fmt/478",
    (b"3", b"A"): "fmt/479",
    (b"3", b"B"): "fmt/480",
    (b"3", b"U"): "fmt/481",
}
_METADATA = re.compile(rb"<<[^>]*?/Type\s*/Metadata.*?>>\s*stream\r?\n", re.S)
_PDFAID = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*(\d).*?pdfaid:conformance(?:>|=[\"'])\s*([ABUabu])", re.S)


def pdf_a_declared(data: bytes) -> tuple[bytes, bytes] | None:
    """(part, conformance) if the PDF's XMP metadata declares PDF/A, else None (compressed or not)."""
    for match in _METADATA.finditer(data):
        head = match.group(0)
        length = re.search(rb"/Length\s+(\d+)", head)
        raw = data[match.end() : match.end() + int(length[1])] if length else data[match.end() :]
        if b"/FlateDecode" in head:
            try:
                raw = zlib.decompressobj().decompress(raw)
            except zlib.error:
                continue
        found = _PDFAID.search(raw)
        if found:
            return found[1], found[2].upper()
    return None


def pdf_format(data: bytes) -> tuple[str, bool]:
    """A PDF's PRONOM id and whether it is PDF/A (an archival format), from its own bytes."""
    declared = pdf_a_declared(data)
    if declared in PDF_A:
        return PDF_A[declared], True
    version = re.match(rb"%PDF-(\d\.\d)", data[:16])
    return PDF_VERSIONS.get(version[1] if version else b"", "fmt/276"), False


@dataclass
class Document:
    """One document of a journalpost, and how to read its bytes (opened only when copied)."""

    key: str  # stable: the object it comes from ("attachment:12"), for the systemID
    title: str
    filename: str
    created: datetime
    created_by: str
    open: Callable  # () -> a binary file object
    archival: bool = False  # made by us as PDF/A (the letters), not an upload kept as received
    main: bool = True  # Hoveddokument, else Vedlegg
    # For a document we render ourselves and stored before it was rendered as PDF/A (receipts made
    # before then): () -> the same document rendered now as PDF/A-2b, carried as its Arkivformat variant.
    archival_variant: Callable | None = None

    @property
    def format(self) -> str:
        if self.archival:
            return PDF_A_2B
        return FORMATS.get(PurePosixPath(self.filename).suffix.lower(), ("UNKNOWN", ""))[0]

    @property
    def mime_type(self) -> str:
        return FORMATS.get(PurePosixPath(self.filename).suffix.lower(), ("", "application/octet-stream"))[1]


@dataclass
class Entry:
    key: str  # stable: the object it records ("decision:7"), for the systemID
    at: datetime
    direction: str  # INCOMING | OUTGOING | INTERNAL
    title: str
    party: str  # the organisation (sender of incoming, recipient of outgoing)
    person: str  # who sent, signed or recorded it
    office: str
    documents: list[Document] = field(default_factory=list)

    @property
    def journalposttype(self) -> str:
        return JOURNALPOSTTYPE[self.direction]

    @property
    def sender(self) -> str:
        return self.party if self.direction == INCOMING else self.office

    @property
    def recipient(self) -> str:
        return self.office if self.direction == INCOMING else self.party


def _json(data) -> Callable:
    return lambda: ContentFile(json.dumps(data, ensure_ascii=False, indent=2, default=str).encode())


def _file(field_file) -> Callable:
    return lambda: field_file.open("rb")


def _name(pk: int, original: str) -> str:
    """A file name safe in any file system and zip: the object's key and the cleaned original name."""
    return f"{pk}-{get_valid_filename(original)[:100] or 'fil'}"


def _application_entries(application: Application) -> list[Entry]:
    organisation = application.organisation.display_name
    office = application.round.office.name
    submitter = str(application.submitted_by) if application.submitted_by else organisation
    received = Entry(
        key=f"application:{application.pk}",
        at=application.submitted_at,
        direction=INCOMING,
        title=f"Søknad om kompetanse- og innovasjonstilskudd {application.round.year}",
        party=organisation,
        person=submitter,
        office=office,
    )
    received.documents.append(
        Document(
            key=f"snapshot:{application.pk}",
            title="Søknad",
            filename="soknad.json",
            created=application.submitted_at,
            created_by=submitter,
            open=_json(application.snapshot),
        )
    )
    prefetched = "attachments" in getattr(application, "_prefetched_objects_cache", {})
    attachments = (
        application.attachments.all() if prefetched else application.attachments.select_related("uploaded_by")
    )
    for attachment in attachments:
        received.documents.append(
            Document(
                key=f"attachment:{attachment.pk}",
                title=attachment.original_name,
                filename=_name(attachment.pk, attachment.original_name),
                created=attachment.uploaded_at,
                created_by=str(attachment.uploaded_by),
                open=_file(attachment.file),
                main=False,
            )
        )
    receipt = Entry(
        key=f"receipt:{application.pk}",
        at=application.submitted_at,
        direction=OUTGOING,
        title="Kvittering for innsendt søknad",
        party=organisation,
        person=submitter,
        office=office,
        documents=[
            Document(
                key=f"receipt:{application.pk}",
                title="Kvittering for innsendt søknad",
                filename=receipt_filename(application),
                created=application.submitted_at,
                created_by=office,
                # the receipt the applicant was sent, not a new rendering
                open=lambda: ContentFile(stored_receipt(application)),
                archival_variant=lambda: ContentFile(receipt_pdf(application)),
            )
        ],
    )
    return [received, receipt]


def _decision_entries(decision: Decision, organisation: str, office: str) -> list[Entry]:
    entries = []
    approver = str(decision.approved_by)
    data = {
        "utfall": decision.outcome,
        "søkt": decision.applied,
        "innvilget": decision.granted,
        "klageadgang": decision.appeal_allowed,
        "forberedt_av": str(decision.prepared_by),
        "godkjent_av": approver,
        "godkjent": decision.approved_at,
        "linjer": [
            {
                "prioritet": line.rank,
                "type": line.kind,
                "tittel": line.title,
                "søkt": line.applied,
                "innvilget": line.granted,
                "begrunnelse": line.explanation,
            }
            for line in decision.lines.all()
        ],
    }
    letter = getattr(decision, "letter", None)  # read with the decision
    title = "Tildelingsbrev" if decision.granted else "Avslagsbrev"
    sent = Entry(
        key=f"decision:{decision.pk}",
        at=letter.created_at if letter else decision.approved_at,
        direction=OUTGOING,
        title=f"Vedtak – {title.lower()}",
        party=organisation,
        person=approver,
        office=office,
    )
    if letter:
        sent.documents.append(
            Document(
                key=f"letter:{letter.pk}",
                title=title,
                filename=letter_filename(decision),
                created=letter.created_at,
                created_by=approver,
                open=_file(letter.file),
                archival=True,
            )
        )
    sent.documents.append(
        Document(
            key=f"decision:{decision.pk}",
            title="Vedtak med beløp og begrunnelse per tiltak",
            filename="vedtak.json",
            created=decision.approved_at,
            created_by=approver,
            open=_json(data),
            main=letter is None,
        )
    )
    entries.append(sent)
    acceptance = getattr(decision, "acceptance", None)  # read with the decision
    if acceptance:
        entries.append(
            Entry(
                key=f"acceptance:{acceptance.pk}",
                at=acceptance.accepted_at,
                direction=INCOMING,
                title="Aksept av vilkår og bekreftelse av kontonummer",
                party=organisation,
                person=str(acceptance.accepted_by),
                office=office,
                documents=[
                    Document(
                        key=f"acceptance:{acceptance.pk}",
                        title="Aksept",
                        filename="aksept.json",
                        created=acceptance.accepted_at,
                        created_by=str(acceptance.accepted_by),
                        open=_json(
                            {
                                "akseptert_av": str(acceptance.accepted_by),
                                "akseptert": acceptance.accepted_at,
                                "kontonummer": acceptance.account_number,
                            }
                        ),
                    )
                ],
            )
        )
    for payment in decision.payments.all():  # prefetched with the decision
        entries.append(
            Entry(
                key=f"payment:{payment.pk}",
                at=payment.recorded_at,
                direction=INTERNAL,
                title=f"Utbetaling {format_kroner(payment.amount)}",
                party=organisation,
                person=str(payment.recorded_by),
                office=office,
                documents=[
                    Document(
                        key=f"payment:{payment.pk}",
                        title="Utbetaling",
                        filename=f"utbetaling-{payment.pk}.json",
                        created=payment.recorded_at,
                        created_by=str(payment.recorded_by),
                        open=_json(
                            {
                                "beløp": payment.amount,
                                "utbetalt": payment.paid_on,
                                "registrert_av": str(payment.recorded_by),
                            }
                        ),
                    )
                ],
            )
        )
    return entries


def _report_entries(decision: Decision, organisation: str, office: str) -> list[Entry]:
    obligation = (
        ReportObligation.objects.filter(decision=decision, submitted_at__isnull=False)
        .select_related("submitted_by", "round__office")
        .first()
    )
    if obligation is None:
        return []
    sender = str(obligation.submitted_by) if obligation.submitted_by else organisation
    data = {
        "rapport": str(obligation.title),
        "innsendt": obligation.submitted_at,
        "mottatt_på_papir": obligation.on_paper,
        "godkjent": obligation.approved_at,
        "linjer": [
            {
                field.name: getattr(line, field.name)
                for field in line._meta.concrete_fields
                if field.name not in ("id", "obligation", "decision_line")
            }
            for line in obligation.lines.all()
        ],
    }
    report = Entry(
        key=f"report:{obligation.pk}",
        at=obligation.submitted_at,
        direction=INCOMING,
        title="Rapport om bruk av tilskuddet",
        party=organisation,
        person=sender,
        office=office,
        documents=[
            Document(
                key=f"report:{obligation.pk}",
                title="Rapport",
                filename="rapport.json",
                created=obligation.submitted_at,
                created_by=sender,
                open=_json(data),
            )
        ],
    )
    for attachment in obligation.attachments.select_related("uploaded_by"):
        report.documents.append(
            Document(
                key=f"report_attachment:{attachment.pk}",
                title="Revisoruttalelse" if attachment.kind == attachment.AUDITOR else "Prosjektregnskap",
                filename=_name(attachment.pk, attachment.original_name),
                created=attachment.uploaded_at,
                created_by=str(attachment.uploaded_by),
                open=_file(attachment.file),
                main=False,
            )
        )
    return [report]


def _claim_entries(decision: Decision, organisation: str, office: str) -> list[Entry]:
    return [
        Entry(
            key=f"claim:{claim.pk}",
            at=claim.sent_at,
            direction=OUTGOING,
            title=f"Krav om tilbakebetaling {format_kroner(claim.amount)}",
            party=organisation,
            person=str(claim.sent_by),
            office=office,
            documents=[
                Document(
                    key=f"claim:{claim.pk}",
                    title="Krav om tilbakebetaling",
                    filename=f"krav-{claim.pk}.pdf",
                    created=claim.sent_at,
                    created_by=str(claim.sent_by),
                    open=_file(claim.letter),
                    archival=True,
                )
            ],
        )
        for claim in RepaymentClaim.objects.filter(decision=decision).select_related("sent_by")
        if claim.letter
    ]


def _change_request_entries(decision: Decision, organisation: str, office: str) -> list[Entry]:
    """The requests for changes to the award (endringssøknader, ``tilskudd/amendments``) received, and the
    office's answers sent: the amendment letter (endringsvedtak, PDF/A-2b) when approved, the reasons when refused."""
    entries = []
    changes = ChangeRequest.objects.filter(decision=decision).select_related(
        "line", "to_line", "requested_by", "prepared_by", "decided_by", "amendment"
    )
    for change in sorted(changes, key=lambda c: (c.requested_at, c.pk)):
        asker = str(change.requested_by)
        request = {
            "hva": change.get_kind_display(),
            "tiltak": change.line.title,
            "til_tiltak": change.to_line.title if change.to_line else None,
            "beløp": change.amount,
            "ny_tittel": change.new_title or None,
            "ny_utdanningstype": change.new_education_label or None,
            "ny_aktivitet": change.new_description or None,
            "ny_sluttdato": change.new_end,
            "begrunnelse": change.reason,
            "sendt_av": asker,
            "sendt": change.requested_at,
        }
        entries.append(
            Entry(
                key=f"change_request:{change.pk}",
                at=change.requested_at,
                direction=INCOMING,
                title=f"Søknad om endring: {change.get_kind_display()}",
                party=organisation,
                person=asker,
                office=office,
                documents=[
                    Document(
                        key=f"change_request:{change.pk}",
                        title="Søknad om endring",
                        filename=f"endringssoknad-{change.pk}.json",
                        created=change.requested_at,
                        created_by=asker,
                        open=_json(request),
                    )
                ],
            )
        )
        if change.state not in DECIDED or change.decided_at is None:
            continue
        decider = str(change.decided_by) if change.decided_by else office
        answer = Entry(
            key=f"change_answer:{change.pk}",
            at=change.decided_at,
            direction=OUTGOING,
            title=f"Svar på søknad om endring: {change.get_state_display()}",
            party=organisation,
            person=decider,
            office=office,
        )
        amendment = getattr(change, "amendment", None)
        if amendment is not None and amendment.letter:
            answer.documents.append(
                Document(
                    key=f"amendment:{amendment.pk}",
                    title=f"Endringsvedtak {amendment.number}",
                    filename=f"endringsvedtak-{amendment.number}.pdf",
                    created=amendment.made_at,
                    created_by=decider,
                    open=_file(amendment.letter),
                    archival=True,
                )
            )
        answer.documents.append(
            Document(
                key=f"change_answer:{change.pk}",
                title="Kontorets vurdering",
                filename=f"endringssvar-{change.pk}.json",
                created=change.decided_at,
                created_by=decider,
                open=_json(
                    {
                        "utfall": change.get_state_display(),
                        "innvilget_beløp": change.granted_amount,
                        "begrunnelse": change.office_reason,
                        "forberedt_av": str(change.prepared_by) if change.prepared_by_id else None,
                        "avgjort_av": decider,
                        "avgjort": change.decided_at,
                    }
                ),
                main=not answer.documents,
            )
        )
        entries.append(answer)
    return entries


_UNREAD = object()


def journal(application: Application, *, decision=_UNREAD) -> list[Entry]:
    """The case's journal in time order; empty for a draft (nothing has been received).

    ``decision``: the application's decision as ``decisions.selectors.load_decision`` reads it, when
    the caller has it already (the case page: its other panels show it too)."""
    if application.status != Status.SUBMITTED:
        return []
    organisation = application.organisation.display_name
    office = application.round.office.name
    entries = _application_entries(application)
    if decision is _UNREAD:
        decision = load_decision(application)  # with the application it belongs to, lines and payments
    if decision is not None and decision.approved_at is not None:
        entries += _decision_entries(decision, organisation, office)
        entries += _report_entries(decision, organisation, office)
        entries += _claim_entries(decision, organisation, office)
        entries += _change_request_entries(decision, organisation, office)
    order = {INCOMING: 0, OUTGOING: 1, INTERNAL: 2}
    return sorted(entries, key=lambda entry: (entry.at, order[entry.direction], entry.key))
