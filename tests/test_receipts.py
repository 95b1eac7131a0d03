"""The receipt for a submitted application: a PDF built from the snapshot, and an e-mail.

Translations of the receipt's prose may not be in the catalogue yet, so these tests
assert on data (names, amounts, the case number), never on translated sentences.

Neither poppler's ``pdftotext`` nor pypdf is available here, so ``pdf_text`` below is
a small extractor for what WeasyPrint writes: Flate streams, object streams and
Identity-H fonts with ToUnicode maps. It is not a general PDF parser.
"""

import re
import shutil
import subprocess
import zlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from tests.factories import make_application, make_round, submitted_application
from tilskudd.applications import receipts, services
from tilskudd.applications.models import Line
from tilskudd.applications.receipts import receipt_html, receipt_pdf, send_receipt
from tilskudd.domain.deadlines import format_local
from tilskudd.domain.money import format_kroner

pytestmark = pytest.mark.django_db

TITLES = ("Videreutdanning psykisk helse", "Opplæring av arbeidsledere", "Fleksibel avlastning for pårørende")


# --- PDF text extraction -------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def _pdf_objects(pdf: bytes) -> tuple[dict[int, bytes], dict[int, bytes]]:
    """(objects, streams): every object's text, and every stream's decoded data, by number."""
    objects, streams = {}, {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*stream\r?\n", pdf, re.S):
        number, head = int(match[1]), match[2]
        length = int(re.search(rb"/Length (\d+)", head)[1])
        data = pdf[match.end() : match.end() + length]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[number], streams[number] = head, data
        if b"/Type /ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head)[1])
            pairs = [int(n) for n in data[:first].split()]
            entries = list(zip(pairs[::2], pairs[1::2], strict=True))
            for i, (inner, offset) in enumerate(entries):
                end = entries[i + 1][1] if i + 1 < len(entries) else len(data) - first
                objects[inner] = data[first + offset : first + end]
    return objects, streams


def _cmap(data: bytes) -> dict[int, str]:
    def text(hex_digits: bytes) -> str:
        return bytes.fromhex(hex_digits.decode()).decode("utf-16-be")

    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for source, target in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(source, 16)] = text(target)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for start, end, target in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            first = int(target, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _own_pdf_text(pdf: bytes) -> str:
    objects, streams = _pdf_objects(pdf)
    maps = {
        number: _cmap(streams[int(ref)])
        for number, body in objects.items()
        for ref in re.findall(rb"/ToUnicode (\d+) 0 R", body)
    }
    fonts = {
        name.decode(): maps[int(ref)]
        for body in objects.values()
        for name, ref in re.findall(rb"/([^\s/<>\[\]()]+) (\d+) 0 R", body)
        if int(ref) in maps
    }
    runs = []
    operators = re.compile(rb"/([^\s/<>\[\]()]+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj")
    for number, data in streams.items():
        if b" Tf" not in data or number in maps:
            continue
        font = {}
        for match in operators.finditer(data):
            if match[1]:
                font = fonts.get(match[1].decode(), {})
                continue
            hex_strings = re.findall(rb"<([0-9a-fA-F]*)>", match[2]) if match[2] is not None else [match[3]]
            codes = b"".join(bytes.fromhex(h.decode()) for h in hex_strings)
            runs.append(
                "".join(font.get(int.from_bytes(codes[i : i + 2]), "?") for i in range(0, len(codes), 2))
            )
    return "\n".join(runs)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, whitespace normalised (no-break spaces become spaces)."""
    if shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        return normalise(result.stdout.decode())
    return normalise(_own_pdf_text(pdf))


def pdf_objects_text(pdf: bytes) -> bytes:
    """Every object's dictionary, object streams unpacked (where /MediaBox, /Lang and the like live)."""
    objects, _ = _pdf_objects(pdf)
    return b"\n".join(objects.values())


def pdf_info(pdf: bytes, key: str) -> str:
    """A document information entry (/Title, /Author), literal or UTF-16 hex string."""
    objects, _ = _pdf_objects(pdf)
    info = next(body for body in objects.values() if b"/Producer" in body)
    match = re.search(rb"/" + key.encode() + rb" (?:\(((?:[^()\\]|\\.)*)\)|<([0-9a-fA-F]*)>)", info)
    if match[1] is not None:
        return match[1].decode("latin-1")
    return bytes.fromhex(match[2].decode()).decode("utf-16")


# --- Fixtures ----------------------------------------------------------------------


@pytest.fixture
def application(cast):
    return submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)


# --- The PDF -----------------------------------------------------------------------


def test_the_extractor_reads_weasyprint_output(application):
    """Guard for the home-made extractor: text known to be in the PDF comes back."""
    text = pdf_text(receipt_pdf(application))
    assert "Statsforvalteren i Trøndelag" in text


def test_the_pdf_is_an_a4_pdf_with_title_author_and_language(application):
    pdf = receipt_pdf(application)
    assert pdf.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.27" in pdf_objects_text(pdf)  # A4: 210 x 297 mm in points
    assert application.case_number in pdf_info(pdf, "Title")
    assert pdf_info(pdf, "Author") == "Statsforvalteren i Trøndelag"
    assert b"/Lang (nb)" in pdf_objects_text(pdf)


def test_the_receipts_stylesheet_is_parsed_once_and_styles_every_receipt(application, stylesheet_parses):
    texts = [pdf_text(receipt_pdf(application)) for _ in range(3)]
    assert len(stylesheet_parses) == 1
    assert "@page" in stylesheet_parses[0]["string"]  # the page rule comes from the stylesheet, not the HTML
    for text in texts:  # each receipt styled: the page numbers come from the stylesheet's @page rule
        assert re.search(r"\b1 ?/ ?[1-9]\b", text)


def test_the_pdf_names_organisation_case_number_lines_and_total(application, cast):
    text = pdf_text(receipt_pdf(application))
    assert cast.kommune_a.display_name in text
    assert application.case_number in text
    assert application.round.title in text
    assert "Statsforvalteren i Trøndelag" in text
    for title in TITLES:
        assert title in text
    assert normalise(format_kroner(850_000)) == "850 000 kr"
    for amount in (60_000, 40_000, 750_000, 850_000):
        assert normalise(format_kroner(amount)) in text
    assert "Kari Kontakt" in text
    assert "Leif Leder" in text
    assert str(cast.signer_a) in text
    assert normalise(format_local(application.submitted_at, "nb")) in text


def test_the_lines_are_listed_in_priority_order(application):
    text = pdf_text(receipt_pdf(application))
    positions = [text.index(title) for title in TITLES]
    assert positions == sorted(positions)


def test_the_amounts_keep_their_no_break_spaces_in_the_html(application):
    html = receipt_html(application)
    assert format_kroner(850_000) in html  # "850\xa0000\xa0kr": an amount never wraps


def test_the_receipt_is_built_from_the_snapshot_not_the_live_rows(application):
    before = pdf_text(receipt_pdf(application))
    # Nothing may change a submitted application, but if a row did change, the receipt must not.
    Line.objects.filter(application=application).update(title="Endret etterpå", amount_applied=1)
    type(application).objects.filter(pk=application.pk).update(contact_name="Noen Andre")
    application.refresh_from_db()

    after = pdf_text(receipt_pdf(application))
    assert after == before
    assert "Endret etterpå" not in after
    assert "Noen Andre" not in after
    assert "850 000 kr" in after


def test_the_attachments_are_listed_from_the_snapshot(application):
    application.snapshot["attachments"] = [
        {"name": "budsjett-2027.pdf", "size": 120_000, "content_type": "application/pdf"}
    ]
    text = pdf_text(receipt_pdf(application))
    assert "budsjett-2027.pdf" in text


def test_submitted_text_is_escaped_not_interpreted(application):
    application.snapshot["lines"][0]["title"] = '<img src="https://example.com/x.png"> & co'
    html = receipt_html(application)
    assert "<img" not in html
    assert "&lt;img" in html
    receipt_pdf(application)  # nothing is fetched, nothing breaks


def test_a_draft_has_no_receipt(cast):
    draft = make_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    with pytest.raises(ValueError):
        receipt_pdf(draft)


# --- Language ----------------------------------------------------------------------


def test_bokmal_organisations_get_bokmal(application):
    assert '<html lang="nb">' in receipt_html(application)


def test_nynorsk_organisations_get_nynorsk(application, cast):
    cast.kommune_a.written_language = "nn"
    cast.kommune_a.save()
    application.refresh_from_db()

    with translation.override("en"):
        html = receipt_html(application)
        assert translation.get_language() == "en"  # the override does not leak
    assert '<html lang="nn">' in html
    assert b"/Lang (nn)" in pdf_objects_text(receipt_pdf(application))


# --- The e-mail --------------------------------------------------------------------


def test_the_email_goes_to_submitter_and_contact_with_the_pdf(application, cast, mailoutbox, settings):
    cast.signer_a.email = "signe@trondheim.example"
    cast.signer_a.save()
    application.refresh_from_db()

    send_receipt(application)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["signe@trondheim.example", "kari@kommune.example"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert application.case_number in message.subject
    assert "Statsforvalteren i Trøndelag" in message.subject
    assert "\n" not in message.subject

    ((name, content, mimetype),) = message.attachments
    assert name == f"kvittering-{application.case_number.replace('/', '-')}.pdf"
    assert "/" not in name
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF-")
    assert cast.kommune_a.display_name in pdf_text(content)


def test_the_email_body_has_the_key_facts(application, mailoutbox):
    send_receipt(application)
    body = normalise(mailoutbox[0].body)
    assert application.case_number in body
    assert application.snapshot["organisation"] in body
    assert application.round.title in body
    assert normalise(format_local(application.submitted_at, "nb")) in body
    assert "850 000 kr" in body
    assert ": 3" in body  # number of measures
    assert "&amp;" not in body and "&#x27;" not in body


def test_the_email_body_is_plain_text_even_for_names_html_would_escape(application, mailoutbox):
    application.snapshot["organisation"] = "Nes & Omegn's kommune"
    send_receipt(application)
    assert "Nes & Omegn's kommune" in mailoutbox[0].body


def test_one_address_gets_one_copy(application, cast, mailoutbox):
    cast.signer_a.email = "KARI@kommune.example"
    cast.signer_a.save()
    application.refresh_from_db()

    send_receipt(application)

    assert mailoutbox[0].to == ["KARI@kommune.example"]


def test_the_contact_address_is_the_submitted_one(application, mailoutbox):
    type(application).objects.filter(pk=application.pk).update(contact_email="ny@kommune.example")
    application.refresh_from_db()
    send_receipt(application)
    assert mailoutbox[0].to == ["kari@kommune.example"]


def test_no_address_no_email(application, mailoutbox):
    application.snapshot["contact_email"] = ""
    send_receipt(application)  # the signer has no e-mail address in the cast
    assert mailoutbox == []


def test_the_nynorsk_email_is_rendered_in_nynorsk(application, cast, mailoutbox, monkeypatch):
    cast.kommune_a.written_language = "nn"
    cast.kommune_a.save()
    application.refresh_from_db()
    seen = []
    from tilskudd.applications import receipts

    original = receipts.render_to_string
    monkeypatch.setattr(
        receipts,
        "render_to_string",
        lambda *a, **k: seen.append(translation.get_language()) or original(*a, **k),
    )

    send_receipt(application)

    assert len(mailoutbox) == 1
    assert seen and set(seen) == {"nn"}


IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
}


def test_submitting_sends_the_receipt_after_commit(
    cast, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = IMMEDIATE_TASKS
    draft = make_application(
        make_round(cast.office_t), cast.kommune_a, by=cast.signer_a, kinds=("competence", "bpa", "innovation")
    )
    with django_capture_on_commit_callbacks(execute=True):
        application, submitted = services.submit(application=draft, by=cast.signer_a)

    assert submitted
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["kari@kommune.example"]
    assert application.case_number in mailoutbox[0].subject


def test_P5_the_submit_request_does_not_render_the_pdf(
    client_for, cast, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The PDF and e-mail are a background task: the submission returns at once (P5)."""
    draft = make_application(
        make_round(cast.office_t), cast.kommune_a, by=cast.signer_a, kinds=("competence",)
    )
    rendered = []
    original = receipts.receipt_pdf
    monkeypatch.setattr(receipts, "receipt_pdf", lambda a: rendered.append(a.pk) or original(a))
    client = client_for(cast.signer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:application_submit", args=[draft.pk]))

    assert response.status_code == 302
    assert rendered == [] and mailoutbox == []
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="send_receipt_task")
    assert queued.args_kwargs["args"] == [draft.pk]
    page = client.get(reverse("applications:application_receipt", args=[draft.pk]))
    assert page.status_code == 200

    receipts.send_receipt_task.call(draft.pk)  # what the worker runs

    assert rendered == [draft.pk]
    assert len(mailoutbox) == 1
    draft.refresh_from_db()
    with default_storage.open(receipts.receipt_path(draft), "rb") as stored:
        assert stored.read() == mailoutbox[0].attachments[0][1]


def test_the_pdf_link_works_before_the_worker_and_serves_the_stored_pdf_after(client_for, cast, monkeypatch):
    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    client = client_for(cast.signer_a)
    url = reverse("applications:receipt_pdf", args=[application.pk])

    before = client.get(url)
    assert before.content.startswith(b"%PDF")
    assert not default_storage.exists(receipts.receipt_path(application))  # a GET stores nothing

    stored = receipts.stored_receipt(application, store=True)
    monkeypatch.setattr(receipts, "receipt_pdf", lambda a: pytest.fail("rendered again"))
    after = client.get(url)
    assert after.content == stored
    assert after["Content-Disposition"] == f'attachment; filename="{receipts.receipt_filename(application)}"'


def test_the_archive_holds_the_receipt_the_applicant_was_sent(client_for, cast, monkeypatch):
    import io
    import zipfile

    application = submitted_application(make_round(cast.office_t), cast.kommune_a, by=cast.signer_a)
    sent = receipts.stored_receipt(application, store=True)  # what the worker stored and e-mailed
    monkeypatch.setattr(receipts, "receipt_pdf", lambda a: pytest.fail("rendered again"))
    response = client_for(cast.officer_t).get(reverse("decisions:case_archive", args=[application.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = application.case_number.replace("/", "-")
    assert archive.read(f"{folder}/kvittering.pdf") == sent
