"""Open data in the 360Giving Data Standard: JSON and flattened CSV, and our own check of what we publish.

Field names and structure follow the standard's grant schema (a ``grants`` array; each
grant with ``id``, ``title``, ``description``, ``currency``, ``amountAwarded``,
``awardDate``, ``recipientOrganization`` and ``fundingOrganization`` as arrays of
``{id, name}``, and optional ``grantProgramme``, ``beneficiaryLocation``,
``plannedDates``, ``dateModified``, ``dataSource``). Organisation identifiers use the
org-id.guide prefix for Norway's register of legal entities, ``NO-BRC``, with the
organisasjonsnummer; grants have one stable prefix and the decision line's id, so an id
never changes between exports.
"""

import csv
import io
import re

from tilskudd.domain.deadlines import OSLO
from tilskudd.publication.selectors import Award

GRANT_PREFIX = "360G-kkit-"
ORG_PREFIX = "NO-BRC-"
PROGRAMME = "Kommunalt kompetanse- og innovasjonstilskudd"
LICENCE = "https://data.norge.no/nlod/no/2.0"

REQUIRED = {
    "id": str,
    "title": str,
    "description": str,
    "currency": str,
    "amountAwarded": (int, float),
    "awardDate": str,
    "recipientOrganization": list,
    "fundingOrganization": list,
}
ORGANISATION_REQUIRED = {"id": str, "name": str}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def organisation_id(organisasjonsnummer: str, fallback: str) -> str:
    """``NO-BRC-<orgnr>``; an organisation whose number is not known yet gets a local id under our prefix."""
    return f"{ORG_PREFIX}{organisasjonsnummer}" if organisasjonsnummer else f"{GRANT_PREFIX}org-{fallback}"


def grant(award: Award, *, data_source: str) -> dict:
    return record(award) | {"dataSource": data_source}


def record(award: Award) -> dict:
    """The award's grant record, all but ``dataSource`` (the address it is published at)."""
    description = award.purpose or f"{award.kind_label}: {award.title}"
    if award.education_label:
        description += f" ({award.education_label})"
    if award.theme_labels:
        description += " – " + ", ".join(award.theme_labels)
    location = {"name": award.organisation}
    if award.kommunenummer:
        location |= {"geoCode": award.kommunenummer, "geoCodeType": "KOMMUNENUMMER"}
    return {
        "id": f"{GRANT_PREFIX}{award.id}",
        "title": award.title or award.kind_label,
        "description": description,
        "currency": "NOK",
        "amountAwarded": award.granted,
        "awardDate": award.awarded_on.astimezone(OSLO).date().isoformat(),  # the day in Norway
        "recipientOrganization": [
            {
                "id": organisation_id(award.organisasjonsnummer, str(award.organisation_id)),
                "name": award.organisation,
            }
        ],
        "fundingOrganization": [{"id": f"{ORG_PREFIX}{award.office_orgnr}", "name": award.office}],
        "grantProgramme": [{"code": f"kkit-{award.year}", "title": f"{PROGRAMME} {award.year}"}],
        "beneficiaryLocation": [location],
        "plannedDates": [{"startDate": f"{award.year}-01-01", "endDate": f"{award.year}-12-31"}],
        "dateModified": award.awarded_on.astimezone(OSLO).replace(microsecond=0).isoformat(),
    }


def validate(record: dict) -> list[str]:
    """What is wrong with one grant against the standard's required fields and types (empty when it passes)."""
    errors = []
    for name, kind in REQUIRED.items():
        if name not in record:
            errors.append(f"{name}: missing")
        elif not isinstance(record[name], kind) or isinstance(record[name], bool):
            errors.append(f"{name}: wrong type")
        elif isinstance(record[name], str) and not record[name].strip():
            errors.append(f"{name}: empty")
    if errors:
        return errors
    if record["currency"] != "NOK":  # the only currency we award in
        errors.append("currency: not an ISO 4217 code")
    if record["amountAwarded"] < 0:
        errors.append("amountAwarded: negative")
    if not DATE.match(record["awardDate"]):
        errors.append("awardDate: not a date")
    for name in ("recipientOrganization", "fundingOrganization"):
        if not record[name]:
            errors.append(f"{name}: empty")
        for index, organisation in enumerate(record[name]):
            for field, kind in ORGANISATION_REQUIRED.items():
                if not isinstance(organisation.get(field), kind) or not organisation[field].strip():
                    errors.append(f"{name}[{index}].{field}: missing")
    if "dateModified" in record and not ISO_DATETIME.match(record["dateModified"]):
        errors.append("dateModified: not a date-time")
    for index, planned in enumerate(record.get("plannedDates", [])):
        for field in ("startDate", "endDate"):
            if field in planned and not DATE.match(planned[field]):
                errors.append(f"plannedDates[{index}].{field}: not a date")
    return errors


def json_chunks(grants, *, per_chunk: int = 500):
    """The 360Giving package ``{"grants": [...]}`` from grants as JSON text, some hundred at a time: for a
    streaming response, so the whole country's list never sits in memory."""
    yield '{"grants":['
    chunk = []
    first = True
    for text in grants:
        chunk.append(text)
        if len(chunk) == per_chunk:
            yield ("" if first else ",") + ",".join(chunk)
            chunk, first = [], False
    if chunk:
        yield ("" if first else ",") + ",".join(chunk)
    yield "]}"


# The standard's flattened CSV: its column titles, in its order.
COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g["plannedDates"][0]["startDate"]),
    ("Planned Dates:End Date", lambda g: g["plannedDates"][0]["endDate"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("Beneficiary Location:Name", lambda g: g["beneficiaryLocation"][0]["name"]),
    ("Beneficiary Location:Geographic Code", lambda g: g["beneficiaryLocation"][0].get("geoCode", "")),
    (
        "Beneficiary Location:Geographic Code Type",
        lambda g: g["beneficiaryLocation"][0].get("geoCodeType", ""),
    ),
    ("Last Modified", lambda g: g["dateModified"]),
    ("Data Source", lambda g: g["dataSource"]),
]


def csv_row_start(grant: dict) -> str:
    """A grant's CSV row up to its last column, Data Source, which is added where it is served (ends in ",")."""
    assert COLUMNS[-1][0] == "Data Source"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([value(grant) for _, value in COLUMNS[:-1]] + [""])
    return buffer.getvalue()


def csv_row_end(data_source: str) -> str:
    """The last column (Data Source) and the end of a row."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([data_source])
    return buffer.getvalue()


def csv_chunks(rows, *, per_chunk: int = 500):
    """The header, then the rows (text, ``csv_row_start`` + ``csv_row_end``), some hundred at a time."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([title for title, _ in COLUMNS])
    yield "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 as UTF-8
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
