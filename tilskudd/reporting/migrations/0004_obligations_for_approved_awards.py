"""Approved awards made before approval created report obligations get theirs now (issue 11).

Same rule as ``services.create_obligation``: one obligation per approved decision that
granted money, due by the office's next round's reporting deadline or 23:59 on
1 February the year after; one report line per awarded decision line. An obligation
already there for the organisation and round (made by hand) is tied to the decision.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations

OSLO = ZoneInfo("Europe/Oslo")


def _due(Round, round):
    following = (
        Round.objects.filter(office_id=round.office_id, year=round.year + 1, report_deadline__isnull=False)
        .values_list("report_deadline", flat=True)
        .first()
    )
    return following or datetime.combine(datetime(round.year + 1, 2, 1).date(), time(23, 59), tzinfo=OSLO)


def forwards(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    Round = apps.get_model("rounds", "Round")
    ReportObligation = apps.get_model("reporting", "ReportObligation")
    ReportLine = apps.get_model("reporting", "ReportLine")
    decisions = (
        Decision.objects.filter(approved_at__isnull=False, granted__gt=0, report_obligation__isnull=True)
        .select_related("application__round")
        .order_by("pk")
    )
    for decision in decisions.iterator():
        application = decision.application
        round = application.round
        obligation, created = ReportObligation.objects.get_or_create(
            organisation_id=application.organisation_id,
            round_id=round.pk,
            defaults={"decision_id": decision.pk, "awarded": decision.granted, "due": _due(Round, round)},
        )
        if not created and obligation.decision_id is None:
            obligation.decision_id = decision.pk
            obligation.save(update_fields=["decision"])
        ReportLine.objects.bulk_create(
            ReportLine(
                obligation=obligation,
                decision_line_id=line.pk,
                rank=line.rank,
                kind=line.kind,
                title=line.title,
                granted=line.granted,
                education_type=line.line.education_type,
                bpa_training_type=line.line.bpa_training_type,
                themes=list(line.line.themes or []),
            )
            for line in decision.lines.select_related("line").filter(granted__gt=0, report_line__isnull=True)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_reports"),
        ("decisions", "0006_amounts_bounded"),
        ("applications", "0007_amounts_bounded"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
