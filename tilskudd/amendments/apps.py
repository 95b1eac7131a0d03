from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    name = "tilskudd.amendments"
    verbose_name = "Endringer"

    def ready(self):
        from tilskudd.amendments import panels  # noqa: F401 (the case page's and the round page's slots)
