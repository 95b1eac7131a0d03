from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

DETAILS_CHANGED = kind("organisation_changed", _("organisation details changed"), visible_to_applicant=True)
