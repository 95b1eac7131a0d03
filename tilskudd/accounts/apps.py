from django.apps import AppConfig
from django.db.models.signals import post_save


def _initial_membership(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from tilskudd.accounts.memberships import record_initial

        record_initial(instance)


class AccountsConfig(AppConfig):
    name = "tilskudd.accounts"
    verbose_name = "Brukere og roller"

    def ready(self):
        from tilskudd.accounts import throttle  # noqa: F401  connects the failed-login counter

        post_save.connect(
            _initial_membership, sender=self.get_model("User"), dispatch_uid="initial_membership"
        )
