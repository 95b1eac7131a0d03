from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.identifiers import normalise
from tilskudd.organisations.models import Organisation
from tilskudd.ui.forms import ModelForm


class OrganisationDetailsForm(ModelForm):
    # Wider than the nine digits stored: people type "974 764 350". The model's
    # MOD11 validator judges the normalised value.
    organisasjonsnummer = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=20,
        help_text=_("Nine digits, as in the Central Coordinating Register for Legal Entities."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    postal_code = forms.CharField(
        label=_("Postal code"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    class Meta:
        model = Organisation
        fields = ["organisasjonsnummer", "written_language", "postal_address", "postal_code", "postal_town"]
        help_texts = {
            "written_language": _("Letters from the office are written in this language."),
            "postal_address": _(
                "Where letters from the office are sent, for example Postboks 2300 Torgarden."
            ),
        }
        widgets = {
            "postal_address": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "postal_town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }

    def clean_postal_code(self):
        return self.cleaned_data["postal_code"].strip()

    def clean_organisasjonsnummer(self):
        return normalise(self.cleaned_data["organisasjonsnummer"])
