"""The forms of the settlement pages; the services hold the rules, these only read what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.ui.forms import Form, KronerField, NorwegianDateField

REASON_WIDGET = forms.Textarea(attrs={"rows": 3, "maxlength": "2000"})


class CarriedMoneyForm(Form):
    used = KronerField(label=_("Amount of the carried-over money used (kr)"))
    carry_again = forms.TypedChoiceField(
        label=_("The rest"),
        choices=[("repay", _("Pay it back")), ("carry", _("Apply to carry it over one more year"))],
        coerce=lambda value: value == "carry",
        initial="repay",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why was the activity delayed, and how will it be completed next year?"),
        required=False,
        max_length=2000,
        widget=REASON_WIDGET,
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=REASON_WIDGET)


class AssessmentForm(Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve the further carry-over")),
            ("refuse", _("Refuse: the money is owed back")),
        ],
        coerce=lambda value: value == "approve",
        widget=forms.RadioSelect,
    )
    delay = forms.CharField(
        label=_("Assessment of the reason for the delay"), max_length=2000, widget=REASON_WIDGET
    )
    likelihood = forms.CharField(
        label=_("Assessment of the likelihood that the activity is completed next year"),
        max_length=2000,
        widget=REASON_WIDGET,
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Required when refusing."),
        required=False,
        max_length=2000,
        widget=REASON_WIDGET,
    )


class ClaimForm(Form):
    account_number = forms.CharField(
        label=_("The office's account for repayments"), max_length=20, help_text=_("11 digits.")
    )
    due_on = NorwegianDateField(label=_("Due date"), help_text=_("dd.mm.åååå. Usually 30 days from today."))


class RepaymentForm(Form):
    amount = KronerField(label=_("Amount received (kr)"))
    paid_on = NorwegianDateField(label=_("Received on"), help_text=_("dd.mm.åååå"))


class WriteOffForm(Form):
    amount = KronerField(label=_("Amount to write off (kr)"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=REASON_WIDGET)


class WithheldShareForm(Form):
    withheld_percent = forms.IntegerField(
        label=_("Share of each award held back until the final report is approved (%)"),
        help_text=_("0 means nothing is held back. At most 50."),
        min_value=0,
        max_value=50,
    )
