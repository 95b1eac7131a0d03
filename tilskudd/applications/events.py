"""What the case log records about an application (the applicant sees these, they are their own acts)."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

CREATED = kind("created", _("created"), visible_to_applicant=True)
EDITED = kind("edited", _("edited"), visible_to_applicant=True)
LINE_ADDED = kind("line_added", _("line added"), visible_to_applicant=True)
LINE_EDITED = kind("line_edited", _("line edited"), visible_to_applicant=True)
LINE_REMOVED = kind("line_removed", _("line removed"), visible_to_applicant=True)
REORDERED = kind("reordered", _("priorities changed"), visible_to_applicant=True)
ATTACHED = kind("attached", _("attachment added"), visible_to_applicant=True)
DETACHED = kind("detached", _("attachment removed"), visible_to_applicant=True)
SHARED = kind("shared", _("draft shared with the office"), visible_to_applicant=True)
UNSHARED = kind("unshared", _("draft no longer shared with the office"), visible_to_applicant=True)
SUBMITTED = kind("submitted", _("submitted"), visible_to_applicant=True)
CORRECTED = kind("corrected", _("corrected by an administrator"), visible_to_applicant=True)
EXTENSION = kind("extension", _("extension granted"), visible_to_applicant=True)
