"""What the case log records about people: the roles they are given and lose, and their two-step login."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

ROLE_GRANTED = kind("role_granted", _("role given"), visible_to_applicant=True)
ROLE_ENDED = kind("role_ended", _("role ended"), visible_to_applicant=True)
TWO_STEP_ON = kind("two_step_on", _("Two-step login set up"), visible_to_applicant=True)
TWO_STEP_OFF = kind("two_step_off", _("Two-step login turned off"), visible_to_applicant=True)
RECOVERY_CODES_NEW = kind("recovery_codes_new", _("New recovery codes made"), visible_to_applicant=True)
RECOVERY_CODE_USED = kind(
    "recovery_code_used", _("Logged in with a recovery code"), visible_to_applicant=True
)
