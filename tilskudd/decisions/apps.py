from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "tilskudd.decisions"
    verbose_name = "Vedtak"
