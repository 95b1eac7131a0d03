from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "tilskudd.reporting"
    verbose_name = "Rapportering"
