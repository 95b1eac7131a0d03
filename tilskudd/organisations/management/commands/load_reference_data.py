from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from tilskudd.organisations.reference import load_reference_data


class Command(BaseCommand):
    help = (
        "Load (or refresh) offices, fylker, kommuner, fylkeskommuner and state recipients from tilskudd/data."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            result = load_reference_data(apps)
        self.stdout.write(
            f"{result.offices} embeter, {result.fylker} fylker, {result.kommuner} kommuner, "
            f"{result.fylkeskommuner} fylkeskommuner, {result.state_recipients} statlige mottakere"
        )
