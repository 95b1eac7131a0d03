"""Change requests (R13): asked for by the signer, decided by the office, approved by a second person
where money moves between lines. The office's preparation is internal until it is approved."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

WINDOW_OPENED = kind("change_window_opened", _("change window opened"), visible_to_applicant=True)
CHANGE_REQUESTED = kind("change_requested", _("change requested"), visible_to_applicant=True)
CHANGE_PREPARED = kind("change_prepared", _("change prepared for approval"))
CHANGE_RETURNED = kind("change_returned", _("prepared change sent back to the case officer"))
CHANGE_APPROVED = kind("change_approved", _("change approved"), visible_to_applicant=True)
CHANGE_REFUSED = kind("change_refused", _("change refused"), visible_to_applicant=True)
REPORT_AMENDED = kind("report_amended", _("report lines amended"), visible_to_applicant=True)
