"""Small builders for rounds and applications, so tests state only what matters to them."""

from datetime import datetime, timedelta

from django.utils import timezone

from tilskudd.applications import services
from tilskudd.applications.models import Application, BudgetItem, Line
from tilskudd.domain.deadlines import oslo
from tilskudd.domain.lines import Criterion
from tilskudd.rounds.models import Round


def make_round(office, *, year=2027, deadline=None, published=True, **fields) -> Round:
    return Round.objects.create(
        office=office,
        year=year,
        application_deadline=deadline or (timezone.now() + timedelta(days=60)),
        fresh_funds=fields.pop("fresh_funds", 36_110_000),
        carried_over_funds=fields.pop("carried_over_funds", 20_851_396),
        call_text=fields.pop("call_text", "Tilskuddet skal bidra til kompetanseheving og innovasjon."),
        published_at=timezone.now() if published else None,
        **fields,
    )


def past_deadline(day: int = 1) -> datetime:
    return oslo(datetime(2022, 3, day, 23, 59))


COMPETENCE = {
    "title": "Videreutdanning psykisk helse",
    "education_type": "further",
    "subject_field": "Psykisk helse og rus",
    "mental_health": True,
    "target_group": "employees",
    "employees_count": 3,
    "amount_applied": 60_000,
}
BPA = {
    "title": "Opplæring av arbeidsledere",
    "bpa_training_type": "work_leaders",
    "amount_per_person": 5_000,
    "persons_count": 8,
    "persons_untrained": 5,
}
INNOVATION = {
    "title": "Fleksibel avlastning for pårørende",
    "purpose": "Prøve ut fleksible avlastningsmodeller.",
    "description": "Prosjektet utvikler avlastning etter behov.",
    "themes": ["respite", "relatives_volunteers"],
    "amount_applied": 750_000,
    "own_financing": 250_000,
    "collaborators": "Frivilligsentralen",
    "dissemination": "Erfaringskonferanse i regionen.",
    "criteria_answers": {c.value: f"Svar om {c.value}" for c in Criterion},
}
COMPLETE = {"competence": COMPETENCE, "bpa": BPA, "innovation": INNOVATION}


def make_application(round, organisation, *, by, kinds=("competence",), complete=True) -> Application:
    """A draft with one line per kind in ``kinds``, filled in completely unless ``complete`` is False."""
    # Started while the round was open, also for a round whose deadline has passed since.
    started = min(timezone.now(), round.application_deadline)
    application = services.start_application(round=round, organisation=organisation, by=by, now=started)
    services.update_application(
        application=application,
        by=by,
        data={
            "contact_name": "Kari Kontakt",
            "contact_email": "kari@kommune.example",
            "contact_phone": "12345678",
            "leader_name": "Leif Leder",
            "leader_title": "Kommunedirektør",
        },
    )
    for kind in kinds:
        line = Line.objects.create(application=application, kind=kind, rank=application.lines.count() + 1)
        if complete:
            services.update_line(line=line, by=by, data=dict(COMPLETE[kind]))
            if kind == "innovation":
                BudgetItem.objects.create(line=line, description="Prosjektleder", amount=500_000)
    application.refresh_from_db()
    return application


def submitted_application(
    round, organisation, *, by, kinds=("competence", "bpa", "innovation")
) -> Application:
    application = make_application(round, organisation, by=by, kinds=kinds)
    application, _ = services.submit(application=application, by=by)
    return application


def close_call(round: Round) -> Round:
    """Move the round's deadline into the past: decisions are prepared only after the call has closed (R10)."""
    round.application_deadline = past_deadline()
    round.save(update_fields=["application_deadline"])
    return round
