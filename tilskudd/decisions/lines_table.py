"""The widths of the decision letter's lines table, worked out per letter from what it holds.

The table is laid out with ``table-layout: fixed`` and one ``<col>`` width per column,
so WeasyPrint does not size the columns itself: its automatic table layout measures
every cell's narrowest and widest content with text shaping, a sixteenth of a letter's
time (issue 13, ``bench/letters.py``). One fixed set of widths for every letter would
squeeze the titles of an ordinary letter to leave room for the largest amount the
product takes (MAX_AMOUNT); these widths are the letter's own:

- each amount column as wide as its widest amount needs (the lines in the cells' type,
  the total in the footer's bold), or as its whole heading while the title keeps room;
- the kind column as wide as the letter's widest kind label, the order column 18 mm or
  its heading's longest word;
- the title column the rest of the line. When that is narrower than a title's longest
  word, the order heading is hyphenated for the room it gives back, and if that is not
  enough the titles are hyphenated (``hyphens: auto``, Norwegian patterns); a word too
  long even for that breaks where it must, in its own column, never over the amounts.
  At MAX_AMOUNT on every line the table keeps within the page, where the automatic
  layout ran 8 mm over the right margin.

The type is measured, not assumed: once per thread and language WeasyPrint lays out a
small table with the letter's own stylesheet and fonts, holding each character amounts
and titles are written with (one by one), the kind labels and the headings, and the
width of each is read from the laid-out boxes, with the width of the page's text. An
amount's width is the sum of its characters' (exact: DejaVu Sans kerns none of their
pairs); a title word's is a little more than the word's (its kerning is left out).
"""

import math
import re
import string
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext, override, pgettext
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import InlineBox, TableBox
from weasyprint.text.fonts import FontConfiguration

from tilskudd.rounds.models import LineKindChoices

MM_PER_PX = 25.4 / 96
CONTENT_MM = 170.0  # A4's 210 mm less the page's 20 mm side margins (pdf/_page.css)
PADDING_MM = 4.0  # th, td: 2 mm either side (letter_pdf.css)
SPARE_MM = 0.1  # on a measured width: rounding
RANK_MM = 18.0  # the order column's width before it was worked out (letter_pdf.css)
TITLE_MIN_MM = 50.0  # below this the amount headings break between words, the titles keep the room

# Where the text sits: the body's cells, the footer's (bold) and the headings (bold, smaller).
CELL, TOTAL, HEAD = "td", "tfoot", "th"
# Every character format_kroner writes (digits, group space, minus) and the letters of "kr";
# a character not here counts as an em, which is wider than any of them.
AMOUNT_CHARACTERS = "0123456789\u00a0-\u2212kr"
# The characters of titles, for the width of their longest word (the sum of the characters'
# widths leaves out kerning, which narrows a word: a little wider than the word, never narrower).
TEXT_CHARACTERS = "".join(
    dict.fromkeys(
        string.ascii_letters
        + string.digits
        + string.punctuation
        + AMOUNT_CHARACTERS
        + "æøåÆØÅéèêëáàâäóòôöúùûüíìîïñçÉÈÁÀÓÒÖÜÄÍÑÇ–—«»‘’“”…§°½¼¾€£×·•"
    )
)
BREAKS = re.compile(r"\s+|(?<=[-–—/])")  # where a title's line may break: spaces, after a dash or slash


def headings() -> dict[str, str]:
    """The table's headings in the active language, as the template writes them."""
    return {
        "rank": gettext("Your order"),
        "kind": gettext("Kind"),
        "title": pgettext("title of a measure", "Title"),
        "applied": gettext("Applied for"),
        "granted": gettext("Granted"),
    }


def kind_label(kind: str) -> str:
    return str(LineKindChoices(kind).label)


@dataclass
class Metrics:
    """Widths in millimetres of the characters of amounts, per place, and of whole texts."""

    characters: dict[str, dict[str, float]]
    texts: dict[tuple[str, str], float] = field(default_factory=dict)
    em: float = 0.0
    content: float = 0.0  # the width of the page's text, the table's width

    def amount(self, text: str, place: str = CELL) -> float:
        widths = self.characters[place]
        return sum(widths.get(character, self.em) for character in text)

    def text(self, text: str, place: str) -> float:
        found = self.texts.get((place, text))
        return found if found is not None else len(text) * self.em  # not measured: an em a letter

    def longest_word(self, text: str, place: str) -> float:
        return max((self.text(word, place) for word in text.split()), default=0.0)

    def longest_title_word(self, title: str) -> float:
        return max((self.amount(word) for word in BREAKS.split(title)), default=0.0)


def _table(samples: list[tuple[str, str]], language: str) -> str:
    rows = {CELL: [], TOTAL: [], HEAD: []}
    for number, (place, text) in enumerate(samples):
        cell = "th" if place == HEAD else "td"
        rows[place].append(f'<tr><{cell}><span id="s{number}">{escape(text)}</span></{cell}></tr>')
    return (
        f'<!DOCTYPE html><html lang="{language}"><body><table>'
        f"<thead>{''.join(rows[HEAD])}</thead><tbody>{''.join(rows[CELL])}</tbody>"
        f"<tfoot>{''.join(rows[TOTAL])}</tfoot></table></body></html>"
    )


def measure(
    samples: list[tuple[str, str]], css: CSS, fonts: FontConfiguration, language: str
) -> tuple[list[float], float]:
    """The width in millimetres of each (place, text), laid out by WeasyPrint with the letter's
    stylesheet, and the width of the table (the page's text)."""
    document = HTML(string=_table(samples, language)).render(stylesheets=[css], font_config=fonts)
    widths: dict[str, float] = {}
    for page in document.pages:  # the heading and the footer are repeated on every page: the same widths
        for box in page._page_box.descendants():
            if isinstance(box, InlineBox) and box.element_tag == "span" and (key := box.element.get("id")):
                widths[key] = box.width * MM_PER_PX
            elif isinstance(box, TableBox):
                widths["table"] = box.border_width() * MM_PER_PX
    return [widths[f"s{number}"] for number in range(len(samples))], widths["table"]


def metrics(css: CSS, fonts: FontConfiguration, language: str) -> Metrics:
    """Measure, in ``language`` (active translation), what the letter's table holds."""
    with override(language):
        texts = {(HEAD, word) for heading in headings().values() for word in heading.split()}
        texts |= {(HEAD, heading) for heading in headings().values()}
        texts |= {(CELL, capfirst(kind_label(kind))) for kind in LineKindChoices.values}
    samples = sorted(texts)
    repeated = [(CELL, character) for character in TEXT_CHARACTERS]
    repeated += [(TOTAL, character) for character in AMOUNT_CHARACTERS]
    widths, table = measure([*samples, *repeated, (CELL, "M")], css, fonts, language)
    found = Metrics(characters={CELL: {}, TOTAL: {}}, em=widths[-1], content=table)
    found.texts = dict(zip(samples, widths[: len(samples)], strict=True))
    for (place, text), width in zip(repeated, widths[len(samples) : -1], strict=True):
        found.characters[place][text[0]] = width
    found.em = max(found.em, *found.characters[TOTAL].values())
    return found


def column_widths(measured: Metrics, lines: list[dict], totals: tuple[str, str], language: str) -> dict:
    """The widths in millimetres of the order, kind, applied and granted columns (the title takes the rest).

    ``lines`` are the letter's lines as the template gets them (``rank``, ``kind``, ``title``,
    ``applied``, ``granted`` formatted), ``totals`` the footer's applied and granted, formatted.
    ``classes`` are the table's: when the title column is narrower than a title's longest
    word, the order heading is hyphenated for the room it gives back (``hyphenate-heading``),
    and if that is not enough the titles are (``hyphenate-titles``).
    """
    with override(language):
        heads = headings()

    def wide(content: float, spare: float = SPARE_MM) -> float:
        return math.ceil((content + PADDING_MM + spare) * 10) / 10

    ranks = [wide(measured.amount(str(line["rank"]))) for line in lines]
    rank = max(RANK_MM, wide(measured.longest_word(heads["rank"], HEAD)), *ranks)
    kind = wide(
        max(
            measured.longest_word(heads["kind"], HEAD),
            *(measured.text(capfirst(line["kind"]), CELL) for line in lines),
        )
    )
    amounts = {}
    for column, total in zip(("applied", "granted"), totals, strict=True):
        content = max(measured.amount(total, TOTAL), *(measured.amount(line[column]) for line in lines))
        amounts[column] = (
            content,
            measured.text(heads[column], HEAD),
            measured.longest_word(heads[column], HEAD),
        )
    title = max(
        wide(measured.longest_word(heads["title"], HEAD)),
        *(wide(measured.longest_title_word(line["title"])) for line in lines),
    )
    # The whole heading on one line while the title keeps its room; its longest word otherwise.
    columns = {column: wide(max(content, heading)) for column, (content, heading, _) in amounts.items()}
    if measured.content - rank - kind - sum(columns.values()) < max(TITLE_MIN_MM, title):
        columns = {column: wide(max(content, word)) for column, (content, _, word) in amounts.items()}
    # Still short of room: the order heading is hyphenated, then the titles.
    hyphenated = []
    if measured.content - rank - kind - sum(columns.values()) < title:
        hyphenated.append("hyphenate-heading")
        rank = max(RANK_MM, *ranks)
    if measured.content - rank - kind - sum(columns.values()) < title:
        hyphenated.append("hyphenate-titles")
    return {"rank": rank, "kind": kind, **columns, "classes": " ".join(hyphenated)}
