from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "tilskudd.reporting"
    verbose_name = "Rapportering"

    def ready(self):
        from tilskudd.reporting import hooks  # noqa: F401 (registers R4's provider)
