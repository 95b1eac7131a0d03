"""A local OpenID provider for the tests (ID-porten / Ansattporten look-alike): see ``fixtures.oidc_provider``."""
