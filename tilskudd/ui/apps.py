from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class UiConfig(AppConfig):
    name = "tilskudd.ui"

    def ready(self):
        # Each stage registers the panels it adds to other stages' pages in its own ``panels.py``.
        autodiscover_modules("panels")
