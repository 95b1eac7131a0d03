"""The case log moves to its own app: every Event becomes a caselog Entry, then Event goes."""

from django.db import migrations

# Internal steps the applicant must not read before a decision is approved.
HIDDEN_FROM_APPLICANT = {"decision_prepared"}


def copy_events(apps, schema_editor):
    Event = apps.get_model("applications", "Event")
    Entry = apps.get_model("caselog", "Entry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    application_type, _ = ContentType.objects.get_or_create(app_label="applications", model="application")
    batch = []
    for event in Event.objects.select_related("application").order_by("pk").iterator(chunk_size=1000):
        batch.append(
            Entry(
                subject_type_id=application_type.pk,
                subject_id=event.application_id,
                round_id=event.application.round_id,
                organisation_id=event.application.organisation_id,
                kind=event.kind,
                actor_id=event.actor_id,
                at=event.at,
                detail=event.detail,
                visible_to_applicant=event.kind not in HIDDEN_FROM_APPLICANT,
            )
        )
        if len(batch) >= 1000:
            Entry.objects.bulk_create(batch)
            batch = []
    Entry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_alter_event_kind"),
        ("caselog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="Event"),
    ]
