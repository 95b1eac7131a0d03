from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "tilskudd.backup"
