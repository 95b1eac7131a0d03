"""What the case log records about a person's logins (their own acts on their own account)."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

LOGIN_ENDED = kind("login_ended", _("login ended"), visible_to_applicant=True)
OTHER_LOGINS_ENDED = kind("other_logins_ended", _("other logins ended"), visible_to_applicant=True)
