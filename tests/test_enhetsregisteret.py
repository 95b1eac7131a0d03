"""Organisation numbers from the register (issue 10, item 10): import_enhetsregisteret.

The test writes small files in the Enhetsregisteret bulk formats (the JSON array and the
CSV with dotted column names, gzip-compressed or not) and imports them.
"""

import csv
import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tilskudd.caselog.models import Entry
from tilskudd.domain.identifiers import ORGNR_WEIGHTS, with_check_digit
from tilskudd.organisations import events
from tilskudd.organisations.enhetsregisteret import read_units
from tilskudd.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def orgnr(base: str) -> str:
    """A nine-digit number with a valid MOD11 check digit, from eight digits (bumped if none exists)."""
    return with_check_digit(base, ORGNR_WEIGHTS)


TRONDHEIM = orgnr("94211046")
STEINKJER = orgnr("93858705")
TRONDELAG_FK = orgnr("81792063")
NTNU = orgnr("97476788")


def unit(number, name, form, kommunenummer, postal=None, **extra):
    business = {
        "land": "Norge",
        "landkode": "NO",
        "postnummer": "7004",
        "poststed": "TRONDHEIM",
        "adresse": ["Gateveien 1"],
        "kommune": "TRONDHEIM",
        "kommunenummer": kommunenummer,
    }
    data = {
        "organisasjonsnummer": number,
        "navn": name,
        "organisasjonsform": {"kode": form, "beskrivelse": "…", "_links": {}},
        "registreringsdatoEnhetsregisteret": "1995-02-19",
        "forretningsadresse": business,
        **extra,
    }
    if postal:
        data["postadresse"] = {**business, **postal}
    return data


UNITS = [
    unit(
        TRONDHEIM,
        "TRONDHEIM KOMMUNE",
        "KOMM",
        "5001",
        {"adresse": ["Postboks 2300 Torgarden"], "postnummer": "7004"},
    ),
    unit(STEINKJER, "STEINKJER KOMMUNE", "KOMM", "5006"),
    unit(
        TRONDELAG_FK,
        "TRØNDELAG FYLKESKOMMUNE",
        "FYLK",
        "5006",
        {"adresse": ["Postboks 2560"], "postnummer": "7735", "poststed": "STEINKJER"},
    ),
    unit(NTNU, "NORGES TEKNISK-NATURVITENSKAPELIGE UNIVERSITET NTNU", "ORGL", "5001"),
    unit(
        orgnr("99999999"), "TRONDHEIM KOMMUNE BYDRIFT", "KF", "5001"
    ),  # a kommunal enterprise, not the kommune
    unit("974760674", "BODØ KOMMUNE", "KOMM", "1804"),  # fails the MOD11 check
    unit(orgnr("12345678"), "OPPDAL KOMMUNE", "KOMM", "5021", slettedato="2020-01-01"),  # deleted
]


def write_json(path, units=UNITS, gzipped=True):
    data = json.dumps(units, ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def write_csv(path, units=UNITS):
    rows = []
    for raw in units:
        row = {"organisasjonsnummer": raw["organisasjonsnummer"], "navn": raw["navn"]}
        row["organisasjonsform.kode"] = raw["organisasjonsform"]["kode"]
        for prefix in ("forretningsadresse", "postadresse"):
            for key, value in raw.get(prefix, {}).items():
                row[f"{prefix}.{key}"] = ", ".join(value) if isinstance(value, list) else value
        row["slettedato"] = raw.get("slettedato", "")
        rows.append(row)
    columns = sorted({key for row in rows for key in row})
    out = StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(gzip.compress(out.getvalue().encode()))
    return path


def run(path, *args) -> str:
    out, err = StringIO(), StringIO()
    call_command("import_enhetsregisteret", str(path), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def kommune(number):
    return Organisation.objects.get(kind="kommune", kommunenummer=number, valid_to__isnull=True)


@pytest.mark.parametrize("write", [write_json, write_csv, lambda p: write_json(p, gzipped=False)])
def test_numbers_and_addresses_are_filled_for_kommuner_fylkeskommuner_and_universities(
    reference_data, tmp_path, write
):
    output = run(write(tmp_path / "enheter_alle"))
    trondheim = kommune("5001")
    assert trondheim.organisasjonsnummer == TRONDHEIM  # the kommune, not its enterprise
    assert trondheim.postal_lines == ["Postboks 2300 Torgarden", "7004 TRONDHEIM"]
    steinkjer = kommune("5006")
    assert steinkjer.organisasjonsnummer == STEINKJER
    assert steinkjer.postal_address == "Gateveien 1"  # no postal address: the business address
    fylkeskommune = Organisation.objects.get(kind="fylkeskommune", fylke__number="50")
    assert fylkeskommune.organisasjonsnummer == TRONDELAG_FK  # by fylke, from the kommune of its address
    assert fylkeskommune.postal_lines == ["Postboks 2560", "7735 STEINKJER"]
    ntnu = Organisation.objects.get(kind="state", name__startswith="Norges teknisk")
    assert ntnu.organisasjonsnummer == NTNU  # by name, without case or punctuation
    assert kommune("1804").organisasjonsnummer == ""  # Bodø's number fails MOD11
    assert kommune("5021").organisasjonsnummer == ""  # Oppdal's unit is deleted
    assert "4 found, 4 changed" in output
    assert "974760674 fails the MOD11 check" in output


def test_the_import_is_idempotent_and_logs_each_change_once(reference_data, tmp_path):
    path = write_json(tmp_path / "enheter_alle.json.gz")
    run(path)
    entries = Entry.objects.filter(kind=events.DETAILS_CHANGED.code)
    assert entries.count() == 4
    entry = entries.get(subject_id=kommune("5001").pk)
    assert entry.actor is None and "Enhetsregisteret" in entry.reason
    assert {c["field"] for c in entry.changes} == {
        "organisasjonsnummer",
        "postal_address",
        "postal_code",
        "postal_town",
    }

    output = run(path)
    assert "4 found, 0 changed, 4 unchanged" in output
    assert entries.count() == 4


def test_a_number_another_organisation_has_is_not_used(reference_data, tmp_path):
    Organisation.objects.filter(pk=kommune("1804").pk).update(organisasjonsnummer=STEINKJER)
    output = run(write_json(tmp_path / "enheter_alle.json.gz"))
    assert kommune("5006").organisasjonsnummer == ""
    assert "Steinkjer" in output and "not used" in output


def test_a_dry_run_changes_nothing(reference_data, tmp_path):
    output = run(write_json(tmp_path / "enheter_alle.json.gz"), "--dry-run")
    assert TRONDHEIM in output and "dry run" in output
    assert kommune("5001").organisasjonsnummer == ""
    assert not Entry.objects.filter(kind=events.DETAILS_CHANGED.code).exists()


def test_a_dry_run_runs_the_import_and_says_what_it_would_refuse(reference_data, tmp_path):
    Organisation.objects.filter(pk=kommune("1804").pk).update(organisasjonsnummer=STEINKJER)
    output = run(write_json(tmp_path / "enheter_alle.json.gz"), "--dry-run")
    assert "Steinkjer" in output and "not used" in output
    assert "4 found, 3 changed, 0 unchanged, 1 refused" in output and "dry run" in output
    assert kommune("5001").organisasjonsnummer == "" and kommune("5001").postal_lines == []
    assert not Entry.objects.filter(kind=events.DETAILS_CHANGED.code).exists()


def test_a_file_that_is_not_the_register_is_refused(reference_data, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[{not json")
    with pytest.raises(CommandError):
        run(bad)


def test_the_reader_takes_the_register_formats_as_they_are(tmp_path):
    units = list(read_units(write_csv(tmp_path / "e.csv.gz")))
    assert [u.organisasjonsnummer for u in units][:2] == [TRONDHEIM, STEINKJER]
    assert "OPPDAL KOMMUNE" not in {u.name for u in units}  # deleted units are left out
    assert units[0].form == "KOMM" and units[0].kommunenummer == "5001"
