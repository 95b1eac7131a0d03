"""``manage.py backup DEST``: the database and every stored file into a new directory (see tilskudd/backup/archive.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tilskudd.backup.archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and every uploaded file and letter into DEST (a new or empty directory)."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty directory")

    def handle(self, *args, destination: Path, **options):
        try:
            summary = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.engine}: {summary.rows} rows in {len(summary.tables)} tables and "
            f"{len(summary.files)} files into {destination} (manifest.json lists them with SHA-256)."
        )
