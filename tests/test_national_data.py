"""DESIGN P1: the national data generator makes the same data from the same seed, within the rules."""

import hashlib

import pytest
from django.db import transaction
from django.db.models import F

from tilskudd.applications.models import Application, Line
from tilskudd.decisions.models import Decision, DecisionLine, Letter
from tilskudd.demo.national import generate
from tilskudd.organisations.models import Office, Organisation, OrganisationKind
from tilskudd.reporting.models import ReportLine, ReportObligation
from tilskudd.rounds.models import Round

pytestmark = pytest.mark.django_db


def _digest() -> str:
    rows = Line.objects.order_by(
        "application__round__year", "application__organisation_id", "rank"
    ).values_list(
        "application__round__year",
        "application__organisation_id",
        "rank",
        "kind",
        "amount_applied",
        "persons_count",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def _generated(seed: int) -> tuple[str, dict]:
    with transaction.atomic():
        counts = generate(seed=seed, years=2, last_year=2026, out=lambda line: None)
        digest = _digest()
        facts = {
            "rounds": Round.objects.count(),
            "applications": Application.objects.count(),
            "lines_per_application": sorted(
                {a.lines.count() for a in Application.objects.order_by("?")[:30]}
            ),
            "fylkeskommune_kinds": set(
                Line.objects.filter(application__organisation__kind=OrganisationKind.FYLKESKOMMUNE)
                .values_list("kind", flat=True)
                .distinct()
            ),
            "decided_years": set(Decision.objects.values_list("application__round__year", flat=True)),
            "letters": Letter.objects.count(),
            "decisions": Decision.objects.count(),
            "snapshot_total_matches": all(
                a.snapshot["total"] == sum(line.amount for line in a.lines.all())
                for a in Application.objects.order_by("pk")[:20]
            ),
            "bpa_lines": Line.objects.filter(kind="bpa").count(),
            "bpa_amount_not_stored": Line.objects.filter(kind="bpa")
            .exclude(amount_applied=F("amount_per_person") * F("persons_count"))
            .count(),
            "awards_without_report_line": DecisionLine.objects.filter(
                granted__gt=0, report_line__isnull=True
            ).count(),
            "report_lines": ReportLine.objects.count(),
            "obligations_without_decision": ReportObligation.objects.filter(decision__isnull=True).count(),
            "approved_competence_results": ReportLine.objects.filter(
                kind="competence", obligation__approved_at__isnull=False, completed__isnull=False
            ).count(),
        }
        transaction.set_rollback(True)
    return digest, facts | {"counts": counts}


def test_P1_the_same_seed_makes_the_same_national_data():
    first, facts = _generated(seed=7)
    again, _ = _generated(seed=7)
    other, _ = _generated(seed=8)
    assert first == again
    assert first != other

    offices = Office.objects.count()
    assert facts["rounds"] == 2 * offices == 20
    eligible = Organisation.objects.filter(fylke__isnull=False).count()
    assert facts["applications"] == 2 * eligible
    assert min(facts["lines_per_application"]) >= 10 and max(facts["lines_per_application"]) <= 20
    assert facts["fylkeskommune_kinds"] == {"competence"}  # R2
    assert facts["decided_years"] == {2025}  # the last year is left at assessment
    assert facts["letters"] == facts["decisions"] == eligible
    assert facts["snapshot_total_matches"]
    assert facts["bpa_lines"] and facts["bpa_amount_not_stored"] == 0  # as the services store it
    # Reports as reporting makes them, so benchmarks time reports and results that have lines.
    assert facts["report_lines"] and facts["awards_without_report_line"] == 0
    assert facts["obligations_without_decision"] == 0
    assert facts["approved_competence_results"] > 0


def test_P1_the_generator_refuses_a_database_with_rounds(cast):
    Round.objects.create(office=cast.office_t, year=2030, application_deadline="2030-03-01T23:59:59+01:00")
    with pytest.raises(RuntimeError):
        generate(seed=1, years=1, out=lambda line: None)
