"""Every PDF the service makes goes through ``render_pdf``: the receipt, the award and refusal
letter, the amendment letter and the claim for repayment.

Each is an archival PDF/A-2b (the Noark 5 extraction carries it as it was sent) and tagged, so
screen readers read it in order with its headings and tables. Nothing is fetched, neither
from the network nor from the file system: the stylesheet is given and the fonts are installed.

Each kind of document has its stylesheet in a template of its own (``….css``, which includes
``pdf/_page.css``), rendered and parsed once per thread into a WeasyPrint ``CSS`` with its own
``FontConfiguration`` and reused for every document of that kind. Parsing it and setting up the
fonts anew was a tenth of a receipt's time (3.8 → 4.2 receipts per CPU-second, issue 13). One
per thread because WeasyPrint's font configuration (fontconfig and Pango underneath) is not
made to be shared between threads; a worker has one thread. Python's cycle collector is paused
while one document is laid out: it would otherwise walk the document's own boxes again and
again. Neither changes a byte of the PDF.
"""

import gc
import threading
from contextlib import contextmanager

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/a-2b"

_parsed = threading.local()


def no_fetching() -> URLFetcher:
    return URLFetcher(allowed_protocols=("data",))


def stylesheet(template: str) -> tuple[CSS, FontConfiguration]:
    """The stylesheet ``template`` rendered and parsed once per thread, and the font configuration it was parsed with."""
    parsed = getattr(_parsed, "stylesheets", None)
    if parsed is None:
        parsed = _parsed.stylesheets = {}
    if template not in parsed:
        fonts = FontConfiguration()
        css = CSS(string=render_to_string(template), font_config=fonts, url_fetcher=no_fetching())
        parsed[template] = (css, fonts)
    return parsed[template]


@contextmanager
def cycle_collection_paused():
    """Pause the cycle collector for one document: it is short, and the collector would keep
    walking the document's own boxes. Its garbage is collected as usual afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(html: str, stylesheet_template: str) -> bytes:
    """``html`` as a tagged A4 PDF/A-2b styled by ``stylesheet_template`` (title, author and language
    come from the HTML's head)."""
    css, fonts = stylesheet(stylesheet_template)
    with cycle_collection_paused():
        return HTML(string=html, base_url=None, url_fetcher=no_fetching()).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT, pdf_tags=True
        )
