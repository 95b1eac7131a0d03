from django.db import migrations, models
from django.utils.translation import override


def fill_appeal_texts(apps, schema_editor):
    """Decisions made before: the sentence in every language, the letter's own text kept as it was."""
    from tilskudd.decisions.appeal import appeal_sentence

    Decision = apps.get_model("decisions", "Decision")
    for decision in Decision.objects.select_related("application__organisation").iterator():
        if decision.appeal_texts:
            continue
        organisation = decision.application.organisation
        texts = {}
        for language in ("nb", "nn", "en"):
            with override(language):
                texts[language] = appeal_sentence(organisation.kind, decision.appeal_allowed)
        texts["nn" if organisation.written_language == "nn" else "nb"] = decision.appeal_text
        decision.appeal_texts = texts
        decision.save(update_fields=["appeal_texts"])


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0007_line_explanations"),
        ("organisations", "0004_orgnr_taken_message"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="appeal_texts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fill_appeal_texts, migrations.RunPython.noop),
    ]
