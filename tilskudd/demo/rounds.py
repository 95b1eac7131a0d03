"""Demo rounds and applications for Statsforvalteren i Trøndelag.

Trøndelag 2025 is decided, with awards whose reports are due; Steinkjer has not
reported (so R4 stops its next submission): its award is a real approved decision, so
its report can be filled in (web form or workbook), submitted and approved. Meldal,
merged into Orkland in 2020, never reported on its 2019 grant: Orkland inherits that. Trøndelag 2026 has closed and is at the
assessment stage: most kommuner and Trøndelag fylkeskommune (competence measures
only, R2) applied, about twice what the round has (seeds 002, 003), and the case
officer has assessed and made two scenarios. Trøndelag 2027 is open: Trondheim has a
draft for the demo users to finish, Steinkjer a draft that R4 stops, and a few
kommuner have already submitted.
"""

import random
from datetime import date

from django.utils import timezone

from tilskudd.accounts.models import Role, User
from tilskudd.applications import services
from tilskudd.applications.models import Application, Line
from tilskudd.assessment import services as assessment
from tilskudd.decisions import services as decisions
from tilskudd.decisions.models import Decision
from tilskudd.demo.settlement import SETTLED, load_demo_settlement
from tilskudd.domain.deadlines import deadline_on
from tilskudd.domain.lines import Criterion
from tilskudd.organisations.models import Office, Organisation, OrganisationKind
from tilskudd.reporting.models import ReportObligation
from tilskudd.rounds.models import Round

CALL_TEXT = """Kompetanse- og innovasjonstilskuddet skal bidra til at kommunene har en kompetent, stabil og \
tilstrekkelig bemanning i helse- og omsorgstjenestene, og til å utvikle og ta i bruk nye løsninger.

Det kan søkes om midler til kompetansetiltak (grunn-, videre- og etterutdanning), opplæring i brukerstyrt \
personlig assistanse (BPA) og innovasjonsprosjekter.

Prioritert: videreutdanning innen psykisk helse og rus, formell kompetanse for utvalgte ansatte, kommuner som \
omstiller i tråd med reformen Leve hele livet, og fleksible avlastningsmodeller for pårørende.

Det skal rapporteres på tilskudd før du søker på nytt. Søknaden skal være forankret hos leder med budsjettansvar \
og prioritert av kommunen."""

COMPETENCE_IDEAS = [
    ("Videreutdanning psykisk helse og rus", "further", "Psykisk helse og rus", True, "employees"),
    ("Fagbrev helsefagarbeider for assistenter", "upper_secondary", "Helsefag", False, "employees"),
    ("Videreutdanning demensomsorg", "further", "Demens", False, "employees"),
    ("ABC-opplæring Eldreomsorgens ABC", "abc", "Eldreomsorg", False, "employees"),
    ("Fagskole i velferdsteknologi", "vocational", "Velferdsteknologi", False, "employees"),
    ("Bachelor i sykepleie, deltid", "bachelor", "Sykepleie", False, "recruits"),
    ("Lederutdanning for avdelingsledere", "further", "Ledelse", False, "leaders"),
    ("Kurs i rusforebygging for NAV og skole", "continuing", "Psykisk helse og rus", True, "other_agencies"),
    ("Videreutdanning palliasjon", "further", "Palliasjon", False, "employees"),
]
INNOVATION_IDEAS = [
    ("Fleksibel avlastning for pårørende", ["respite", "relatives_volunteers"]),
    ("Digitalt tilsyn om natten", ["welfare_technology"]),
    ("Hverdagsrehabilitering i hele kommunen", ["rehabilitation", "prevention"]),
    ("Ernæringsteam for hjemmeboende eldre", ["nutrition"]),
    ("Aktivitetsvenn for personer med demens", ["relatives_volunteers", "activity_culture"]),
    ("Legemiddelhåndtering med digitale dosetter", ["medication", "welfare_technology"]),
    ("Fritid med bistand for unge voksne", ["leisure"]),
]


def _signer(organisation: Organisation) -> User:
    user, created = User.objects.get_or_create(
        username=f"leder-{organisation.kommunenummer or organisation.pk}",
        defaults={
            "first_name": "Leder",
            "last_name": organisation.name.split(" - ")[0],
            "title": "Kommunedirektør",
            "role": Role.SIGNER,
            "organisation": organisation,
            "email": f"postmottak-{organisation.pk}@kommune.example",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _fill(
    application: Application, by: User, rng: random.Random, *, competence: int, bpa: int, innovation: int
):
    services.update_application(
        application=application,
        by=by,
        data={
            "contact_name": f"Rådgiver {application.organisation.name.split(' - ')[0]}",
            "contact_email": f"radgiver-{application.organisation.pk}@kommune.example",
            "contact_phone": f"7{rng.randrange(1000000, 9999999)}",
            "leader_name": by.get_full_name(),
            "leader_title": by.title,
        },
    )
    for title, education, subject, mental, target in rng.sample(COMPETENCE_IDEAS, competence):
        employees = rng.randrange(2, 15)
        line = services.add_line(application=application, by=by, kind="competence")
        services.update_line(
            line=line,
            by=by,
            data={
                "title": title,
                "education_type": education,
                "subject_field": subject,
                "mental_health": mental,
                "target_group": target,
                "target_agency": "NAV og skole" if target == "other_agencies" else "",
                "employees_count": employees,
                "amount_applied": employees * rng.choice([20_000, 25_000, 40_000, 60_000]),
            },
        )
    for training in ["work_leaders", "case_workers", "assistants"][:bpa]:
        persons = rng.randrange(4, 20)
        line = services.add_line(application=application, by=by, kind="bpa")
        services.update_line(
            line=line,
            by=by,
            data={
                "title": {
                    "work_leaders": "Arbeidslederopplæring BPA",
                    "case_workers": "BPA for saksbehandlere",
                }.get(training, "Opplæring av BPA-assistenter"),
                "bpa_training_type": training,
                "amount_per_person": rng.choice([3_000, 5_000, 7_500]),
                "persons_count": persons,
                "persons_untrained": rng.randrange(0, persons + 1),
            },
        )
    for title, themes in rng.sample(INNOVATION_IDEAS, innovation):
        amount = rng.randrange(4, 25) * 100_000
        line = services.add_line(application=application, by=by, kind="innovation")
        services.update_line(
            line=line,
            by=by,
            data={
                "title": title,
                "purpose": f"{title}: bedre tjenester og mestring i hverdagen.",
                "description": "Prosjektet prøver ut en ny arbeidsform sammen med brukere og pårørende, "
                "og evalueres underveis.",
                "themes": themes,
                "amount_applied": amount,
                "own_financing": amount // 4,
                "collaborators": "Nabokommuner, NTNU og frivilligsentralen",
                "dissemination": "Erfaringsdeling i regionalt nettverk og på kommunens nettsider.",
                "criteria_answers": {c.value: "Beskrevet i prosjektplanen." for c in Criterion},
            },
            budget_items=[("Prosjektleder", amount // 2), ("Opplæring og frikjøp", amount - amount // 2)],
        )


def load_demo_rounds() -> None:
    office = Office.objects.get(name="Statsforvalteren i Trøndelag")
    if Round.objects.filter(office=office, year=2027).exists():
        return
    rng = random.Random(2027)
    reported = Round.objects.create(
        office=office,
        year=2025,
        application_deadline=deadline_on(date(2025, 3, 1)),
        report_deadline=deadline_on(date(2025, 2, 1)),
        fresh_funds=34_800_000,
        carried_over_funds=7_900_000,
        call_text=CALL_TEXT,
        published_at=timezone.now(),
    )
    closed = Round.objects.create(
        office=office,
        year=2026,
        application_deadline=deadline_on(date(2026, 3, 1)),
        report_deadline=deadline_on(date(2026, 2, 1)),
        change_window_opens=date(2026, 10, 1),
        change_window_closes=date(2026, 10, 31),
        fresh_funds=36_110_000,
        carried_over_funds=20_851_396,
        call_text=CALL_TEXT,
        line_limits={"innovation": 5},
        published_at=timezone.now(),
    )
    current = Round.objects.create(
        office=office,
        year=2027,
        application_deadline=deadline_on(date(2027, 3, 1)),
        report_deadline=deadline_on(date(2027, 2, 1)),
        change_window_opens=date(2027, 10, 1),
        change_window_closes=date(2027, 10, 31),
        fresh_funds=37_000_000,
        carried_over_funds=0,
        call_text=CALL_TEXT,
        line_limits={"innovation": 5},
        published_at=timezone.now(),
    )
    kommuner = list(
        Organisation.objects.in_office(office).filter(kind=OrganisationKind.KOMMUNE).order_by("kommunenummer")
    )
    # Awards in 2025, reported except by Steinkjer (5006): its award is a real decision whose report
    # (one line per awarded line) it fills in, in the web form or the workbook, before applying for 2027.
    awards, signers = _awards_2025(reported, rng)
    # Three of them have reported; the office has booked the money: carry-overs and a claim (issue 12).
    load_demo_settlement(awards, signers)
    for kommune in kommuner[:20]:
        if kommune.kommunenummer == "5006" or kommune.kommunenummer in awards:
            continue
        ReportObligation.objects.create(
            organisation=kommune,
            round=reported,
            awarded=rng.randrange(5, 40) * 50_000,
            due=deadline_on(date(2026, 2, 1)),
            submitted_at=timezone.now(),
        )
    # 2026: the call closed on 1 March; the office is assessing and allocating. Asked for about
    # twice what it has (seeds 002, 003).
    on_time = deadline_on(date(2026, 2, 27))
    for kommune in kommuner:
        if kommune.kommunenummer == "5006" or rng.random() < 0.2:
            continue  # Steinkjer could not apply (R4), and not every kommune applies
        signer = _signer(kommune)
        application = services.start_application(round=closed, organisation=kommune, by=signer, now=on_time)
        _fill(
            application,
            signer,
            rng,
            competence=rng.randrange(1, 5),
            bpa=rng.randrange(0, 3),
            innovation=rng.randrange(1, 4),
        )
        services.submit(application=application, by=signer, now=on_time)
    fylke = Organisation.objects.get(kind=OrganisationKind.FYLKESKOMMUNE, fylke__number="50")
    frode = User.objects.get(username="fylke")
    fylke_application = services.start_application(round=closed, organisation=fylke, by=frode, now=on_time)
    _fill(fylke_application, frode, rng, competence=2, bpa=0, innovation=0)  # competence only (R2)
    services.submit(application=fylke_application, by=frode, now=on_time)
    _assess(closed, rng)
    # 2027: open. Trondheim has a draft for the demo users to finish and submit
    trondheim = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5001")
    leder = User.objects.get(username="leder")
    draft = services.start_application(round=current, organisation=trondheim, by=leder)
    _fill(draft, leder, rng, competence=2, bpa=1, innovation=1)
    Line.objects.filter(application=draft, kind="innovation").update(dissemination="")  # one thing left to do
    # Steinkjer: a draft that R4 will stop until the 2025 report is in
    steinkjer = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5006")
    stine = User.objects.get(username="steinkjer")
    blocked = services.start_application(round=current, organisation=steinkjer, by=stine)
    _fill(blocked, stine, rng, competence=1, bpa=0, innovation=1)
    # A few kommuner have already applied for 2027
    for kommune in [k for k in kommuner if k.kommunenummer not in ("5001", "5006")][:6]:
        signer = _signer(kommune)
        early = services.start_application(round=current, organisation=kommune, by=signer)
        _fill(early, signer, rng, competence=rng.randrange(1, 3), bpa=0, innovation=1)
        services.submit(application=early, by=signer)
    # Made last, so the demo's earlier submissions are not stopped by it.
    _merged_kommune(office)


def _awards_2025(round: Round, rng: random.Random) -> tuple[dict[str, Decision], dict[str, User]]:
    """The 2025 applications of Steinkjer and the kommuner of ``SETTLED``, decided and approved: approval
    makes their report obligations. Returns their decisions and signers by kommunenummer."""
    on_time = deadline_on(date(2025, 2, 27))
    applicants = {"5006": User.objects.get(username="steinkjer")}
    for number in SETTLED:
        applicants[number] = _signer(
            Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer=number)
        )
    for signer in applicants.values():
        application = services.start_application(
            round=round, organisation=signer.organisation, by=signer, now=on_time
        )
        _fill(application, signer, rng, competence=1, bpa=1, innovation=1)
        services.submit(application=application, by=signer, now=on_time)
    officer, approver = User.objects.get(username="saksbehandler"), User.objects.get(username="godkjenner")
    scenario = assessment.saved_scenario(round=round, scenario_id=None, by=officer)
    decisions.prepare_decisions(proposal=assessment.proposal(scenario), by=officer)
    approver.strong_login = True  # the demo's history: as if the approver had logged in with two steps
    decisions.approve_round(round=round, by=approver)
    found = {
        d.application.organisation.kommunenummer: d
        for d in Decision.objects.filter(application__round=round).select_related("application__organisation")
    }
    return {n: found[n] for n in SETTLED}, {n: applicants[n] for n in SETTLED}


def _merged_kommune(office: Office) -> None:
    """Meldal merged into Orkland in 2020 without reporting on its 2019 grant: Orkland inherits the
    obligation (R4 names Meldal), and Meldal's report stays its own (SPEC R11)."""
    orkland = Organisation.objects.get(kind=OrganisationKind.KOMMUNE, kommunenummer="5059")
    meldal, _created = Organisation.objects.get_or_create(
        kind=OrganisationKind.KOMMUNE,
        kommunenummer="5023",
        valid_to=date(2019, 12, 31),
        defaults={"name": "Meldal", "fylke": orkland.fylke, "successor": orkland},
    )
    earlier = Round.objects.create(
        office=office,
        year=2019,
        application_deadline=deadline_on(date(2019, 3, 1)),
        fresh_funds=30_000_000,
        carried_over_funds=0,
        call_text=CALL_TEXT,
        published_at=timezone.now(),
    )
    ReportObligation.objects.create(
        organisation=meldal, round=earlier, awarded=350_000, due=deadline_on(date(2020, 2, 1))
    )


def _assess(round: Round, rng: random.Random) -> None:
    """The office's records and a first pass of assessments, so the allocation screen has something to weigh."""

    officer = User.objects.get(username="saksbehandler")
    kommuner = Organisation.objects.in_office(round.office).filter(kind=OrganisationKind.KOMMUNE)
    for kommune in kommuner:
        assessment.save_kommune_record(
            round=round,
            organisation=kommune,
            by=officer,
            leve_hele_livet=rng.choice(["fulfils", "partly", "not", ""]),
            needs_qualification=rng.random() < 0.25,
            note="",
        )
    lines = Line.objects.filter(application__round=round, application__status="submitted", kind="innovation")
    for number, line in enumerate(lines.order_by("pk")):
        if number == 3:
            data = {
                "eligible": False,
                "ineligible_reason": "Ordinært utviklingsarbeid i kommunen, ikke nytt tiltak.",
            }
        else:
            data = {"eligible": True, "scores": {c.value: rng.randrange(2, 6) for c in Criterion}}
        assessment.assess_line(line=line, by=officer, data=data, version=None)
    assessment.create_scenario(round=round, by=officer, name="Forslag", tier_policy={"3": "ranked"})
    assessment.create_scenario(
        round=round,
        by=officer,
        name="Innovasjon maks 40 %",
        tier_policy={"3": "ranked"},
        kind_share_caps={"innovation": 40},
    )
