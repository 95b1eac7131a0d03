"""The Noark 5 extraction (issue 17), checked as an archivist would check it.

``check`` is the archivist's check: arkivstruktur.xml and endringslogg.xml against the schemas we
wrote from the standard (element order, required elements, types, code lists), every document
file present with the size and SHA-256 stated, every systemID unique, and arkivuttrekk.xml's
counts and checksums matching what is in the folder.
"""

import hashlib
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from tests.factories import make_round, submitted_application
from tilskudd.applications.models import Application, Status
from tilskudd.archive import noark
from tilskudd.archive.journal import INCOMING, INTERNAL, OUTGOING, journal
from tilskudd.archive.models import Extraction
from tilskudd.archive.services import start_extraction
from tilskudd.archive.tasks import make_extraction
from tilskudd.decisions import issuing
from tilskudd.decisions.models import Payment
from tilskudd.rounds.models import Round

pytestmark = pytest.mark.django_db

SCHEMAS = Path(noark.__file__).parent / "schemas"
NS = {"n5": noark.N5, "a": noark.ADDML, "log": noark.N5_LOG}


def _schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(root: Path):
    """Everything an archive checks on taking the extraction in. Returns arkivstruktur.xml's tree."""
    structure = etree.parse(str(root / "arkivstruktur.xml"))
    _schema("arkivstruktur.xsd").assertValid(structure)
    changes = etree.parse(str(root / "endringslogg.xml"))
    _schema("endringslogg.xsd").assertValid(changes)

    ids = structure.xpath("//n5:systemID/text()", namespaces=NS)
    assert len(ids) == len(set(ids)), "systemIDs must be unique"
    for item in structure.xpath("//n5:dokumentobjekt", namespaces=NS):
        reference = item.findtext("n5:referanseDokumentfil", namespaces=NS)
        path = root / reference
        assert path.is_file(), f"{reference} is missing"
        assert path.resolve().is_relative_to(root.resolve())
        assert item.findtext("n5:sjekksumAlgoritme", namespaces=NS) == "SHA256"
        assert item.findtext("n5:sjekksum", namespaces=NS) == _sha256(path), reference
        assert int(item.findtext("n5:filstoerrelse", namespaces=NS)) == path.stat().st_size, reference
    files = [p for p in (root / "DOKUMENT").rglob("*") if p.is_file()] if (root / "DOKUMENT").exists() else []
    assert len(files) == len(structure.xpath("//n5:dokumentobjekt", namespaces=NS)), "a file no one refers to"

    description = etree.parse(str(root / "arkivuttrekk.xml"))

    def stated(data_object, path):
        return description.xpath(
            f"//a:dataObject[@name='{data_object}']/a:properties/a:property[@name='file']"
            f"//a:property[@name='{path}']/a:value/text()",
            namespaces=NS,
        )

    assert stated("arkivstruktur", "value") == [_sha256(root / "arkivstruktur.xml")]
    assert stated("endringslogg", "value") == [_sha256(root / "endringslogg.xml")]
    for element in ("mappe", "registrering", "dokumentbeskrivelse", "dokumentobjekt"):
        counted = description.xpath(
            f"//a:property[@name='numberOfOccurrences'][a:value='{element}']"
            "//a:property[@name='value']/a:value/text()",
            namespaces=NS,
        )
        assert counted == [str(len(structure.xpath(f"//n5:{element}", namespaces=NS)))], element
    files_stated = description.xpath(
        "//a:property[@name='antallDokumentfiler']/a:value/text()", namespaces=NS
    )
    assert files_stated == [str(len(files))]
    return structure


def _full_case(cast):
    """Trondheim's case with everything: decision, letter, acceptance, payment, report with the
    auditor's statement, and a repayment claim."""
    from tests.test_caselog import _claim

    claim = _claim(cast)  # accepted and paid in full before its report (tests.test_settlement.reported)
    decision = claim.decision
    issuing.issue_letter(decision)
    return decision.application


def _another_payment(decision, by):
    """One more payment row, as the case grows (the service refuses paying out money the report put in
    the owed account, so it is made directly: this counts queries, not rules)."""
    Payment.objects.create(decision=decision, paid_on=timezone.localdate(), amount=1, recorded_by=by)


def _extract(tmp_path, application, name="uttrekk"):
    root = tmp_path / name
    noark.write_extraction(root, application.round, [application])
    return root


def test_a_full_case_passes_the_checks_and_carries_every_journal_entry(cast, tmp_path):
    application = _full_case(cast)
    structure = check(_extract(tmp_path, application))

    [case] = structure.xpath("//n5:mappe", namespaces=NS)
    assert case.get(f"{{{noark.XSI}}}type") == "saksmappe"
    year, sequence = application.case_number.split("/")
    assert case.findtext("n5:saksaar", namespaces=NS) == year
    assert case.findtext("n5:sakssekvensnummer", namespaces=NS) == str(int(sequence))
    assert case.findtext("n5:mappeID", namespaces=NS) == application.case_number
    posts = case.xpath("n5:registrering", namespaces=NS)
    kinds = [
        (p.findtext("n5:journalposttype", namespaces=NS), p.findtext("n5:tittel", namespaces=NS))
        for p in posts
    ]
    titles = " | ".join(title for _kind, title in kinds)
    for expected in (
        "Søknad",
        "Kvittering",
        "Vedtak",
        "Aksept",
        "Utbetaling",
        "Rapport",
        "Krav om tilbakebetaling",
    ):
        assert expected in titles
    types = {kind for kind, _title in kinds}
    assert types == {"Inngående dokument", "Utgående dokument", "Organinternt dokument uten oppfølging"}
    assert [p.findtext("n5:journalpostnummer", namespaces=NS) for p in posts] == [
        str(n) for n in range(1, len(posts) + 1)
    ]
    # the letter is PDF/A-2b; the application's upload and the auditor's statement are attachments
    formats = structure.xpath("//n5:dokumentobjekt/n5:format/text()", namespaces=NS)
    assert "fmt/477" in formats
    roles = structure.xpath("//n5:tilknyttetRegistreringSom/text()", namespaces=NS)
    assert roles.count("Vedlegg") >= 2
    received = [p for p in posts if p.findtext("n5:journalposttype", namespaces=NS) == "Inngående dokument"]
    assert all(p.find("n5:mottattDato", namespaces=NS) is not None for p in received)
    sent_to = posts[1].xpath(
        "n5:korrespondansepart[n5:korrespondanseparttype='Mottaker']/n5:korrespondansepartNavn/text()",
        namespaces=NS,
    )
    assert sent_to == [application.organisation.display_name]


def test_exporting_again_gives_the_same_system_ids(cast, tmp_path):
    application = _full_case(cast)
    first = check(_extract(tmp_path, application, "first")).xpath("//n5:systemID/text()", namespaces=NS)
    second = check(_extract(tmp_path, application, "second")).xpath("//n5:systemID/text()", namespaces=NS)
    assert first == second
    assert noark.system_id("saksmappe", application.pk) in first


def test_the_schema_check_catches_wrong_order_missing_elements_and_wrong_types(cast, tmp_path):
    """The check is not a rubber stamp: each kind of fault the standard forbids is refused."""
    root = _extract(
        tmp_path, submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    )
    schema = _schema("arkivstruktur.xsd")
    good = etree.parse(str(root / "arkivstruktur.xml"))
    assert schema.validate(good)

    def broken(change):
        tree = etree.parse(str(root / "arkivstruktur.xml"))
        change(tree)
        return schema.validate(tree)

    def saksaar_first(tree):  # saksaar belongs after the journalposts
        case = tree.find(".//n5:mappe", NS)
        case.insert(1, case.find("n5:saksaar", NS))

    def no_checksum(tree):
        item = tree.find(".//n5:sjekksum", NS)
        item.getparent().remove(item)

    def size_as_text(tree):
        tree.find(".//n5:filstoerrelse", NS).text = "stor"

    def not_a_uuid(tree):
        tree.find(".//n5:registrering/n5:systemID", NS).text = "12"

    def unknown_type(tree):
        tree.find(".//n5:journalposttype", NS).text = "Innkommende"

    for change in (saksaar_first, no_checksum, size_as_text, not_a_uuid, unknown_type):
        assert not broken(change), change.__name__


def test_a_changed_document_is_caught(cast, tmp_path):
    root = _extract(
        tmp_path, submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    )
    check(root)
    victim = next(p for p in (root / "DOKUMENT").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b" ")
    with pytest.raises(AssertionError):
        check(root)


def test_the_case_download_is_a_zip_of_the_extraction_for_office_staff_only(client_for, cast):
    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    url = reverse("archive:case_extraction", args=[application.pk])
    assert client_for(cast.signer_a).get(url).status_code in (403, 404)
    response = client_for(cast.officer_t).get(url)
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert {"arkivstruktur.xml", "arkivuttrekk.xml", "endringslogg.xml"} <= set(names)
    assert any(name.startswith("DOKUMENT/") for name in names)


def test_the_round_extraction_is_made_by_the_worker_with_progress_and_downloaded(client_for, cast, tmp_path):
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.officer_t)
    page = reverse("archive:round_extractions", args=[round.pk])
    assert client.get(page).status_code == 200
    assert not Extraction.objects.exists()  # a GET starts nothing

    client.post(reverse("archive:extraction_start", args=[round.pk]))
    extraction = Extraction.objects.get(round=round)
    assert extraction.total == Application.objects.filter(round=round, status=Status.SUBMITTED).count()
    assert start_extraction(round=round, by=cast.officer_t) == extraction  # one at a time
    progress = client.get(reverse("archive:extraction_progress", args=[round.pk])).content.decode()
    assert "hx-get" in progress  # the page polls while the worker works

    make_extraction.call(extraction.pk)
    extraction.refresh_from_db()
    assert extraction.done == extraction.total and extraction.finished_at and not extraction.error
    response = client.get(reverse("archive:extraction_download", args=[round.pk]))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == extraction.sha256
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path / "round")
    structure = check(tmp_path / "round")
    assert len(structure.xpath("//n5:mappe", namespaces=NS)) == extraction.total


def test_the_case_page_shows_the_journal_the_extraction_carries(client_for, cast):
    application = _full_case(cast)
    entries = journal(application)
    assert {entry.direction for entry in entries} == {INCOMING, OUTGOING, INTERNAL}
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    page = client_for(cast.officer_t).get(reverse("applications:application_detail", args=[application.pk]))
    html = page.content.decode()
    assert 'id="journal"' in html
    for number, entry in enumerate(entries, start=1):
        assert f"{application.case_number}-{number}" in html
        assert entry.title in html
    applicant = client_for(cast.signer_a).get(
        reverse("applications:application_detail", args=[application.pk])
    )
    assert 'id="journal"' not in applicant.content.decode()


def test_a_stalled_extraction_can_be_made_again(cast):
    round = make_round(cast.office_t)
    first = start_extraction(round=round, by=cast.officer_t)
    Extraction.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    second = start_extraction(round=round, by=cast.officer_t)
    assert second != first


def test_the_demos_decided_round_exports_and_passes(tmp_path):
    call_command("load_demo", verbosity=0)
    round = Round.objects.get(office__name="Statsforvalteren i Trøndelag", year=2025)
    applications = noark.applications_of(round)
    noark.write_extraction(tmp_path / "demo", round, applications)
    structure = check(tmp_path / "demo")
    cases = structure.xpath("//n5:mappe/n5:mappeID/text()", namespaces=NS)
    assert sorted(cases) == sorted(a.case_number for a in applications)
    assert structure.xpath(
        "//n5:registrering[n5:tittel[starts-with(., 'Krav om tilbakebetaling')]]", namespaces=NS
    )
    assert structure.xpath("//n5:registrering[n5:tittel='Rapport om bruk av tilskuddet']", namespaces=NS)


def test_the_journal_reads_a_fixed_number_of_queries_however_many_documents(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tilskudd.applications.models import Attachment

    application = Application.objects.select_related("organisation", "round__office", "submitted_by").get(
        pk=_full_case(cast).pk
    )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            journal(application)
        return len(captured)

    before = queries()
    for name in ("a.pdf", "b.pdf"):  # attachments added afterwards, as an administrator might
        Attachment.objects.create(
            application=application,
            file=SimpleUploadedFile(name, b"%PDF-1.4 x"),
            stored_name=name,
            original_name=name,
            content_type="application/pdf",
            size=10,
            uploaded_by=cast.signer_a,
        )
    decision = application.decision
    _another_payment(decision, cast.officer_t)
    assert queries() == before


def test_the_case_page_with_its_journal_keeps_its_query_count_as_the_case_grows(client_for, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.helpers import assert_queries_constant
    from tilskudd.applications.models import Attachment

    application = _full_case(cast)
    url = reverse("applications:application_detail", args=[application.pk])

    def grow():
        Attachment.objects.create(
            application=application,
            file=SimpleUploadedFile("c.pdf", b"%PDF-1.4 x"),
            stored_name="c.pdf",
            original_name="c.pdf",
            content_type="application/pdf",
            size=10,
            uploaded_by=cast.signer_a,
        )
        _another_payment(application.decision, cast.officer_t)

    assert_queries_constant(client_for(cast.officer_t), url, grow)


def test_the_round_page_links_to_the_extraction(client_for, cast):
    round = make_round(cast.office_t)
    page = client_for(cast.officer_t).get(reverse("rounds:round_manage", args=[round.pk])).content.decode()
    assert reverse("archive:round_extractions", args=[round.pk]) in page


def test_a_control_character_in_a_file_name_does_not_break_the_xml(cast, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tilskudd.applications.models import Attachment

    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    Attachment.objects.create(
        application=application,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"),
        stored_name="x.pdf",
        original_name="bud\x0bsjett.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=cast.signer_a,
    )
    structure = check(_extract(tmp_path, application))
    assert "budsjett.pdf" in structure.xpath("//n5:dokumentbeskrivelse/n5:tittel/text()", namespaces=NS)


def test_change_requests_and_their_answers_are_journalposts_with_the_amendment_letter(cast, tmp_path):
    from tests.test_amendments import approved_move, ask_move
    from tests.test_reporting import award
    from tilskudd.amendments import services as amendments

    decision = award(cast)
    approved_move(cast, decision)
    refused = ask_move(cast, decision, 20_000)
    amendments.refuse_change(change=refused, by=cast.officer_t, reason="Tiltaket er allerede fullfinansiert.")
    structure = check(_extract(tmp_path, decision.application))

    asked = structure.xpath("//n5:registrering[starts-with(n5:tittel, 'Søknad om endring')]", namespaces=NS)
    assert len(asked) == 2
    assert {p.findtext("n5:journalposttype", namespaces=NS) for p in asked} == {"Inngående dokument"}
    answers = structure.xpath(
        "//n5:registrering[starts-with(n5:tittel, 'Svar på søknad om endring')]", namespaces=NS
    )
    assert len(answers) == 2
    assert {p.findtext("n5:journalposttype", namespaces=NS) for p in answers} == {"Utgående dokument"}
    letters = structure.xpath(
        "//n5:dokumentbeskrivelse[n5:tittel='Endringsvedtak 1']/n5:dokumentobjekt/n5:format/text()",
        namespaces=NS,
    )
    assert letters == ["fmt/477"]
    assert any(entry.key.startswith("change_answer:") for entry in journal(decision.application))


# --- An office's rounds over a range of years -------------------------------------------------------


def test_the_office_extracts_the_rounds_of_a_range_of_years_with_one_arkivdel_per_round(
    client_for, cast, tmp_path
):
    older = make_round(cast.office_t, year=2026)
    newer = make_round(cast.office_t, year=2027)
    make_round(cast.office_t, year=2028)  # outside the range asked for
    submitted_application(older, cast.kommune_a, by=cast.signer_a)
    submitted_application(newer, cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.officer_t)
    page = client.get(reverse("archive:office_archive")).content.decode()
    assert 'min="2026"' in page and 'max="2028"' in page
    assert not Extraction.objects.exists()  # a GET starts nothing

    client.post(reverse("archive:range_start"), {"year_from": "2026", "year_to": "2027"})
    extraction = Extraction.objects.get(office=cast.office_t, round__isnull=True)
    assert (extraction.year_from, extraction.year_to, extraction.total) == (2026, 2027, 2)
    progress = client.get(reverse("archive:range_progress")).content.decode()
    assert "hx-get" in progress

    make_extraction.call(extraction.pk)
    extraction.refresh_from_db()
    assert extraction.done == 2 and extraction.finished_at and not extraction.error
    response = client.get(reverse("archive:range_download"))
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == extraction.sha256
    zipfile.ZipFile(io.BytesIO(content)).extractall(tmp_path / "range")
    structure = check(tmp_path / "range")
    parts = structure.xpath("/n5:arkiv/n5:arkivdel/n5:tittel/text()", namespaces=NS)
    assert parts == [older.title, newer.title]
    assert len(structure.xpath("//n5:mappe", namespaces=NS)) == 2
    assert client_for(cast.officer_n).get(reverse("archive:range_download")).status_code == 404


@pytest.mark.parametrize(
    ("years", "field", "message"),
    [
        ({"year_from": "2019", "year_to": "2027"}, "year_from", "Velg et år fra 2026 til 2027"),
        ({"year_from": "2027", "year_to": "2026"}, "year_to", "Det siste året kan ikke være før det første"),
        ({"year_from": "tjue", "year_to": "2027"}, "year_from", "Skriv året med fire sifre"),
        ({"year_from": "", "year_to": "2027"}, "year_from", "Skriv et år"),
    ],
)
def test_years_outside_the_offices_rounds_are_refused_next_to_the_field(
    client_for, cast, years, field, message
):
    make_round(cast.office_t, year=2026)
    make_round(cast.office_t, year=2027)
    response = client_for(cast.officer_t).post(
        reverse("archive:range_start"), years, HTTP_ACCEPT_LANGUAGE="nb"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    assert not Extraction.objects.exists()


def test_the_service_itself_refuses_years_outside_the_offices_rounds(cast):
    from django.core.exceptions import ValidationError

    from tilskudd.archive.services import start_range_extraction

    make_round(cast.office_t, year=2027)
    with pytest.raises(ValidationError):
        start_range_extraction(office=cast.office_t, by=cast.officer_t, year_from=2020, year_to=2027)
    with pytest.raises(PermissionDenied):
        start_range_extraction(office=cast.office_t, by=cast.officer_n, year_from=2027, year_to=2027)
    assert not Extraction.objects.exists()


# --- A run whose worker stopped ---------------------------------------------------------------------


def test_a_run_whose_worker_stopped_is_given_up_with_a_clear_message_and_a_new_one_takes_over(
    client_for, cast
):
    round = make_round(cast.office_t)
    submitted_application(round, cast.kommune_a, by=cast.signer_a)
    first = start_extraction(round=round, by=cast.officer_t)
    Extraction.objects.filter(pk=first.pk).update(
        started_at=timezone.now() - timedelta(hours=1), heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    page = client_for(cast.officer_t).get(reverse("archive:round_extractions", args=[round.pk]))
    assert "har stoppet" in page.content.decode() or "stalled" in page.content.decode()
    first.refresh_from_db()
    assert first.abandoned_at is None  # a GET writes nothing

    second = start_extraction(round=round, by=cast.officer_t)
    assert second != first
    first.refresh_from_db()
    assert first.abandoned_at and first.finished_at
    assert "stoppet etter 0 av 1 saker" in first.error

    # the stopped worker comes back: it finds its run given up and stores nothing
    make_extraction.call(first.pk)
    first.refresh_from_db()
    assert not first.file and not first.sha256
    make_extraction.call(second.pk)
    second.refresh_from_db()
    assert second.file and not second.error


def test_a_worker_whose_run_is_given_up_part_way_stops_without_storing(cast, monkeypatch):
    from tilskudd.archive import tasks
    from tilskudd.archive.services import start_range_extraction

    for year in (2026, 2027):
        submitted_application(make_round(cast.office_t, year=year), cast.kommune_a, by=cast.signer_a)
    extraction = start_range_extraction(office=cast.office_t, by=cast.officer_t, year_from=2026, year_to=2027)
    real_beat = tasks.beat

    def beat_then_given_up(extraction_id, **changes):
        real_beat(extraction_id, **changes)
        if changes.get("done") == 1:  # another start gave the run up meanwhile
            Extraction.objects.filter(pk=extraction_id).update(abandoned_at=timezone.now())

    monkeypatch.setattr(tasks, "beat", beat_then_given_up)
    make_extraction.call(extraction.pk)
    extraction.refresh_from_db()
    assert extraction.done == 1 and not extraction.file and not extraction.finished_at


# --- endringslogg.xml ---------------------------------------------------------------------------


def test_the_endringslogg_records_the_decision_as_approved_change_requests_changed_it(cast, tmp_path):
    from tests.test_amendments import approved_move
    from tests.test_reporting import award

    decision = award(cast)
    lines = {line.rank: line for line in decision.lines.all()}
    approved_move(cast, decision, 50_000)
    root = _extract(tmp_path, decision.application)
    check(root)
    log = etree.parse(str(root / "endringslogg.xml"))
    changes = log.xpath("//log:endring", namespaces=NS)
    assert len(changes) == 2
    unit = noark.system_id("journalpost", f"decision:{decision.pk}")
    structure = etree.parse(str(root / "arkivstruktur.xml"))
    assert structure.xpath(f"//n5:registrering[n5:systemID='{unit}']", namespaces=NS)  # it refers to a unit
    found = {
        change.findtext("log:referanseMetadata", namespaces=NS): (
            change.findtext("log:tidligereVerdi", namespaces=NS),
            change.findtext("log:nyVerdi", namespaces=NS),
        )
        for change in changes
    }
    assert {change.findtext("log:referanseArkivenhet", namespaces=NS) for change in changes} == {unit}
    moved = {int(before) - int(after) for before, after in found.values()}
    assert moved == {50_000, -50_000}
    assert all(name.startswith("vedtak: linjer[prioritet=") for name in found)
    assert sum(line.granted for line in lines.values()) == sum(
        int(after) for _b, after in found.values()
    ) + sum(
        line.granted
        for rank, line in lines.items()
        if f"vedtak: linjer[prioritet={rank}].innvilget" not in found
    )


def test_a_case_without_changes_has_an_empty_valid_endringslogg(cast, tmp_path):
    root = _extract(
        tmp_path, submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    )
    check(root)
    log = etree.parse(str(root / "endringslogg.xml"))
    assert log.getroot().tag == f"{{{noark.N5_LOG}}}endringslogg"
    assert len(log.getroot()) == 0


# --- PDF/A ----------------------------------------------------------------------------------------


def test_every_pdf_we_make_declares_pdf_a_and_the_extraction_says_what_each_file_is(cast, tmp_path):
    from tests.test_letters import xmp
    from tilskudd.applications.receipts import receipt_pdf

    application = _full_case(cast)
    assert re.search(rb"pdfaid:part(>|=\")2", xmp(receipt_pdf(application)))
    root = _extract(tmp_path, application)
    structure = check(root)
    made_by_us = structure.xpath("//n5:dokumentobjekt[n5:variantformat='Arkivformat']", namespaces=NS)
    titles = " ".join(item.getparent().findtext("n5:tittel", namespaces=NS) for item in made_by_us)
    for expected in ("Kvittering", "Krav om tilbakebetaling"):
        assert expected in titles
    assert any(t in titles for t in ("Tildelingsbrev", "Avslagsbrev"))
    for item in made_by_us:
        pdf = (root / item.findtext("n5:referanseDokumentfil", namespaces=NS)).read_bytes()
        assert re.search(rb"pdfaid:part(>|=\")2", xmp(pdf))
        assert re.search(rb"pdfaid:conformance(>|=\")B", xmp(pdf))
        assert item.findtext("n5:format", namespaces=NS) == "fmt/477"
    # an upload that is plain PDF is stated as received
    uploads = structure.xpath(
        "//n5:dokumentobjekt[n5:variantformat='Produksjonsformat'][n5:mimeType='application/pdf']",
        namespaces=NS,
    )
    assert uploads and all(i.findtext("n5:format", namespaces=NS) != "fmt/477" for i in uploads)


def test_a_receipt_stored_before_pdf_a_is_carried_as_sent_and_as_pdf_a(cast, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.test_letters import xmp
    from tilskudd.applications.receipts import receipt_path

    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    path = receipt_path(application)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(b"%PDF-1.4\n% an old receipt, not PDF/A\n%%EOF\n"))
    structure = check(_extract(tmp_path, application))
    [receipt] = structure.xpath(
        "//n5:dokumentbeskrivelse[n5:tittel='Kvittering for innsendt søknad']", namespaces=NS
    )
    variants = {
        item.findtext("n5:variantformat", namespaces=NS): item.findtext("n5:format", namespaces=NS)
        for item in receipt.xpath("n5:dokumentobjekt", namespaces=NS)
    }
    assert variants == {"Produksjonsformat": "fmt/18", "Arkivformat": "fmt/477"}
    archival = receipt.xpath("n5:dokumentobjekt[n5:variantformat='Arkivformat']", namespaces=NS)[0]
    pdf = (tmp_path / "uttrekk" / archival.findtext("n5:referanseDokumentfil", namespaces=NS)).read_bytes()
    assert re.search(rb"pdfaid:part(>|=\")2", xmp(pdf))


def test_the_case_page_reads_the_decision_and_the_attachments_once_for_all_its_panels(client_for, cast):
    """P2: the decision's panel, the money's panel, the changes' panel and the journal show the same decision, and the page
    and the journal the same attachments: each is read once per page, not once per panel."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = _full_case(cast)
    client = client_for(cast.officer_t)
    url = reverse("applications:application_detail", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    froms = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in captured if " FROM " in q["sql"]]
    decision_reads = [q["sql"] for q in captured if q["sql"].startswith('SELECT "decisions_decision"."id"')]
    assert len(decision_reads) == 1, decision_reads  # (besides whether there is one, and its status)
    assert froms.count('"applications_attachment"') == 1
    assert 'id="journal"' in body and 'id="decision"' in body
