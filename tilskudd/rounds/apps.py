from django.apps import AppConfig
from django.db.models.signals import post_save


class RoundsConfig(AppConfig):
    name = "tilskudd.rounds"
    verbose_name = "Tilskuddsrunder"

    def ready(self) -> None:
        from tilskudd.rounds import versions

        post_save.connect(
            versions.organisation_saved,
            sender="organisations.Organisation",
            dispatch_uid="tilskudd.rounds.versions.organisation_saved",
        )
        post_save.connect(
            versions.office_saved,
            sender="organisations.Office",
            dispatch_uid="tilskudd.rounds.versions.office_saved",
        )
