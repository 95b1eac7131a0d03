"""``manage.py restore SRC``: a backup made by ``manage.py backup`` into an empty database and file storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tilskudd.backup.archive import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this database and file storage. Every file's "
        "SHA-256 is checked first; a database with rows or a storage with files is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup's directory")
        parser.add_argument(
            "--force", action="store_true", help="replace what is in the database and the storage"
        )

    def handle(self, *args, source: Path, force: bool, **options):
        try:
            summary = restore(source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.engine}: {summary.rows} rows in {len(summary.tables)} tables (as in the "
            f"manifest) and {len(summary.files)} files from {source}."
        )
