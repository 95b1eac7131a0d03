"""A Noark 5 extraction (arkivuttrekk, Noark 5 version 5.0) of one case, a whole round, or an office's
rounds over a range of years (one arkivdel per round).

The folder it writes:

    arkivstruktur.xml   arkiv (the office) → arkivdel (a round) → klassifikasjonssystem → klasse →
                        one saksmappe per submitted application → its journalposts (journal.py)
                        → dokumentbeskrivelse → dokumentobjekt (format, SHA-256, size, file)
    endringslogg.xml    changes to what a case's journal holds: the decision as approved change
                        requests changed it, a new acceptance deadline, a report corrected after
                        it came in (written alongside arkivstruktur.xml, one case at a time)
    arkivuttrekk.xml    the ADDML description: the files, their SHA-256 and the counts
    DOKUMENT/<case>/…   the documents, as stored (letters are PDF/A-2b; uploads are kept as received)

Every unit's systemID is a UUID derived (uuid5) from a fixed namespace and the object it
stands for ("application:12", "letter:7"), so exporting again gives the same systemIDs and
an archive can recognise a case it has already taken in.

Written to disk as it goes: arkivstruktur.xml through lxml's incremental writer, one
saksmappe at a time, each document copied in chunks while it is hashed. No case, document
or file is held in memory beyond the one being written.

The element order and the required elements follow the standard's arkivstruktur.xsd
(version 5.0): in a saksmappe the journalposts come before saksaar … saksstatus, and in a
journalpost the dokumentbeskrivelser come before registreringsID and tittel, because the
schema derives saksmappe from mappe and journalpost from registrering by extension. The
schema in ``schemas/`` (written from the standard, covering what this export writes) is
what the tests check the output against.
"""

import hashlib
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from tilskudd.applications.models import Application, Attachment, Status
from tilskudd.archive.journal import INCOMING, OUTGOING, Entry, journal, pdf_format
from tilskudd.caselog.models import Entry as LogEntry

N5 = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
N5_LOG = "http://www.arkivverket.no/standarder/noark5/endringslogg"
ADDML = "http://www.arkivverket.no/standarder/addml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACE = uuid.UUID("6f1c2a53-6b0e-4f7e-9a43-4b1d5c0e2a17")  # fixed forever: the systemIDs depend on it
SYSTEM = "Kompetanse- og innovasjonstilskudd"
CHUNK = 1024 * 1024


def system_id(kind: str, key) -> str:
    """The stable UUID of an archive unit: the same object gives the same systemID in every export."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def _moment(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    return datetime(value.year, value.month, value.day, tzinfo=timezone.get_current_timezone()).isoformat()


# Characters XML 1.0 cannot carry (control characters a pasted text may hold): left out.
_NOT_IN_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def _add(parent, name: str, value, ns: str = N5):
    child = etree.SubElement(parent, f"{{{ns}}}{name}")
    child.text = str(value).translate(_NOT_IN_XML)
    return child


def _write_simple(xf, pairs, ns: str = N5) -> None:
    for name, value in pairs:
        element = etree.Element(f"{{{ns}}}{name}")
        element.text = str(value).translate(_NOT_IN_XML)
        xf.write(element)


class Extraction:
    """Counts and sums of what was written, for arkivuttrekk.xml and the tests."""

    def __init__(self, root: Path):
        self.root = root
        self.counts = Counter()
        self.files = 0
        self.period = []  # first and last journal date

    def copy(self, open_document, filename: str, folder: str, entry: int, index: int):
        """Copy a document into DOKUMENT/, hashing it on the way.

        Returns (reference, sha256, size, archival, format): a PDF is described from its own bytes
        (PDF/A if its metadata declares it, else its PDF version); other files get ``format`` "" (the
        caller's, by extension).
        """
        reference = f"DOKUMENT/{folder}/{entry:02d}-{index:02d}-{filename}"
        target = self.root / reference
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle = open_document()
        try:
            with target.open("wb") as out:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        finally:
            handle.close()
        self.files += 1
        archival, pronom = False, ""
        if filename.lower().endswith(".pdf"):
            pronom, archival = pdf_format(target.read_bytes())  # one document at a time
        return reference, digest.hexdigest(), size, archival, pronom


def _journalpost(extraction: Extraction, application, entry: Entry, number: int, folder: str):
    post = etree.Element(f"{{{N5}}}registrering", {f"{{{XSI}}}type": "journalpost"})
    _add(post, "systemID", system_id("journalpost", entry.key))
    _add(post, "opprettetDato", _moment(entry.at))
    _add(post, "opprettetAv", entry.person)
    _add(post, "arkivertDato", _moment(entry.at))
    _add(post, "arkivertAv", SYSTEM)
    for index, document in enumerate(entry.documents, start=1):
        description = etree.SubElement(post, f"{{{N5}}}dokumentbeskrivelse")
        _add(description, "systemID", system_id("dokumentbeskrivelse", f"{entry.key}/{document.key}"))
        _add(description, "dokumenttype", "Brev" if entry.direction == OUTGOING else "Søknad")
        _add(description, "dokumentstatus", "Dokumentet er ferdigstilt")
        _add(description, "tittel", document.title)
        _add(description, "opprettetDato", _moment(document.created))
        _add(description, "opprettetAv", document.created_by)
        _add(description, "tilknyttetRegistreringSom", "Hoveddokument" if document.main else "Vedlegg")
        _add(description, "dokumentnummer", index)
        _add(description, "tilknyttetDato", _moment(entry.at))
        _add(description, "tilknyttetAv", SYSTEM)
        objects = [(extraction.copy(document.open, document.filename, folder, number, index), "")]
        if document.archival_variant and not objects[0][0][3]:
            # stored before we rendered it as PDF/A: the same document rendered now, as its archival variant
            name = f"{PurePosixPath(document.filename).stem}-arkivformat.pdf"
            objects.append(
                (extraction.copy(document.archival_variant, name, folder, number, index), "/arkiv")
            )
        for (reference, sha256, size, archival, pronom), suffix in objects:
            item = etree.SubElement(description, f"{{{N5}}}dokumentobjekt")
            _add(item, "systemID", system_id("dokumentobjekt", f"{entry.key}/{document.key}{suffix}"))
            _add(item, "versjonsnummer", 1)
            _add(item, "variantformat", "Arkivformat" if archival else "Produksjonsformat")
            _add(item, "format", pronom or document.format)
            _add(item, "opprettetDato", _moment(document.created))
            _add(item, "opprettetAv", document.created_by)
            _add(item, "referanseDokumentfil", reference)
            _add(item, "sjekksum", sha256)
            _add(item, "sjekksumAlgoritme", "SHA256")
            _add(item, "filstoerrelse", size)
            _add(item, "filnavn", PurePosixPath(reference).name.split("-", 2)[2])
            _add(item, "mimeType", document.mime_type)
            extraction.counts["dokumentobjekt"] += 1
        extraction.counts["dokumentbeskrivelse"] += 1
    _add(post, "registreringsID", f"{application.case_number}-{number}")
    _add(post, "tittel", entry.title)
    sender = etree.SubElement(post, f"{{{N5}}}korrespondansepart")
    _add(sender, "korrespondanseparttype", "Avsender" if entry.direction == INCOMING else "Intern avsender")
    _add(sender, "korrespondansepartNavn", entry.sender)
    if entry.direction == INCOMING:
        _add(sender, "kontaktperson", entry.person)
    recipient = etree.SubElement(post, f"{{{N5}}}korrespondansepart")
    _add(
        recipient,
        "korrespondanseparttype",
        "Mottaker" if entry.direction == OUTGOING else "Intern mottaker",
    )
    _add(recipient, "korrespondansepartNavn", entry.recipient)
    year = timezone.localtime(entry.at).year
    _add(post, "journalaar", year)
    # Unique within the year across the archive and the same in every export: the case's
    # sequence number followed by the entry's number within the case (three digits).
    _add(post, "journalsekvensnummer", application.pk * 1000 + number)
    _add(post, "journalpostnummer", number)
    _add(post, "journalposttype", entry.journalposttype)
    _add(post, "journalstatus", "Ekspedert" if entry.direction == OUTGOING else "Journalført")
    _add(post, "journaldato", _moment(entry.at))
    _add(post, "dokumentetsDato", _moment(entry.at))
    if entry.direction == INCOMING:
        _add(post, "mottattDato", _moment(entry.at))
    elif entry.direction == OUTGOING:
        _add(post, "sendtDato", _moment(entry.at))
    _add(post, "antallVedlegg", sum(1 for document in entry.documents if not document.main))
    extraction.counts["registrering"] += 1
    extraction.period.append(entry.at)
    return post


def _saksmappe(extraction: Extraction, application: Application, entries: list[Entry]):
    folder = application.case_number.replace("/", "-")
    organisation = application.organisation
    case = etree.Element(f"{{{N5}}}mappe", {f"{{{XSI}}}type": "saksmappe"})
    _add(case, "systemID", system_id("saksmappe", application.pk))
    _add(case, "mappeID", application.case_number)
    _add(
        case,
        "tittel",
        f"Kompetanse- og innovasjonstilskudd {application.round.year} – {organisation.display_name}",
    )
    _add(case, "opprettetDato", _moment(application.submitted_at))
    _add(case, "opprettetAv", str(application.submitted_by) if application.submitted_by else SYSTEM)
    part = etree.SubElement(case, f"{{{N5}}}part")
    _add(part, "partID", organisation.organisasjonsnummer or f"organisasjon:{organisation.pk}")
    _add(part, "partNavn", organisation.display_name)
    _add(part, "partRolle", "Søker")
    if application.contact_email:
        _add(part, "epostadresse", application.contact_email)
    if application.contact_phone:
        _add(part, "telefonnummer", application.contact_phone)
    if application.contact_name:
        _add(part, "kontaktperson", application.contact_name)
    for number, entry in enumerate(entries, start=1):
        case.append(_journalpost(extraction, application, entry, number, folder))
    _add(case, "saksaar", application.round.year)
    _add(case, "sakssekvensnummer", application.pk)  # the case number is <saksaar>/<sakssekvensnummer>
    _add(case, "saksdato", _moment(application.submitted_at))
    _add(case, "administrativEnhet", application.round.office.name)
    responsible = next(
        (entry.person for entry in entries if entry.key.startswith("decision:")),
        application.round.office.name,
    )
    _add(case, "saksansvarlig", responsible)
    _add(case, "saksstatus", "Under behandling")
    extraction.counts["mappe"] += 1
    return case


def applications_of(round) -> "list[Application]":
    return (
        Application.objects.filter(round=round, status=Status.SUBMITTED)
        .select_related("organisation", "round__office", "submitted_by")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")))
        .order_by("pk")
    )


def write_extraction(root: Path, round, applications, *, progress=None) -> Extraction:
    """Write the extraction of ``applications`` (all of ``round``) into the empty folder ``root``.

    ``progress(done)`` is called after each case (the background task counts with it).
    """
    return write_office_extraction(
        root, round.office, [(round, applications)], title=round.title, progress=progress
    )


def write_office_extraction(root: Path, office, parts, *, title: str, progress=None) -> Extraction:
    """Write the extraction of an office's rounds into the empty folder ``root``: one arkivdel per round.

    ``parts`` yields ``(round, applications)`` in order; the applications are read as they are
    written. arkivstruktur.xml and endringslogg.xml are written side by side, one case at a time,
    so neither is ever held in memory. ``progress(done)`` is called after each case.
    """
    root.mkdir(parents=True, exist_ok=True)
    extraction = Extraction(root)
    now = timezone.now()
    done = 0
    with (
        etree.xmlfile(str(root / "arkivstruktur.xml"), encoding="utf-8") as xf,
        etree.xmlfile(str(root / "endringslogg.xml"), encoding="utf-8") as log,
    ):
        xf.write_declaration()
        log.write_declaration()
        with (
            xf.element(f"{{{N5}}}arkiv", nsmap={None: N5, "xsi": XSI}),
            log.element(f"{{{N5_LOG}}}endringslogg", nsmap={None: N5_LOG}),
        ):
            _write_simple(
                xf,
                [
                    ("systemID", system_id("arkiv", f"office:{office.pk}")),
                    ("tittel", f"{office.name} – {SYSTEM}"),
                    ("arkivstatus", "Opprettet"),
                    ("dokumentmedium", "Elektronisk arkiv"),
                    ("opprettetDato", _moment(now)),
                    ("opprettetAv", SYSTEM),
                ],
            )
            creator = etree.Element(f"{{{N5}}}arkivskaper")
            _add(creator, "arkivskaperID", office.organisasjonsnummer or f"embete:{office.pk}")
            _add(creator, "arkivskaperNavn", office.name)
            xf.write(creator)
            for round, applications in parts:
                arkivdel, klassifikasjonssystem, klasse = _round_units(round, now)
                with xf.element(f"{{{N5}}}arkivdel"):
                    _write_simple(xf, arkivdel)
                    with xf.element(f"{{{N5}}}klassifikasjonssystem"):
                        _write_simple(xf, klassifikasjonssystem)
                        with xf.element(f"{{{N5}}}klasse"):
                            _write_simple(xf, klasse)
                            for application in applications:
                                entries = journal(application)
                                xf.write(_saksmappe(extraction, application, entries))
                                xf.flush()
                                for change in changes_of(application):
                                    log.write(_endring(change))
                                    extraction.counts["endring"] += 1
                                log.flush()
                                done += 1
                                if progress:
                                    progress(done)
                extraction.counts["arkivdel"] += 1
    _write_description(extraction, office, title)
    return extraction


def _round_units(round, now):
    """The elements of the round's arkivdel, its klassifikasjonssystem and its klasse (before what they hold)."""
    return (
        [
            ("systemID", system_id("arkivdel", f"round:{round.pk}")),
            ("tittel", round.title),
            ("arkivdelstatus", "Aktiv periode"),
            ("dokumentmedium", "Elektronisk arkiv"),
            ("opprettetDato", _moment(round.created_at)),
            ("opprettetAv", SYSTEM),
        ],
        [
            ("systemID", system_id("klassifikasjonssystem", f"round:{round.pk}")),
            ("klassifikasjonstype", "Egendefinert"),
            ("tittel", SYSTEM),
            ("opprettetDato", _moment(now)),
            ("opprettetAv", SYSTEM),
        ],
        [
            ("systemID", system_id("klasse", f"round:{round.pk}")),
            ("klasseID", f"tilskudd-{round.year}"),
            ("tittel", f"{SYSTEM} {round.year}"),
            ("opprettetDato", _moment(now)),
            ("opprettetAv", SYSTEM),
        ],
    )


def _value(value) -> str:
    """A value as the log states it; an empty one as "-" (the standard wants text in both)."""
    return "-" if value in (None, "") else str(value)


def _decision_changes(application, decision) -> list[dict]:
    """The decision as approved changes requests changed it (``tilskudd/amendments``): the amounts moved
    between lines, a line's new content, a longer period. Replayed in the order they were decided, so each
    change states the value it replaced. The decision's journalpost (the letter and vedtak.json) is the
    unit changed."""
    from tilskudd.amendments.models import APPROVED, ChangeKind, ChangeRequest
    from tilskudd.amendments.selectors import period_end

    unit = system_id("journalpost", f"decision:{decision.pk}")
    lines = {line.pk: line for line in decision.lines.all()}
    amount = {pk: line.granted for pk, line in lines.items()}
    title = {pk: line.title for pk, line in lines.items()}
    ends = {pk: period_end(application.round) for pk in lines}
    found = []
    approved = (
        ChangeRequest.objects.filter(decision=decision, state__in=APPROVED)
        .select_related("decided_by")
        .order_by("decided_at", "pk")
    )
    for change in approved:
        by = str(change.decided_by) if change.decided_by_id else SYSTEM

        def changed(line_id, name, before, after, change=change, by=by):
            rank = lines[line_id].rank
            found.append(
                {
                    "unit": unit,
                    "field": f"vedtak: linjer[prioritet={rank}].{name}",
                    "at": change.decided_at,
                    "by": by,
                    "before": before,
                    "after": after,
                }
            )

        if change.kind == ChangeKind.MOVE and change.granted_amount:
            for line_id, sign in ((change.line_id, -1), (change.to_line_id, 1)):
                before = amount[line_id]
                amount[line_id] = before + sign * change.granted_amount
                changed(line_id, "innvilget", before, amount[line_id])
        elif change.kind == ChangeKind.CONTENT:
            if change.new_title and change.new_title != title[change.line_id]:
                changed(change.line_id, "tittel", title[change.line_id], change.new_title)
                title[change.line_id] = change.new_title
            if change.new_education_type:
                changed(change.line_id, "utdanningstype", "", change.new_education_type)
            if change.new_description:
                changed(change.line_id, "aktivitet", "", change.new_description)
        elif change.kind == ChangeKind.PERIOD and change.new_end:
            changed(change.line_id, "sluttdato", ends[change.line_id].isoformat(), change.new_end.isoformat())
            ends[change.line_id] = change.new_end
    return found


def _report_corrections(obligation) -> list[dict]:
    """What was changed in the report after it first came in (returned for correction, then edited)."""
    from tilskudd.reporting import events as reporting_events

    entries = list(
        LogEntry.objects.filter(subject_type__model="reportobligation", subject_id=obligation.pk)
        .select_related("actor")
        .order_by("at", "pk")
    )
    first_in = next(
        (entry.at for entry in entries if entry.kind == reporting_events.REPORT_SUBMITTED.code), None
    )
    if first_in is None:
        return []
    unit = system_id("journalpost", f"report:{obligation.pk}")
    return [
        {
            "unit": unit,
            "field": f"rapport: {change.get('label') or change.get('field')}",
            "at": entry.at,
            "by": str(entry.actor) if entry.actor else SYSTEM,
            "before": change.get("before"),
            "after": change.get("after"),
        }
        for entry in entries
        if entry.at > first_in and entry.kind != reporting_events.REPORT_SUBMITTED.code
        for change in entry.changes or []
    ]


def changes_of(application) -> list[dict]:
    """The case's endringslogg: changes to what its journal already holds, from the records of them.

    - the decision, changed by approved change requests (amounts moved, content, period);
    - the decision's acceptance deadline, when the office gave a new one (the case log's before → after);
    - the report, corrected after it first came in (the case log's before → after per field).

    Payments, acceptances, claims and answers are journalposts of their own, not changes.
    """
    from tilskudd.decisions.models import Decision
    from tilskudd.reporting.models import ReportObligation

    decision = (
        Decision.objects.filter(application=application, approved_at__isnull=False)
        .prefetch_related("lines")
        .first()
    )
    if decision is None:
        return []
    found = _decision_changes(application, decision)
    extended = LogEntry.objects.filter(
        subject_type__model="application", subject_id=application.pk, at__gt=decision.approved_at
    ).select_related("actor")
    for entry in extended:
        for change in entry.changes or []:
            if change.get("field") == "acceptance_deadline":
                found.append(
                    {
                        "unit": system_id("journalpost", f"decision:{decision.pk}"),
                        "field": "vedtak: akseptfrist",
                        "at": entry.at,
                        "by": str(entry.actor) if entry.actor else SYSTEM,
                        "before": change.get("before"),
                        "after": change.get("after"),
                    }
                )
    obligation = ReportObligation.objects.filter(decision=decision, submitted_at__isnull=False).first()
    if obligation is not None:
        found += _report_corrections(obligation)
    return sorted(found, key=lambda change: change["at"])


def _endring(change: dict):
    endring = etree.Element(f"{{{N5_LOG}}}endring")
    _add(endring, "referanseArkivenhet", change["unit"], N5_LOG)
    _add(endring, "referanseMetadata", change["field"], N5_LOG)
    _add(endring, "endretDato", _moment(change["at"]), N5_LOG)
    _add(endring, "endretAv", change["by"], N5_LOG)
    _add(endring, "tidligereVerdi", _value(change["before"]), N5_LOG)
    _add(endring, "nyVerdi", _value(change["after"]), N5_LOG)
    return endring


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _property(parent, name: str, value=None, data_type: str | None = None):
    element = etree.SubElement(parent, f"{{{ADDML}}}property", {"name": name})
    if data_type:
        element.set("dataType", data_type)
    if value is not None:
        _add(element, "value", value, ADDML)
    return element


def _properties(parent):
    return etree.SubElement(parent, f"{{{ADDML}}}properties")


def _file_object(parent, name: str, filename: str, sha256: str, occurrences: dict[str, int]):
    data_object = etree.SubElement(parent, f"{{{ADDML}}}dataObject", {"name": name})
    properties = _properties(data_object)
    file_properties = _properties(_property(properties, "file"))
    _property(file_properties, "name", filename)
    _properties(_property(file_properties, "format", "XML")).append(_version("1.0"))
    checksum = _properties(_property(file_properties, "checksum"))
    _property(checksum, "algorithm", "SHA-256")
    _property(checksum, "value", sha256)
    info = _properties(_property(properties, "info"))
    for element, count in occurrences.items():
        occurrence = _properties(_property(info, "numberOfOccurrences", element))
        _property(occurrence, "elementPath", f"//{element}")
        _property(occurrence, "value", count, "integer")


def _version(value: str):
    element = etree.Element(f"{{{ADDML}}}property", {"name": "version"})
    _add(element, "value", value, ADDML)
    return element


def _write_description(extraction: Extraction, office, title: str) -> None:
    """arkivuttrekk.xml: the ADDML description of the extraction (as the standard's template lays it out)."""
    root = etree.Element(f"{{{ADDML}}}addml", {"name": "Noark 5-arkivuttrekk"}, nsmap={None: ADDML})
    dataset = etree.SubElement(root, f"{{{ADDML}}}dataset")
    _add(dataset, "description", f"Noark 5-arkivuttrekk: {title}", ADDML)
    reference = etree.SubElement(dataset, f"{{{ADDML}}}reference")
    context = etree.SubElement(
        etree.SubElement(reference, f"{{{ADDML}}}context"), f"{{{ADDML}}}additionalElements"
    )
    creators = etree.SubElement(context, f"{{{ADDML}}}additionalElement", {"name": "recordCreators"})
    creator = etree.SubElement(
        etree.SubElement(creators, f"{{{ADDML}}}additionalElements"),
        f"{{{ADDML}}}additionalElement",
        {"name": "recordCreator"},
    )
    _add(creator, "value", office.name, ADDML)
    for name, value in (
        ("systemType", "Sakarkiv (Noark-5)"),
        ("systemName", SYSTEM),
        ("archive", title),
    ):
        _add(
            etree.SubElement(context, f"{{{ADDML}}}additionalElement", {"name": name}), "value", value, ADDML
        )
    content = etree.SubElement(
        etree.SubElement(reference, f"{{{ADDML}}}content"), f"{{{ADDML}}}additionalElements"
    )
    period = _properties(
        etree.SubElement(content, f"{{{ADDML}}}additionalElement", {"name": "archivalPeriod"})
    )
    dates = sorted(extraction.period)
    start = timezone.localdate(dates[0]) if dates else timezone.localdate()
    end = timezone.localdate(dates[-1]) if dates else start
    _property(period, "startDate", start.isoformat())
    _property(period, "endDate", end.isoformat())
    top = etree.SubElement(etree.SubElement(dataset, f"{{{ADDML}}}dataObjects"), f"{{{ADDML}}}dataObject")
    top.set("name", "Noark 5-arkivuttrekk")
    info = _properties(_property(_properties(top), "info"))
    kind = _property(info, "type", "Noark 5")
    _properties(kind).append(_version("5.0"))
    additional = _properties(_property(info, "additionalInfo"))
    _property(additional, "inneholderSkjermetInformasjon", "false", "boolean")
    _property(additional, "omfatterDokumenterSomErKassert", "false", "boolean")
    _property(additional, "inneholderDokumenterSomSkalKasseres", "false", "boolean")
    _property(additional, "inneholderVirksomhetsspesifikkeMetadata", "false", "boolean")
    _property(additional, "antallDokumentfiler", extraction.files, "integer")
    children = etree.SubElement(top, f"{{{ADDML}}}dataObjects")
    counts = extraction.counts
    _file_object(
        children,
        "arkivstruktur",
        "arkivstruktur.xml",
        file_sha256(extraction.root / "arkivstruktur.xml"),
        {
            "mappe": counts["mappe"],
            "registrering": counts["registrering"],
            "dokumentbeskrivelse": counts["dokumentbeskrivelse"],
            "dokumentobjekt": counts["dokumentobjekt"],
        },
    )
    _file_object(
        children,
        "endringslogg",
        "endringslogg.xml",
        file_sha256(extraction.root / "endringslogg.xml"),
        {"endring": counts["endring"]},
    )
    etree.ElementTree(root).write(
        str(extraction.root / "arkivuttrekk.xml"), encoding="utf-8", xml_declaration=True, pretty_print=True
    )
