"""Extractions of an office's rounds over a range of years, and runs a stopped worker left behind."""

import django.db.models.deletion
from django.db import migrations, models

import tilskudd.archive.models


def office_of_round(apps, schema_editor):
    Extraction = apps.get_model("archive", "Extraction")
    for extraction in Extraction.objects.select_related("round"):
        extraction.office_id = extraction.round.office_id
        extraction.save(update_fields=["office"])


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="extraction",
            name="office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="extractions",
                to="organisations.office",
            ),
        ),
        migrations.RunPython(office_of_round, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="extraction",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="extractions",
                to="organisations.office",
            ),
        ),
        migrations.AlterField(
            model_name="extraction",
            name="round",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="extractions",
                to="rounds.round",
            ),
        ),
        migrations.AddField(
            model_name="extraction",
            name="year_from",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="extraction",
            name="year_to",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="extraction",
            name="abandoned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="extraction",
            name="file",
            field=models.FileField(blank=True, upload_to=tilskudd.archive.models.extraction_path),
        ),
        migrations.AddConstraint(
            model_name="extraction",
            constraint=models.CheckConstraint(
                condition=models.Q(round__isnull=False)
                | models.Q(year_from__isnull=False, year_to__isnull=False, year_from__lte=models.F("year_to")),
                name="extraction_of_a_round_or_a_range_of_years",
            ),
        ),
    ]
