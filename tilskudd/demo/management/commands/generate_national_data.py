"""manage.py generate_national_data --seed N: national-scale data for the benchmarks (DESIGN P1).

Into an empty database (reference data only), never in production (the demo app is
not installed there). See tilskudd/demo/national.py for what it makes.
"""

from django.core.management.base import BaseCommand, CommandError

from tilskudd.demo.national import PASSWORD, generate


class Command(BaseCommand):
    help = "Generate ten offices x ten years of submitted, assessed and decided applications (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--last-year", type=int, default=2026, help="the year left at assessment")

    def handle(self, *, seed, years, last_year, **options):
        try:
            counts = generate(seed=seed, years=years, last_year=last_year, out=self.stdout.write)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        seconds = counts.pop("seconds")
        self.stdout.write(", ".join(f"{n} {name}" for name, n in counts.items()))
        self.stdout.write(
            f"Generated in {seconds:.1f} s (target: under 120 s). Every user's password: {PASSWORD}"
        )
