"""Keeping the public record (``PublishedLine``) in step with approved decisions.

A decision line enters the record when its decision is approved (``refresh_decision``,
registered on the decisions' approval hook in ``hooks.py``, in the approval's own
transaction), with the public fields only: granted lines always, lines granted nothing
only while their round publishes refusals (``refresh_round`` when that setting changes).
Approved decisions are final (R10), so a record never needs changing afterwards; the
names are those of the day of approval. ``rebuild`` takes the whole record again from the
decisions (``manage.py rebuild_publication``), and equals what the hook kept.

Every change gives ``SummaryVersion`` a new token, which the public pages' cache is keyed by.
"""

import json
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from tilskudd.decisions.models import DecisionLine
from tilskudd.organisations.models import formal_name
from tilskudd.publication import threesixty
from tilskudd.publication.models import PublishedGrant, PublishedLine, RoundPublication, SummaryVersion
from tilskudd.publication.selectors import as_award

SOURCE = {
    "decision_line_id": "pk",
    "kind": "kind",
    "title": "title",
    "granted": "granted",
    "awarded_at": "decision__approved_at",
    "round_id": "decision__application__round_id",
    "year": "decision__application__round__year",
    "office_id": "decision__application__round__office_id",
    "office_name": "decision__application__round__office__name",
    "office_orgnr": "decision__application__round__office__organisasjonsnummer",
    "organisation_id": "decision__application__organisation_id",
    "organisation_name": "decision__application__organisation__name",
    "organisation_kind": "decision__application__organisation__kind",
    "organisasjonsnummer": "decision__application__organisation__organisasjonsnummer",
    "kommunenummer": "decision__application__organisation__kommunenummer",
    "fylke_number": "decision__application__organisation__fylke__number",
    "fylke_name": "decision__application__organisation__fylke__name",
    "education_type": "line__education_type",
    "themes": "line__themes",
    "purpose": "line__purpose",
    "collaborators": "line__collaborators",
}
BATCH = 2_000


def _publishable(lines):
    """The decision lines the public may see: of approved decisions, granted or in a round publishing refusals."""
    refusing = RoundPublication.objects.filter(publish_refusals=True).values("round_id")
    return lines.filter(decision__approved_at__isnull=False).filter(
        Q(granted__gt=0) | Q(decision__application__round_id__in=refusing)
    )


def fields_of(values: dict) -> dict:
    """A published line's fields from a decision line's ``SOURCE`` values (also used by the migration)."""
    fields = {name: values[source] for name, source in SOURCE.items()}
    fields["organisation_name"] = formal_name(fields["organisation_kind"], fields["organisation_name"])
    for name in (
        "title",
        "office_orgnr",
        "organisasjonsnummer",
        "kommunenummer",
        "fylke_number",
        "fylke_name",
    ):
        fields[name] = fields[name] or ""
    fields["education_type"] = fields["education_type"] or ""
    fields["themes"] = list(fields["themes"] or [])
    if fields["kind"] != "innovation":  # only a project's purpose and partners are public
        fields["purpose"] = fields["collaborators"] = ""
    fields["purpose"] = fields["purpose"] or ""
    fields["collaborators"] = fields["collaborators"] or ""
    fields["refused"] = not fields["granted"]
    return fields


def grant_of(fields: dict) -> dict:
    """A published award's open data fields (record and CSV row) from its line's fields."""
    # Open data reads the same in every export: made once, in the service's own language.
    with translation.override(settings.LANGUAGE_CODE):
        record = threesixty.record(as_award(PublishedLine(**fields)))
    return {
        "record": json.dumps(record, ensure_ascii=False),
        "csv_row": threesixty.csv_row_start(record | {"dataSource": ""}),
    }


def write(lines, line_model=PublishedLine, grant_model=PublishedGrant) -> int:
    """Publish ``lines`` (decision lines already chosen as public); the models may be a migration's."""
    created = 0
    rows, grants = [], []

    def flush():
        line_model.objects.bulk_create(rows)
        grant_model.objects.bulk_create(grants)
        return len(rows)

    for values in lines.order_by("pk").values(*SOURCE.values()).iterator(chunk_size=BATCH):
        fields = fields_of(values)
        rows.append(line_model(**fields))
        if not fields["refused"]:
            grants.append(grant_model(line_id=fields["decision_line_id"], **grant_of(fields)))
        if len(rows) == BATCH:
            created += flush()
            rows, grants = [], []
    return created + flush()


def _write(lines) -> int:
    return write(_publishable(lines))


def _changed() -> None:
    token = uuid.uuid4().hex
    if not SummaryVersion.objects.filter(pk=1).update(token=token):
        SummaryVersion.objects.update_or_create(pk=1, defaults={"token": token})


@transaction.atomic
def refresh_decision(decision) -> int:
    """Publish an approved decision's lines (called on approval, in its transaction)."""
    PublishedGrant.objects.filter(line__decision_line__decision=decision).delete()
    PublishedLine.objects.filter(decision_line__decision=decision).delete()
    created = _write(DecisionLine.objects.filter(decision=decision))
    _changed()
    return created


@transaction.atomic
def refresh_round(round_id: int) -> int:
    """Take a round's refused lines again (its refusals were turned on or off). Its awards stay as they were
    published, names as they stood on the day of approval: refused lines have no open-data grant."""
    # every line now granted nothing (its open-data grant, if any, goes with it: CASCADE)
    PublishedLine.objects.filter(Q(refused=True) | Q(decision_line__granted=0), round_id=round_id).delete()
    created = _write(DecisionLine.objects.filter(decision__application__round_id=round_id, granted=0))
    _changed()
    return created


@transaction.atomic
def rebuild() -> int:
    """Take the whole public record again from the approved decisions."""
    PublishedGrant.objects.all().delete()
    PublishedLine.objects.all().delete()
    created = _write(DecisionLine.objects.all())
    _changed()
    return created


def version() -> str:
    """The public record's version: changes with every change of it (the key of what is cached from it)."""
    return SummaryVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""
