from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "tilskudd.settlement"
    verbose_name = "Oppgjør"

    def ready(self):
        from tilskudd.settlement import handlers  # noqa: F401 (listens for approved reports)
