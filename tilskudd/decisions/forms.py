from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.identifiers import is_valid_kontonummer, normalise
from tilskudd.ui.forms import Form, KronerField, NorwegianDateField


class AcceptanceForm(Form):
    accept_conditions = forms.BooleanField(
        label=_("We accept the grant on the conditions in the letter"),
        error_messages={"required": _("Confirm that you accept the conditions.")},
    )
    account_number = forms.CharField(
        label=_("Bank account number for the payment"),
        max_length=20,
        help_text=_("11 digits, for example 1234 56 78903."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_account_number(self):
        number = normalise(self.cleaned_data["account_number"])
        if not is_valid_kontonummer(number):
            raise forms.ValidationError(
                _("The account number must be 11 digits with a valid check digit (MOD11).")
            )
        return number


class PaymentForm(Form):
    paid_on = NorwegianDateField(label=_("Paid on"))
    amount = KronerField(label=_("Amount (kr)"))


class AcceptanceExtensionForm(Form):
    """A new acceptance deadline for one award (R10c): the office's answer when the recipient was late."""

    until = NorwegianDateField(
        label=_("New acceptance deadline"), help_text=_("The recipient can accept until the end of this day.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Logged on the case, for example what the recipient told you."),
    )
