from django.core.management.base import BaseCommand

from tilskudd.demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<14} {spec.role.label:<48} {spec.where}")
        self.stdout.write("")
        self.stdout.write(
            "The approver (godkjenner) sets up two-step login with an authenticator app on first login:"
        )
        self.stdout.write("approving needs it. Anyone else may turn it on under 'Innlogging i to trinn'.")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.")
        self.stdout.write("")
