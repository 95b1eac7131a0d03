from django.apps import AppConfig


class LoginsConfig(AppConfig):
    name = "tilskudd.logins"
    label = "logins"
    verbose_name = "Innlogginger"

    def ready(self):
        from tilskudd.logins import tracking  # noqa: F401  connects the login and logout receivers
