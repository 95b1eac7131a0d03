"""Reports: what the recipient and the office did with each report obligation."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

REPORT_REQUIRED = kind("report_required", _("report required"), visible_to_applicant=True)
REPORT_EDITED = kind("report_edited", _("report edited"), visible_to_applicant=True)
REPORT_IMPORTED = kind("report_imported", _("report read from the workbook"), visible_to_applicant=True)
REPORT_ATTACHED = kind("report_attached", _("report attachment added"), visible_to_applicant=True)
REPORT_DETACHED = kind("report_detached", _("report attachment removed"), visible_to_applicant=True)
REPORT_SUBMITTED = kind("report_submitted", _("report submitted"), visible_to_applicant=True)
REPORT_REGISTERED = kind(
    "report_registered", _("report received on paper or by e-mail, registered"), visible_to_applicant=True
)
REPORT_RETURNED = kind("report_returned", _("report returned for correction"), visible_to_applicant=True)
REPORT_APPROVED = kind("report_approved", _("report approved"), visible_to_applicant=True)
REPORT_WRITTEN_OFF = kind(
    "report_written_off", _("reporting requirement written off"), visible_to_applicant=True
)
AUDITOR_STATEMENT_ADDED = kind(
    "auditor_statement_added", _("auditor's statement uploaded by the auditor"), visible_to_applicant=True
)
AUDITOR_STATEMENT_CONFIRMED = kind(
    "auditor_statement_confirmed",
    _("auditor's statement confirmed by the auditor"),
    visible_to_applicant=True,
)
