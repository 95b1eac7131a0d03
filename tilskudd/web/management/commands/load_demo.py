from django.core.management.base import BaseCommand

from tilskudd.web.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo: Statsforvalteren i Trøndelag and one demo user per role (idempotent; never in production)."

    def handle(self, *args, **options):
        users = load_demo()
        self.stdout.write(f"Demo loaded: {len(users)} users.")
