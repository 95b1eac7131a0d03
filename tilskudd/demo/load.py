"""Deadline-day data for bench/load.py (DESIGN P5, P7): open rounds, applicants, drafts to submit.

Never in production (the demo app is not installed there). Made through the services, so
every draft is what a person would have typed: started, filled in and ready to submit.

What it makes, deterministically from the seed, on top of whatever the database holds
(the reference data, and the national data if it was generated):

- ``sessions`` open rounds per office, for the years after the latest existing round,
  with the deadline 60 days ahead: a simulated applicant submits one draft per session
  and goes on with the next round's. Only the first is left published: the start page
  lists the drafts of every published open round with a submission check each, and on
  deadline day an organisation has one (the later drafts are opened by their address;
  submission does not ask whether the round is published);
- ``users`` signers ``last-001``, ``last-002``… (one per organisation, spread over the
  offices; organisations with an unreported award, R4, are skipped), all with the
  password PASSWORD, hashed once with the current hasher (a login still runs the real
  Argon2 check, and finds nothing to upgrade);
- for each signer a draft in each of those rounds with a few lines, complete enough to
  submit (kommuner: competence, BPA and innovation; others competence only, R2).
"""

import random
import time
from datetime import timedelta
from itertools import zip_longest

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tilskudd.accounts.memberships import record_initial_many
from tilskudd.accounts.models import Role, User
from tilskudd.applications import services
from tilskudd.applications.hooks import unreported_awards
from tilskudd.demo.rounds import CALL_TEXT, _fill
from tilskudd.organisations.models import Office, Organisation, OrganisationKind
from tilskudd.rounds.models import Round

PASSWORD = "belastning-2026"
USERNAME = "last-{:03d}"


def prepare(*, users: int, sessions: int, seed: int = 1, out=print) -> dict:
    """Make the rounds, users and drafts; returns what bench/load.py needs (usernames → application ids)."""
    if User.objects.filter(username=USERNAME.format(1)).exists():
        raise RuntimeError("the load-test users exist already: prepare a fresh database")
    started = time.perf_counter()
    rng = random.Random(seed)
    offices = list(Office.objects.order_by("pk"))
    first_year = max(
        (Round.objects.order_by("-year").values_list("year", flat=True).first() or timezone.now().year - 1)
        + 1,
        timezone.now().year,
    )
    deadline = timezone.now() + timedelta(days=60)
    with transaction.atomic():
        rounds_of = {office.pk: [] for office in offices}
        for year in range(first_year, first_year + sessions):
            for office in offices:
                rounds_of[office.pk].append(
                    Round.objects.create(
                        office=office,
                        year=year,
                        application_deadline=deadline,
                        report_deadline=deadline - timedelta(days=30),
                        fresh_funds=40_000_000,
                        carried_over_funds=0,
                        call_text=CALL_TEXT,
                        published_at=timezone.now(),
                    )
                )
        organisations = _organisations(offices, rounds_of, users)
        password = make_password(PASSWORD)
        signers = User.objects.bulk_create(
            User(
                username=USERNAME.format(number),
                role=Role.SIGNER,
                organisation=organisation,
                password=password,
                first_name="Leder",
                last_name=organisation.name[:100],
                title="Kommunedirektør",
                email=f"last-{number}@kommune.example",
            )
            for number, organisation in enumerate(organisations, start=1)
        )
        record_initial_many(signers)
    drafts: dict[str, list[int]] = {}
    for number, (signer, organisation) in enumerate(zip(signers, organisations, strict=True), start=1):
        signer.organisation = organisation
        ids = []
        for open_round in rounds_of[organisation.fylke.office_id]:
            application = services.start_application(round=open_round, organisation=organisation, by=signer)
            if organisation.kind == OrganisationKind.KOMMUNE:
                _fill(application, signer, rng, competence=1, bpa=1, innovation=1)
            else:
                _fill(application, signer, rng, competence=2, bpa=0, innovation=0)
            ids.append(application.pk)
        problems = services.submission_problems(services.Application.objects.get(pk=ids[0]))
        if problems:
            raise RuntimeError(f"{signer.username}'s draft could not be submitted: {problems}")
        drafts[signer.username] = ids
        if number % 50 == 0:
            out(f"  {number} applicants, {number * sessions} drafts ({time.perf_counter() - started:.1f} s)")
    later = [r.pk for rounds in rounds_of.values() for r in rounds[1:]]
    Round.objects.filter(pk__in=later).update(published_at=None)
    return {
        "password": PASSWORD,
        "drafts": drafts,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _organisations(offices, rounds_of, wanted: int) -> list[Organisation]:
    """``wanted`` organisations that may apply and submit, taken from each office in turn."""
    per_office = []
    for office in offices:
        first_round = rounds_of[office.pk][0]
        per_office.append(
            [
                organisation
                for organisation in Organisation.objects.in_office(office)
                .filter(valid_to__isnull=True)
                .select_related("fylke")
                .order_by("pk")
                if first_round.allowed_kinds_for(organisation.kind)
                and not unreported_awards(organisation, first_round)
            ]
        )
    chosen = [o for group in zip_longest(*per_office) for o in group if o is not None][:wanted]
    if len(chosen) < wanted:
        raise RuntimeError(f"only {len(chosen)} organisations may apply: fewer than {wanted} users")
    return chosen
