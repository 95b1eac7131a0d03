"""What the case log records about API tokens (the person's own acts)."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

TOKEN_CREATED = kind("token_created", _("API token created"), visible_to_applicant=True)
TOKEN_REVOKED = kind("token_revoked", _("API token revoked"), visible_to_applicant=True)
