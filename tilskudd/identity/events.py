"""What the case log records about logins through ID-porten or Ansattporten (subject: the user)."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

USER_CREATED = kind("user_created_at_login", _("user created at first login"), visible_to_applicant=True)
IDENTITY_LINKED = kind("identity_linked", _("login identity linked"), visible_to_applicant=True)
LOGGED_IN = kind("logged_in_with_provider", _("logged in"), visible_to_applicant=True)
