from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CaselogConfig(AppConfig):
    name = "tilskudd.caselog"
    verbose_name = "Sakslogg"

    def ready(self):
        # Each stage declares the kinds of entry it records in its own ``events.py``.
        autodiscover_modules("events")
