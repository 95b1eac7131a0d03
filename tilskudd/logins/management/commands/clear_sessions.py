"""``manage.py clear_sessions``: Django's ``clearsessions``, and the rows of logins that have ended.

For cron, like ``send_reminders``; safe to run as often as you like. Logins that end while
their browser is in use are removed there and then; this removes those whose browser never
came back.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tilskudd.logins.tracking import clear_expired


class Command(BaseCommand):
    help = (
        "Delete expired sessions (Django's clearsessions) and the rows of logins ended by inactivity or age."
    )

    def handle(self, *args, **options):
        call_command("clearsessions")
        removed = clear_expired()
        self.stdout.write(f"Removed {removed} ended logins.")
