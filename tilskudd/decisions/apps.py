from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "tilskudd.decisions"
    verbose_name = "Vedtak"

    def ready(self):
        from tilskudd.decisions import statuses  # noqa: F401 (registers the decided status)
