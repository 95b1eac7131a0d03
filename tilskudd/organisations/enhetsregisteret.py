"""Reading the Central Coordinating Register for Legal Entities' bulk file (Enhetsregisteret).

Brønnøysundregistrene publish every registered main unit as one downloadable file:
a JSON array (``enheter_alle.json.gz``) or a CSV file with the same fields flattened
to dotted column names (``organisasjonsform.kode``, ``postadresse.adresse`` …), both
usually gzip-compressed. Each unit has

- ``organisasjonsnummer`` and ``navn``;
- ``organisasjonsform.kode``: ``KOMM`` (kommune), ``FYLK`` (fylkeskommune), ``STAT``,
  ``ORGL``, ``SF`` … (state bodies);
- ``forretningsadresse`` and ``postadresse``, each with ``adresse`` (a list of lines
  in the JSON, one text in the CSV), ``postnummer``, ``poststed``, ``kommunenummer``;
- ``slettedato`` once the unit is deleted.

This module turns the file into ``Unit`` values and finds the unit of each organisation
the product knows: a kommune by its kommunenummer among the ``KOMM`` units, a
fylkeskommune by its fylke among the ``FYLK`` units (the fylkesnummer is the first two
digits of the kommunenummer of its business address), a university or university college
by its name. Nothing here writes: ``organisations.services.apply_register_details`` does.
"""

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tilskudd.domain.identifiers import is_valid_organisasjonsnummer, normalise


@dataclass(frozen=True)
class Unit:
    organisasjonsnummer: str
    name: str
    form: str
    kommunenummer: str  # of the business address
    postal_address: str
    postal_code: str
    postal_town: str


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _nested(row: dict[str, str]) -> dict:
    """A CSV row with dotted column names as the JSON's nested objects (names compared in lower case)."""
    unit: dict = {}
    for key, value in row.items():
        if key is None:
            continue
        *parents, leaf = key.strip().lower().split(".")
        target = unit
        for parent in parents:
            target = target.setdefault(parent, {})
            if not isinstance(target, dict):
                break
        else:
            target[leaf] = value
    return unit


def _json_array(handle: io.TextIOBase, chunk: int = 1 << 20) -> Iterator[dict]:
    """The objects of a JSON array, decoded one by one: the whole register is about a gigabyte."""
    decoder = json.JSONDecoder()
    buffer, done = handle.read(chunk), False
    position = buffer.index("[") + 1
    while True:
        while True:  # skip separators, reading on where the buffer runs out
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer) or done:
                break
            more = handle.read(chunk)
            buffer, position, done = buffer[position:] + more, 0, not more
        if position >= len(buffer) or buffer[position] == "]":
            return
        try:
            value, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError:
            more = handle.read(chunk)
            if not more:
                raise
            buffer, position = buffer[position:] + more, 0
            continue
        yield value
        buffer, position = buffer[end:], 0


def _first_character(path: Path) -> str:
    with _open_text(path) as handle:
        while (character := handle.read(1)) and character.isspace():
            pass
        return character


def _raw_units(path: Path) -> Iterator[dict]:
    start = _first_character(path)
    with _open_text(path) as handle:
        if start == "[":
            yield from _json_array(handle)
        elif start == "{":  # the API's paged answer: {"_embedded": {"enheter": [...]}}
            yield from json.load(handle).get("_embedded", {}).get("enheter", [])
        else:
            yield from (_nested(row) for row in csv.DictReader(handle))


def _address(raw: dict | None) -> tuple[str, str, str, str]:
    """(address lines joined, postal code, postal town, kommunenummer) of one of a unit's addresses."""
    if not isinstance(raw, dict):
        return "", "", "", ""
    lines = raw.get("adresse") or ""
    if isinstance(lines, list):
        lines = ", ".join(line.strip() for line in lines if line and line.strip())
    return (
        " ".join(str(lines).split()),
        str(raw.get("postnummer") or "").strip(),
        str(raw.get("poststed") or "").strip(),
        str(raw.get("kommunenummer") or "").strip(),
    )


def read_units(path: Path | str) -> Iterator[Unit]:
    """Every unit of the file that is not deleted, in the file's order."""
    for raw in _raw_units(Path(path)):
        if raw.get("slettedato"):
            continue
        form = raw.get("organisasjonsform") or {}
        business = _address(raw.get("forretningsadresse"))
        postal = _address(raw.get("postadresse"))
        if not postal[0]:
            postal = (
                business  # units without a separate postal address receive mail at their business address
            )
        yield Unit(
            organisasjonsnummer=normalise(str(raw.get("organisasjonsnummer") or "")),
            name=" ".join(str(raw.get("navn") or "").split()),
            form=str(form.get("kode") if isinstance(form, dict) else form or "").strip().upper(),
            kommunenummer=business[3],
            postal_address=postal[0],
            postal_code=postal[1],
            postal_town=postal[2],
        )


def name_key(name: str) -> str:
    """Names compared without case, punctuation or dashes: "OSLOMET - STORBYUNIVERSITETET" matches "OsloMet – …"."""
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).split())


@dataclass(frozen=True)
class Match:
    organisation: object
    unit: Unit


@dataclass
class Matching:
    matches: list[Match]
    invalid: list[Unit]  # candidates whose number fails the MOD11 check
    ambiguous: list[str]  # keys with more than one candidate unit
    unmatched: list[object]  # organisations without a unit in the file


def match_units(units: Iterable[Unit], organisations: Iterable) -> Matching:
    """Find each organisation's unit: kommuner by kommunenummer, fylkeskommuner by fylke, others by name."""
    organisations = list(organisations)
    wanted_names = {name_key(o.name) for o in organisations if o.kind not in ("kommune", "fylkeskommune")}
    by_kommune: dict[str, list[Unit]] = {}
    by_fylke: dict[str, list[Unit]] = {}
    by_name: dict[str, list[Unit]] = {}
    invalid = []
    for unit in units:
        if unit.form == "KOMM" and len(unit.kommunenummer) == 4:
            index, key = by_kommune, unit.kommunenummer
        elif unit.form == "FYLK" and len(unit.kommunenummer) == 4:
            index, key = by_fylke, unit.kommunenummer[:2]
        elif name_key(unit.name) in wanted_names:
            index, key = by_name, name_key(unit.name)
        else:
            continue
        if not is_valid_organisasjonsnummer(unit.organisasjonsnummer):
            invalid.append(unit)
            continue
        index.setdefault(key, []).append(unit)
    matching = Matching([], invalid, [], [])
    for organisation in organisations:
        if organisation.kind == "kommune":
            key, found = organisation.kommunenummer, by_kommune.get(organisation.kommunenummer, [])
        elif organisation.kind == "fylkeskommune":
            key, found = organisation.fylke.number, by_fylke.get(organisation.fylke.number, [])
        else:
            key, found = organisation.name, by_name.get(name_key(organisation.name), [])
        if len(found) == 1:
            matching.matches.append(Match(organisation, found[0]))
        elif found:
            matching.ambiguous.append(f"{organisation.name} ({key}): {len(found)}")
        else:
            matching.unmatched.append(organisation)
    return matching
