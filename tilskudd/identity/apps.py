from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Login through ID-porten or Ansattporten (OpenID Connect) and the identities it links to users."""

    name = "tilskudd.identity"
    label = "identity"
    verbose_name = "Innlogging med ID-porten og Ansattporten"

    def ready(self):
        from tilskudd.identity import checks, signals  # noqa: F401 (registers them)
