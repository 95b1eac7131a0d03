from django.utils.translation import gettext_lazy as _

from tilskudd.domain.identifiers import normalise
from tilskudd.organisations.models import Organisation
from tilskudd.web.forms import ModelForm


class OrganisationDetailsForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["organisasjonsnummer", "written_language"]
        help_texts = {
            "organisasjonsnummer": _("Nine digits, as in the Central Coordinating Register for Legal Entities."),
            "written_language": _("Letters from the office are written in this language."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisasjonsnummer"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "maxlength": "11"}
        )
        self.fields["organisasjonsnummer"].max_length = 11

    def clean_organisasjonsnummer(self):
        return normalise(self.cleaned_data["organisasjonsnummer"])
