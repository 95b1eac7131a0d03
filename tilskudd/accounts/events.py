from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

ROLE_GRANTED = kind("role_granted", _("role given"), visible_to_applicant=True)
ROLE_ENDED = kind("role_ended", _("role ended"), visible_to_applicant=True)
