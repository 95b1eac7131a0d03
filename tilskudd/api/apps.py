from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tilskudd.api"
    label = "api"
