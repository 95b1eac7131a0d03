from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "tilskudd.archive"
    verbose_name = "Arkiv"

    def ready(self):
        from tilskudd.archive import panels  # noqa: F401 (the case's journal, the round's extraction link)
