"""National-scale data for benchmarks (DESIGN P1): ten offices, ten years, every eligible organisation.

Not a service path: rows are written with bulk_create, bypassing the services (and so
the case log, apart from one "submitted" entry per application), so a database of
~58 000 lines is made in well under two minutes. It lives in the demo app, which is
installed only outside production, and refuses to run on a database that has rounds.

What it makes, deterministically from the seed:

- per office a case officer and an approver (``saksbehandler-<office id>``,
  ``godkjenner-<office id>``); per organisation a signer (``leder-<organisation id>``);
  a national reader ``nasjonal``. Every one has the password PASSWORD (one hash,
  reused: it is a bench, and a login still runs the real Argon2 check);
- per office one round a year for ``years`` years ending with ``last_year``, and in
  each every organisation valid on the deadline applies once, with 10–20 lines of the
  kinds its kind may apply for (fylkeskommuner and universities competence only, R2),
  submitted with a snapshot in the same form as ``applications.services.submit``;
- kommune records for every kommune and year, and assessments of every innovation line;
- for every year but the last: decisions (granted in proportion to the round's funds,
  with a decision line per line), approved by the approver; a Letter row per decision,
  all pointing at ONE shared small PDF (rendering 35 000 letters would take hours;
  bench/letters.py measures real letters), acceptances and payments (the ledger), and
  report obligations with a line per granted line (as reporting makes them), all reported
  (results, persons trained, projects' status) and approved except a few in the latest decided year;
- the last year is at the assessment stage: assessed, two scenarios, no decisions
  (what the allocation page and the proposal benchmark work on);
- the public record of the approved decisions (``publication.summary.rebuild``).
"""

import hashlib
import random
import time
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from tilskudd.accounts.memberships import record_initial_many
from tilskudd.accounts.models import Role, User
from tilskudd.applications import events as application_events
from tilskudd.applications.models import Application, BudgetItem, Line, Status
from tilskudd.assessment.models import Assessment, KommuneRecord, Scenario
from tilskudd.caselog.models import Entry
from tilskudd.decisions.models import Acceptance, Decision, DecisionLine, Letter, Outcome, Payment
from tilskudd.demo.rounds import CALL_TEXT, COMPETENCE_IDEAS, INNOVATION_IDEAS
from tilskudd.domain.deadlines import acceptance_deadline_from, deadline_on
from tilskudd.domain.identifiers import ACCOUNT_WEIGHTS, with_check_digit
from tilskudd.domain.lines import Criterion, bpa_amount
from tilskudd.organisations.models import Office, Organisation, OrganisationKind
from tilskudd.publication.summary import rebuild as rebuild_publication
from tilskudd.reporting.models import ReportLine, ReportObligation
from tilskudd.rounds.models import Round

PASSWORD = "nasjonal-benk-2026"
BATCH = 2000

# The smallest valid PDF: every Letter row points at this one stored file.
SHARED_LETTER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _account_number(rng: random.Random) -> str:
    return with_check_digit("".join(str(rng.randrange(10)) for _ in range(10)), ACCOUNT_WEIGHTS)


def _line(rng: random.Random, kind: str, rank: int) -> tuple[dict, list[tuple[str, int]]]:
    """One line's field values (as Line(**values) takes them) and its budget items."""
    if kind == "competence":
        title, education, subject, mental, target = rng.choice(COMPETENCE_IDEAS)
        employees = rng.randrange(2, 15)
        return {
            "kind": kind,
            "rank": rank,
            "title": title,
            "education_type": education,
            "subject_field": subject,
            "mental_health": mental,
            "target_group": target,
            "target_agency": "NAV og skole" if target == "other_agencies" else "",
            "employees_count": employees,
            "amount_applied": employees * rng.choice([20_000, 25_000, 40_000, 60_000]),
        }, []
    if kind == "bpa":
        persons = rng.randrange(4, 20)
        training = rng.choice(["work_leaders", "case_workers", "assistants"])
        per_person = rng.choice([3_000, 5_000, 7_500])
        return {
            "kind": kind,
            "rank": rank,
            "title": "Opplæring av BPA-assistenter",
            "bpa_training_type": training,
            "amount_per_person": per_person,
            "persons_count": persons,
            "persons_untrained": rng.randrange(0, persons + 1),
            "amount_applied": bpa_amount(per_person, persons),  # stored as the services store it
        }, []
    title, themes = rng.choice(INNOVATION_IDEAS)
    amount = rng.randrange(4, 25) * 100_000
    return {
        "kind": kind,
        "rank": rank,
        "title": title,
        "purpose": f"{title}: bedre tjenester og mestring i hverdagen.",
        "description": "Prosjektet prøver ut en ny arbeidsform sammen med brukere og pårørende.",
        "themes": themes,
        "amount_applied": amount,
        "own_financing": amount // 4,
        "collaborators": "Nabokommuner og frivilligsentralen",
        "dissemination": "Erfaringsdeling i regionalt nettverk.",
        "criteria_answers": {c.value: "Beskrevet i prosjektplanen." for c in Criterion},
    }, [("Prosjektleder", amount // 2), ("Opplæring og frikjøp", amount - amount // 2)]


def _users(offices, organisations) -> tuple[dict, dict, dict]:
    password = make_password(PASSWORD)
    users = [User(username="nasjonal", role=Role.NATIONAL, password=password, first_name="Nasjonal")]
    for office in offices:
        users.append(
            User(
                username=f"saksbehandler-{office.pk}",
                role=Role.CASE_OFFICER,
                office=office,
                password=password,
                first_name="Saksbehandler",
                last_name=office.short_name,
            )
        )
        users.append(
            User(
                username=f"godkjenner-{office.pk}",
                role=Role.APPROVER,
                office=office,
                password=password,
                first_name="Godkjenner",
                last_name=office.short_name,
            )
        )
    for organisation in organisations:
        users.append(
            User(
                username=f"leder-{organisation.pk}",
                role=Role.SIGNER,
                organisation=organisation,
                password=password,
                first_name="Leder",
                last_name=organisation.name[:100],
                title="Kommunedirektør",
                email=f"leder-{organisation.pk}@kommune.example",
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    record_initial_many(by_name.values())
    officers = {o.pk: by_name[f"saksbehandler-{o.pk}"] for o in offices}
    approvers = {o.pk: by_name[f"godkjenner-{o.pk}"] for o in offices}
    signers = {o.pk: by_name[f"leder-{o.pk}"] for o in organisations}
    return officers, approvers, signers


def generate(*, seed: int, years: int = 10, last_year: int = 2026, out=print) -> dict:
    """Make the data; returns counts per table and the seconds taken."""
    if Round.objects.exists():
        raise RuntimeError("the database already has rounds: generate national data into an empty one")
    started = time.perf_counter()
    rng = random.Random(seed)
    offices = list(Office.objects.order_by("pk"))
    organisations = list(
        Organisation.objects.filter(fylke__isnull=False).select_related("fylke").order_by("pk")
    )
    first_year = last_year - years + 1
    with transaction.atomic():
        officers, approvers, signers = _users(offices, organisations)
        letter_path = default_storage.save("letters/national/shared.pdf", ContentFile(SHARED_LETTER))
        letter_sha = hashlib.sha256(SHARED_LETTER).hexdigest()
        application_type = ContentType.objects.get_for_model(Application)
        counts = dict.fromkeys(
            ["rounds", "applications", "lines", "assessments", "decisions", "letters", "obligations"], 0
        )
        for year in range(first_year, last_year + 1):
            deadline = deadline_on(date(year, 3, 1))
            submitted_at = deadline - timedelta(days=3)
            eligible = [
                o
                for o in organisations
                if (o.valid_from is None or o.valid_from <= deadline.date())
                and (o.valid_to is None or o.valid_to >= deadline.date())
            ]
            decided = year < last_year
            rounds = Round.objects.bulk_create(
                [
                    Round(
                        office=office,
                        year=year,
                        application_deadline=deadline,
                        report_deadline=deadline_on(date(year, 2, 1)),
                        change_window_opens=date(year, 10, 1),
                        change_window_closes=date(year, 10, 31),
                        fresh_funds=rng.randrange(30, 45) * 1_000_000,
                        carried_over_funds=rng.randrange(0, 10) * 1_000_000,
                        call_text=CALL_TEXT,
                        published_at=deadline - timedelta(days=90),
                    )
                    for office in offices
                ]
            )
            round_of = {r.office_id: r for r in rounds}
            counts["rounds"] += len(rounds)
            applications = Application.objects.bulk_create(
                [
                    Application(
                        round=round_of[o.fylke.office_id],
                        organisation=o,
                        status=Status.SUBMITTED,
                        contact_name=f"Rådgiver {o.name[:80]}",
                        contact_email=f"radgiver-{o.pk}@kommune.example",
                        contact_phone=f"7{rng.randrange(1000000, 9999999)}",
                        leader_name=f"Leder {o.name[:80]}",
                        leader_title="Kommunedirektør",
                        submitted_at=submitted_at,
                        submitted_by=signers[o.pk],
                        last_edited_by=signers[o.pk],
                        snapshot={},
                    )
                    for o in eligible
                ],
                batch_size=BATCH,
            )
            counts["applications"] += len(applications)
            planned = []  # (application, [(values, budget items)])
            for application in applications:
                organisation = application.organisation
                kinds = (
                    ["competence"] * 6 + ["bpa"] * 2 + ["innovation"] * 2
                    if organisation.kind == OrganisationKind.KOMMUNE
                    else ["competence"]
                )
                planned.append(
                    (
                        application,
                        [_line(rng, rng.choice(kinds), rank) for rank in range(1, rng.randint(10, 20) + 1)],
                    )
                )
            lines = Line.objects.bulk_create(
                [Line(application=a, **values) for a, specs in planned for values, _items in specs],
                batch_size=BATCH,
            )
            counts["lines"] += len(lines)
            items, position = [], 0
            for _application, specs in planned:
                for _values, budget in specs:
                    items += [BudgetItem(line=lines[position], description=d, amount=a) for d, a in budget]
                    position += 1
            BudgetItem.objects.bulk_create(items, batch_size=BATCH)
            # The snapshot, as submit() writes it.
            lines_of: dict[int, list[Line]] = {}
            for line in lines:
                lines_of.setdefault(line.application_id, []).append(line)
            for application in applications:
                snapshot_lines = []
                for line in lines_of[application.pk]:
                    values = line.values()
                    values.pop("application", None)
                    values["budget_items"] = [
                        {"description": d, "amount": a}
                        for d, a in (
                            [
                                ("Prosjektleder", line.amount_applied // 2),
                                ("Opplæring og frikjøp", line.amount_applied - line.amount_applied // 2),
                            ]
                            if line.kind == "innovation"
                            else []
                        )
                    ]
                    snapshot_lines.append(values)
                application.snapshot = {
                    "round": application.round.title,
                    "organisation": application.organisation.name,
                    "contact_name": application.contact_name,
                    "contact_email": application.contact_email,
                    "contact_phone": application.contact_phone,
                    "leader_name": application.leader_name,
                    "leader_title": application.leader_title,
                    "partners": "",
                    "lines": snapshot_lines,
                    "attachments": [],
                    "total": sum(line["amount"] for line in snapshot_lines),
                }
            Application.objects.bulk_update(applications, ["snapshot"], batch_size=500)
            Entry.objects.bulk_create(
                [
                    Entry(
                        subject_type=application_type,
                        subject_id=a.pk,
                        round_id=a.round_id,
                        organisation_id=a.organisation_id,
                        kind=application_events.SUBMITTED.code,
                        actor=a.submitted_by,
                        at=submitted_at,
                        visible_to_applicant=True,
                    )
                    for a in applications
                ],
                batch_size=BATCH,
            )
            KommuneRecord.objects.bulk_create(
                [
                    KommuneRecord(
                        organisation=o,
                        year=year,
                        leve_hele_livet=rng.choice(["fulfils", "partly", "not", ""]),
                        needs_qualification=rng.random() < 0.25,
                        updated_by=officers[o.fylke.office_id],
                    )
                    for o in eligible
                    if o.kind == OrganisationKind.KOMMUNE
                ],
                batch_size=BATCH,
            )
            office_of_application = {a.pk: a.round.office_id for a in applications}
            assessments = [
                Assessment(
                    line=line,
                    eligible=rng.random() > 0.05,
                    scores={c.value: rng.randrange(2, 6) for c in Criterion},
                    assessed_by=officers[office_of_application[line.application_id]],
                )
                for line in lines
                if line.kind == "innovation"
            ]
            Assessment.objects.bulk_create(assessments, batch_size=BATCH)
            counts["assessments"] += len(assessments)
            for office in offices:
                Scenario.objects.create(
                    round=round_of[office.pk],
                    name="Forslag",
                    tier_policy={"3": "ranked"},
                    created_by=officers[office.pk],
                )
                if not decided:
                    Scenario.objects.create(
                        round=round_of[office.pk],
                        name="Innovasjon maks 40 %",
                        tier_policy={"3": "ranked"},
                        kind_share_caps={"innovation": 40},
                        created_by=officers[office.pk],
                    )
            if decided:
                counts["decisions"] += _decide(
                    rng,
                    year,
                    last_year,
                    round_of,
                    applications,
                    lines_of,
                    officers,
                    approvers,
                    signers,
                    letter_path,
                    letter_sha,
                    counts,
                )
            out(
                f"  {year}: {len(applications)} applications, {len(lines)} lines ({time.perf_counter() - started:.1f} s)"
            )
    # Bulk-made decisions pass no approval hook: their public record is taken in one go.
    counts["published lines"] = rebuild_publication()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def _decide(
    rng,
    year,
    last_year,
    round_of,
    applications,
    lines_of,
    officers,
    approvers,
    signers,
    letter_path,
    letter_sha,
    counts,
) -> int:
    """Approved decisions in proportion to each round's funds, letters, acceptances, payments, reports."""
    applied_per_round: dict[int, int] = {}
    for application in applications:
        applied_per_round[application.round_id] = (
            applied_per_round.get(application.round_id, 0) + application.snapshot["total"]
        )
    share = {
        r.pk: min(1.0, r.total_funds / max(1, applied_per_round.get(r.pk, 0))) for r in round_of.values()
    }
    approved_at = deadline_on(date(year, 6, 15))
    decisions, decision_lines = [], []
    for application in applications:
        office_id = application.round.office_id
        granted_lines = []
        for line in lines_of[application.pk]:
            granted = int(line.amount * share[application.round_id] * rng.uniform(0.6, 1.2)) // 1000 * 1000
            granted_lines.append((line, min(granted, line.amount)))
        granted = sum(g for _l, g in granted_lines)
        applied = application.snapshot["total"]
        decisions.append(
            Decision(
                application=application,
                outcome=Outcome.REFUSED
                if granted == 0
                else (Outcome.GRANTED if granted >= applied else Outcome.PARTLY),
                granted=granted,
                applied=applied,
                scenario_name="Forslag",
                appeal_allowed=False,
                appeal_text="Vedtaket kan ikke påklages.",
                appeal_texts={
                    "nb": "Vedtaket kan ikke påklages.",
                    "nn": "Vedtaket kan ikkje påklagast.",
                    "en": "The decision cannot be appealed.",
                },
                prepared_by=officers[office_id],
                approved_by=approvers[office_id],
                approved_at=approved_at,
                # stored at approval, as decisions.services.approve does (R10c)
                acceptance_due=acceptance_deadline_from(approved_at, application.round.acceptance_weeks),
            )
        )
        decision_lines.append(granted_lines)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    awarded_lines = DecisionLine.objects.bulk_create(
        [
            DecisionLine(
                decision=decision,
                line=line,
                rank=line.rank,
                kind=line.kind,
                title=line.title,
                applied=line.amount,
                granted=granted,
            )
            for decision, granted_lines in zip(decisions, decision_lines, strict=True)
            for line, granted in granted_lines
        ],
        batch_size=BATCH,
    )
    Letter.objects.bulk_create(
        [
            Letter(
                decision=d,
                language=d.application.organisation.written_language or "nb",
                file=letter_path,
                sha256=letter_sha,
                size=len(SHARED_LETTER),
                notified_at=approved_at,
            )
            for d in decisions
        ],
        batch_size=BATCH,
    )
    counts["letters"] += len(decisions)
    granted = [d for d in decisions if d.granted > 0]
    Acceptance.objects.bulk_create(
        [
            Acceptance(
                decision=d,
                account_number=_account_number(rng),
                accepted_by=signers[d.application.organisation_id],
            )
            for d in granted
        ],
        batch_size=BATCH,
    )
    Payment.objects.bulk_create(
        [
            Payment(
                decision=d,
                paid_on=date(year, 8, 1),
                amount=d.granted,
                recorded_by=officers[d.application.round.office_id],
            )
            for d in granted
        ],
        batch_size=BATCH,
    )
    latest = year == last_year - 1
    reported_at = deadline_on(date(year + 1, 1, 20))
    obligations = [
        ReportObligation(
            organisation=d.application.organisation,
            round=d.application.round,
            decision=d,
            awarded=d.granted,
            due=deadline_on(date(year + 1, 2, 1)),
            submitted_at=None if latest and rng.random() < 0.05 else reported_at,
        )
        for d in granted
    ]
    for obligation in obligations:
        obligation.approved_at = obligation.submitted_at
    ReportObligation.objects.bulk_create(obligations, batch_size=BATCH)
    counts["obligations"] += len(obligations)
    _report_lines(rng, obligations, awarded_lines)
    return len(decisions)


def _report_lines(rng, obligations, awarded_lines) -> None:
    """One report line per granted line, as reporting.services.create_obligation makes them, and for a
    submitted report what it says: results per education type, persons trained, projects' status."""
    obligation_of = {o.decision_id: o for o in obligations}
    report_lines = []
    for awarded in awarded_lines:
        if awarded.granted <= 0 or awarded.decision_id not in obligation_of:
            continue
        obligation, line = obligation_of[awarded.decision_id], awarded.line
        report = ReportLine(
            obligation=obligation,
            decision_line=awarded,
            rank=awarded.rank,
            kind=awarded.kind,
            title=awarded.title,
            granted=awarded.granted,
            education_type=line.education_type,
            bpa_training_type=line.bpa_training_type,
            themes=list(line.themes or []),
        )
        if obligation.submitted_at is not None:
            used = awarded.granted - rng.choice([0, 0, 0, awarded.granted // 10])
            report.used, report.unused = used, awarded.granted - used
            report.unused_choice = "repay" if report.unused else ""
            if awarded.kind == "competence":
                people = line.employees_count or 1
                report.dropped_out = rng.randrange(0, max(1, people // 4))
                report.in_education = rng.randrange(0, people - report.dropped_out + 1)
                report.completed = people - report.dropped_out - report.in_education
            elif awarded.kind == "bpa":
                setattr(report, f"{line.bpa_training_type}_trained", line.persons_count)
            else:
                report.innovation_status = rng.choice(["ongoing", "completed", "completed", "stopped"])
                report.results = "Færre innleggelser og mer mestring hjemme."
                report.sharing = "Regionalt nettverk og kommunens nettsider."
        report_lines.append(report)
    ReportLine.objects.bulk_create(report_lines, batch_size=BATCH)
