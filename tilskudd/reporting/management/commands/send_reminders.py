from django.core.management.base import BaseCommand

from tilskudd.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders before application and reporting deadlines. Safe to run from cron: never sends twice."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="remind this many days ahead (default 7)")

    def handle(self, *args, days: int, **options):
        self.stdout.write(f"{send_reminders(days=days)} reminders sent")
