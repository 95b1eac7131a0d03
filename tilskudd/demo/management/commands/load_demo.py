from django.conf import settings
from django.core.management.base import BaseCommand

from tilskudd.demo.users import load_demo


class Command(BaseCommand):
    help = "Load the demo: Statsforvalteren i Trøndelag and one demo user per role (idempotent; never in production)."

    def handle(self, *args, **options):
        # The demo submits applications; their receipt e-mails would flood the console.
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        users = load_demo()
        self.stdout.write(f"Demo loaded: {len(users)} users.")
