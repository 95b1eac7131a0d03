from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tilskudd.accounts"
    verbose_name = "Brukere og roller"
