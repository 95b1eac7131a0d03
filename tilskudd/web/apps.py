from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tilskudd.web"
    verbose_name = "Nettsider"
