from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "tilskudd.publication"
    verbose_name = "Publisering"
