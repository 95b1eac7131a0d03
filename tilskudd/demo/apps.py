from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tilskudd.demo"
