"""The signer's change request (one form per kind of change) and the office's forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tilskudd.applications.models import EducationTypeChoices
from tilskudd.domain.money import format_kroner
from tilskudd.ui.forms import Form, KronerField, NorwegianDateField

REASON = _("Why the change is needed")


def _line_choices(lines) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(item.pk), f"{item.line.rank}. {item.title} ({format_kroner(item.unsettled)})") for item in lines
    ]


class _LinesForm(Form):
    reason = forms.CharField(label=REASON, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {item.pk: item for item in lines}
        for name in self.line_fields:
            self.fields[name].choices = _line_choices(lines)

    line_fields: tuple[str, ...] = ("line",)

    def clean_line(self):
        return self._line("line")

    def _line(self, name):
        value = self.cleaned_data.get(name)
        try:
            return self.lines[int(value)].line
        except (TypeError, ValueError, KeyError):
            raise ValidationError(_("Choose one of the awarded measures.")) from None

    def apply_errors(self, error: ValidationError) -> None:
        """A service's refusal, next to the field it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class MoveForm(_LinesForm):
    kind = "move"
    line_fields = ("line", "to_line")
    line = forms.ChoiceField(label=_("Move money from"), help_text=_("Left on the measure in brackets."))
    to_line = forms.ChoiceField(label=_("Move it to"))
    amount = KronerField(label=_("Amount to move (kr)"))
    field_order = ["line", "to_line", "amount", "reason"]

    def clean_to_line(self):
        return self._line("to_line")

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "line": data["line"],
            "to_line": data["to_line"],
            "amount": data["amount"],
            "reason": data["reason"],
        }


class ContentForm(_LinesForm):
    kind = "content"
    line = forms.ChoiceField(label=_("Measure"))
    new_title = forms.CharField(label=_("New title"), max_length=200, required=False)
    new_education_type = forms.ChoiceField(
        label=_("New education type"),
        required=False,
        choices=[("", "—"), *EducationTypeChoices.choices],
        help_text=_("Only for a competence measure."),
    )
    new_description = forms.CharField(
        label=_("New activity"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the money will be used for instead."),
    )
    field_order = ["line", "new_title", "new_education_type", "new_description", "reason"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "line": data["line"],
            "new_title": data["new_title"],
            "new_education_type": data["new_education_type"],
            "new_description": data["new_description"],
            "reason": data["reason"],
        }


class PeriodForm(_LinesForm):
    kind = "period"
    line = forms.ChoiceField(label=_("Measure"))
    new_end = NorwegianDateField(label=_("New end date"), help_text=_("dd.mm.åååå"))
    field_order = ["line", "new_end", "reason"]

    def values(self) -> dict:
        data = self.cleaned_data
        return {"line": data["line"], "new_end": data["new_end"], "reason": data["reason"]}


REQUEST_FORMS = {form.kind: form for form in (MoveForm, ContentForm, PeriodForm)}


class OfficeReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PrepareForm(Form):
    amount = KronerField(
        label=_("Amount to approve (kr)"),
        help_text=_("A smaller amount than asked for is a partial approval."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when less is approved than asked for."),
    )


class WindowForm(Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    opens = NorwegianDateField(label=_("From"), help_text=_("dd.mm.åååå"))
    closes = NorwegianDateField(label=_("Until"), help_text=_("dd.mm.åååå"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [("", "—")] + [
            (str(o.pk), o.display_name) for o in organisations
        ]

    def clean_organisation(self):
        try:
            return self.organisations[int(self.cleaned_data["organisation"])]
        except (TypeError, ValueError, KeyError):
            raise ValidationError(_("Choose an organisation with an award in the round.")) from None
