from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "tilskudd.organisations"
    verbose_name = "Organisasjoner og referansedata"
