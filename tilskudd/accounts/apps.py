from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tilskudd.accounts"
    verbose_name = "Brukere og roller"

    def ready(self):
        from tilskudd.accounts import throttle  # noqa: F401  connects the failed-login counter
