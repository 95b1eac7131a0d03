"""The office's internal steps: never shown to the applicant."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

ASSESSED = kind("assessed", _("line assessed"))
KOMMUNE_RECORD = kind("kommune_record", _("kommune record saved"))
SCENARIO_CREATED = kind("scenario_created", _("scenario created"))
OVERRIDE_SET = kind("override_set", _("amount set by the case officer"))
OVERRIDE_REMOVED = kind("override_removed", _("amount set by the case officer removed"))
