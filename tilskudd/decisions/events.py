"""Decisions, letters, acceptance and payment. A prepared decision is internal until it is approved."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

DECISION_PREPARED = kind("decision_prepared", _("decision prepared"))
DECISION_APPROVED = kind("decision_approved", _("decision approved"), visible_to_applicant=True)
LETTERS_STARTED = kind("letters_started", _("letters started"))
LETTER_ISSUED = kind("letter_issued", _("letter issued"), visible_to_applicant=True)
NOTIFIED = kind("decision_notified", _("decision e-mailed"), visible_to_applicant=True)
ACCEPTED = kind("accepted", _("award accepted"), visible_to_applicant=True)
ACCEPTANCE_EXTENDED = kind(
    "acceptance_extended", _("new acceptance deadline granted"), visible_to_applicant=True
)
PAID = kind("paid", _("payment recorded"), visible_to_applicant=True)
REMINDER_SENT = kind("reminder_sent", _("reminder sent"), visible_to_applicant=True)
