"""Bokmål and nynorsk are complete (DESIGN: state forms are offered in both).

Source strings are English; every one marked for translation must have a bokmål
and a nynorsk translation, none fuzzy, and the compiled .mo files must match the
.po files (so nobody forgets `make messages`).
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "tilskudd" / "locale"


def _catalog(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated_and_none_is_fuzzy(language):
    catalog = _catalog(LOCALE / language / "LC_MESSAGES" / "django.po")
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []
    assert len(catalog) > 50


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_compiled_catalogue_matches_the_po_file(language):
    catalog = _catalog(LOCALE / language / "LC_MESSAGES" / "django.po")
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if not message.id:
            continue
        if message.context:
            assert compiled.pgettext(message.context, message.id) == message.string
        elif message.pluralizable:
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"stale .mo: run `make messages` ({message.id!r})"
            )


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Extract the strings from the code as `make messages` would, and compare."""
    copy = tmp_path / "tilskudd"
    shutil.copytree(ROOT / "tilskudd", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "nb",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted = {m.id for m in _catalog(copy / "locale" / "nb" / "LC_MESSAGES" / "django.po") if m.id}
    shipped = {m.id for m in _catalog(LOCALE / "nb" / "LC_MESSAGES" / "django.po") if m.id}
    assert len(extracted) > 50
    assert extracted - shipped == set(), (
        "strings marked in code but missing from the catalogue: run `make messages`"
    )
