"""manage.py prepare_load --users N --sessions K --output FILE: deadline-day data for bench/load.py (P5, P7).

Open rounds, N signers each with an organisation and K drafts ready to submit; writes the
usernames, password and draft ids as JSON. Never in production (the demo app is not
installed there). See tilskudd/demo/load.py.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from tilskudd.demo.load import prepare


class Command(BaseCommand):
    help = "Open rounds, applicants and drafts for the deadline-day load test (bench/load.py)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--sessions", type=int, default=5, help="drafts (open rounds) per applicant")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--output", required=True, help="where to write the JSON for bench/load.py")

    def handle(self, *, users, sessions, seed, output, **options):
        try:
            made = prepare(users=users, sessions=sessions, seed=seed, out=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        with open(output, "w", encoding="utf-8") as file:
            json.dump(made, file)
        self.stdout.write(f"{users} applicants with {users * sessions} drafts in {made['seconds']} s")
