"""manage.py rebuild_publication: take the public record of awards again from the approved decisions.

The approval hook keeps it in step; this is for data made without the hook (a restore,
bulk-made data) or to take the names of organisations and offices anew.
"""

from django.core.management.base import BaseCommand

from tilskudd.publication.summary import rebuild


class Command(BaseCommand):
    help = "Rebuild the public record of awards (PublishedLine) from the approved decisions."

    def handle(self, *args, **options):
        self.stdout.write(f"{rebuild()} published lines")
