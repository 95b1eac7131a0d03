from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "tilskudd.decisions"
    verbose_name = "Vedtak"

    def ready(self):
        from tilskudd.decisions import hooks  # noqa: F401 (registers the decided status)
