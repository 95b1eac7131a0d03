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

    class Meta:
        model = Organisation
        fields = ["organisasjonsnummer", "written_language"]
        help_texts = {"written_language": _("Letters from the office are written in this language.")}

    def clean_organisasjonsnummer(self):
        return normalise(self.cleaned_data["organisasjonsnummer"])
