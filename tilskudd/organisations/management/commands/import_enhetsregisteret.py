from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tilskudd.organisations.enhetsregisteret import match_units, read_units
from tilskudd.organisations.models import Organisation
from tilskudd.organisations.services import apply_register_details


class Command(BaseCommand):
    help = (
        "Fill organisation numbers and postal addresses of kommuner, fylkeskommuner and universities from "
        "the Central Coordinating Register's bulk file (Enhetsregisteret, JSON or CSV, gzip or not). "
        "Idempotent; every change is in the case log."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="e.g. enheter_alle.json.gz or enheter_alle.csv.gz")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        organisations = Organisation.objects.filter(valid_to__isnull=True).select_related("fylke")
        try:
            matching = match_units(read_units(file), organisations)
        except (ValueError, KeyError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: not an Enhetsregisteret file ({error})") from error
        changed = unchanged = refused = 0
        for match in matching.matches:
            organisation, unit = match.organisation, match.unit
            try:
                # A dry run runs the very same service and rolls each change back: it reports what
                # a real run would do, refusals included.
                with transaction.atomic():
                    did = apply_register_details(
                        organisation=organisation,
                        organisasjonsnummer=unit.organisasjonsnummer,
                        postal_address=unit.postal_address,
                        postal_code=unit.postal_code,
                        postal_town=unit.postal_town,
                        source=f"Enhetsregisteret: {unit.organisasjonsnummer} {unit.name} ({file.name})",
                    )
                    transaction.set_rollback(dry_run)
            except ValidationError as error:
                refused += 1
                self.stderr.write(f"{organisation.name}: {unit.organisasjonsnummer} not used: {error!r}")
                continue
            if did and dry_run:
                self.stdout.write(f"{organisation.name}: {unit.organisasjonsnummer} ({unit.name})")
            changed += did
            unchanged += not did
        for unit in matching.invalid:
            self.stderr.write(f"{unit.name}: {unit.organisasjonsnummer} fails the MOD11 check, skipped")
        for text in matching.ambiguous:
            self.stderr.write(f"more than one unit for {text}, skipped")
        self.stdout.write(
            f"{len(matching.matches)} found, {changed} changed, {unchanged} unchanged, {refused} refused, "
            f"{len(matching.unmatched)} not in the file, {len(matching.invalid)} invalid"
            + (" (dry run: nothing changed)" if dry_run else "")
        )
