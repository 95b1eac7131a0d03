from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "tilskudd.publication"
    verbose_name = "Publisering"

    def ready(self):
        from tilskudd.publication import hooks  # noqa: F401 (publishes approved decisions)
