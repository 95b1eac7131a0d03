from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "tilskudd.applications"
    verbose_name = "Søknader"
