"""After the award: what the office and the recipient did with the money (R12–R14)."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

MONEY_SETTLED = kind(
    "money_settled", _("use of the money recorded from the report"), visible_to_applicant=True
)
CARRY_OVER_APPROVED = kind("carry_over_approved", _("carry-over approved"), visible_to_applicant=True)
CARRY_OVER_REFUSED = kind("carry_over_refused", _("carry-over refused"), visible_to_applicant=True)
CARRY_OVER_REQUESTED = kind(
    "carry_over_requested", _("further carry-over requested"), visible_to_applicant=True
)
CARRIED_MONEY_REPORTED = kind(
    "carried_money_reported", _("use of carried-over money reported"), visible_to_applicant=True
)
CLAIM_SENT = kind("repayment_claimed", _("repayment claim sent"), visible_to_applicant=True)
CLAIM_REMINDED = kind("repayment_reminded", _("repayment reminder sent"), visible_to_applicant=True)
REPAYMENT_RECORDED = kind("repayment_recorded", _("repayment recorded"), visible_to_applicant=True)
DEBT_WRITTEN_OFF = kind("debt_written_off", _("amount owed written off"), visible_to_applicant=True)
WITHHELD_SHARE_SET = kind("withheld_share_set", _("share held back until the final report set"))
WITHHELD_RELEASED = kind(
    "withheld_released", _("share held back released for payment"), visible_to_applicant=True
)
