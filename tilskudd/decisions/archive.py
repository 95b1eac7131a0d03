"""Archive export: a case (or a whole round) as a zip a Noark 5 archive can import.

Layout of a case folder (`<saksnummer>/`, with / replaced by -):

    metadata.json         case number, title, parties, dates, who decided, and the
                          document list (title, file, document type, date, sha256)
    soknad.json           the submitted application exactly as frozen at submission
    kvittering.pdf        the receipt
    vedtak.json           the decision with amounts per line (if one exists)
    tildelingsbrev.pdf    or avslagsbrev.pdf: the stored letter (if made)
    vedlegg/<file>        the applicant's attachments

The zip is written to a temporary file, one document at a time, so a whole round is
never held in memory.
"""

import hashlib
import json
import tempfile
import zipfile

from django.utils import timezone

from tilskudd.applications.models import Application, Status
from tilskudd.applications.receipts import stored_receipt
from tilskudd.decisions.issuing import letter_filename
from tilskudd.decisions.models import Decision, Letter


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _folder(application: Application) -> str:
    return application.case_number.replace("/", "-")


def write_case(archive: zipfile.ZipFile, application: Application) -> None:
    folder = _folder(application)
    documents = []

    def add(name: str, content: bytes, title: str, kind: str, date) -> None:
        archive.writestr(f"{folder}/{name}", content)
        documents.append(
            {
                "tittel": title,
                "fil": name,
                "dokumenttype": kind,
                "dato": _iso(date),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )

    if application.status == Status.SUBMITTED:
        add(
            "soknad.json",
            json.dumps(application.snapshot, ensure_ascii=False, indent=2, default=str).encode(),
            "Søknad",
            "Søknad",
            application.submitted_at,
        )
        add(
            "kvittering.pdf",
            stored_receipt(application),  # the receipt the applicant was sent, not a new rendering
            "Kvittering for innsendt søknad",
            "Kvittering",
            application.submitted_at,
        )
    for attachment in application.attachments.all():
        with attachment.file.open("rb") as handle:
            add(
                f"vedlegg/{attachment.pk}-{attachment.original_name}",
                handle.read(),
                attachment.original_name,
                "Vedlegg",
                attachment.uploaded_at,
            )
    decision = (
        Decision.objects.filter(application=application).select_related("prepared_by", "approved_by").first()
    )
    if decision:
        vedtak = {
            "utfall": decision.outcome,
            "søkt": decision.applied,
            "innvilget": decision.granted,
            "klageadgang": decision.appeal_allowed,
            "klagetekst": decision.appeal_text,
            "forberedt_av": str(decision.prepared_by),
            "godkjent_av": str(decision.approved_by) if decision.approved_by else None,
            "godkjent": _iso(decision.approved_at),
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
        add(
            "vedtak.json",
            json.dumps(vedtak, ensure_ascii=False, indent=2).encode(),
            "Vedtak",
            "Vedtak",
            decision.approved_at or decision.prepared_at,
        )
        letter = Letter.objects.filter(decision=decision).first()
        if letter:
            with letter.file.open("rb") as handle:
                add(
                    letter_filename(decision),
                    handle.read(),
                    "Tildelingsbrev" if decision.granted else "Avslagsbrev",
                    "Utgående brev",
                    letter.created_at,
                )
    metadata = {
        "saksnummer": application.case_number,
        "tittel": f"Kompetanse- og innovasjonstilskudd {application.round.year} – {application.organisation.display_name}",
        "arkivdel": application.round.title,
        "saksansvarlig_enhet": application.round.office.name,
        "parter": [
            {
                "rolle": "Søker",
                "navn": application.organisation.display_name,
                "organisasjonsnummer": application.organisation.organisasjonsnummer or None,
            },
            {"rolle": "Kontaktperson", "navn": application.contact_name, "epost": application.contact_email},
        ],
        "opprettet": _iso(application.created_at),
        "sendt_inn": _iso(application.submitted_at),
        "sendt_inn_av": str(application.submitted_by) if application.submitted_by else None,
        "vedtak_forberedt_av": str(decision.prepared_by) if decision else None,
        "vedtak_godkjent_av": str(decision.approved_by) if decision and decision.approved_by else None,
        "dokumenter": documents,
        "eksportert": _iso(timezone.now()),
    }
    archive.writestr(f"{folder}/metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))


def build_archive(applications) -> tempfile.SpooledTemporaryFile:
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for application in applications:
            write_case(archive, application)
    handle.seek(0)
    return handle
