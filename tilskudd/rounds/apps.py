from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "tilskudd.rounds"
    verbose_name = "Tilskuddsrunder"
