"""Load the reference data files into the database, idempotently.

The files in ``tilskudd/data`` are the source (Statistics Norway's classification of
municipalities, the ten Statsforvalter offices and the fylker they cover, and a list
of universities and university colleges that may apply). Loading twice changes
nothing; loading after a file changed updates names and links in place.

The functions take a model registry so that the same code serves the data migration
(historical models) and the ``load_reference_data`` command (current models).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


@cache
def norwegian_forms() -> dict[str, str]:
    """Official kommune name -> its Norwegian form, where that is not the first of its names."""
    return {row["navn"]: row["norsk_form"] for row in _rows("kommuner.csv") if row.get("norsk_form")}


@dataclass(frozen=True)
class LoadResult:
    offices: int
    fylker: int
    kommuner: int
    fylkeskommuner: int
    state_recipients: int


def load_reference_data(apps) -> LoadResult:
    Office = apps.get_model("organisations", "Office")
    Fylke = apps.get_model("organisations", "Fylke")
    Organisation = apps.get_model("organisations", "Organisation")

    office_by_fylke: dict[str, object] = {}
    offices = _rows("offices.csv")
    for row in offices:
        office, _ = Office.objects.update_or_create(
            name=row["navn"], defaults={"organisasjonsnummer": row["organisasjonsnummer"]}
        )
        for number in row["fylkesnummer"].split():
            office_by_fylke[number] = office

    fylke_by_number = {}
    fylker = _rows("fylker.csv")
    for row in fylker:
        fylke, _ = Fylke.objects.update_or_create(
            number=row["fylkesnummer"],
            defaults={"name": row["navn"], "office": office_by_fylke[row["fylkesnummer"]]},
        )
        fylke_by_number[fylke.number] = fylke

    kommuner = _rows("kommuner.csv")
    for row in kommuner:
        Organisation.objects.update_or_create(
            kind="kommune",
            kommunenummer=row["kommunenummer"],
            valid_to=None,
            defaults={"name": row["navn"], "fylke": fylke_by_number[row["fylkesnummer"]]},
        )

    # Oslo is both kommune and fylke; its county tasks lie with Oslo kommune, so there
    # is no separate fylkeskommune for 03.
    fylkeskommuner = 0
    for number, fylke in fylke_by_number.items():
        if number == "03":
            continue
        Organisation.objects.update_or_create(
            kind="fylkeskommune", fylke=fylke, defaults={"name": f"{fylke.name} fylkeskommune"}
        )
        fylkeskommuner += 1

    state = _rows("state_recipients.csv")
    for row in state:
        Organisation.objects.update_or_create(
            kind="state", name=row["navn"], defaults={"fylke": fylke_by_number[row["fylkesnummer"]]}
        )

    return LoadResult(len(offices), len(fylker), len(kommuner), fylkeskommuner, len(state))
