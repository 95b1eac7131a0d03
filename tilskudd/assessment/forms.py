from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.assessment.models import LeveHeleLivet
from tilskudd.rounds.models import CriterionChoices, LineKindChoices, ThemeChoices
from tilskudd.ui.forms import Form, KronerField

POLICY_CHOICES = [
    ("proportional", _("reduce proportionally")),
    ("ranked", _("fund by score down to a funding line")),
]


class KommuneRecordForm(Form):
    leve_hele_livet = forms.ChoiceField(
        label=_("Leve hele livet"), choices=LeveHeleLivet.choices, required=False
    )
    needs_qualification = forms.BooleanField(label=_("Particularly needs to qualify staff"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AssessmentForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    eligible = forms.TypedChoiceField(
        label=_("Eligible for a grant"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    ineligible_reason = forms.CharField(
        label=_("Reason it is not eligible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: ordinary development work of the municipality is not funded."),
    )
    recommended = KronerField(
        label=_("Recommended amount (kr)"),
        required=False,
        help_text=_("Leave empty to let the proposal decide."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, line, scale_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        if line.kind == "innovation":
            choices = [("", _("not scored"))] + [(str(n), str(n)) for n in range(scale_max + 1)]
            for criterion in CriterionChoices:
                self.fields[f"score_{criterion.value}"] = forms.TypedChoiceField(
                    label=criterion.label,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "ds-input"}),
                    initial="",
                )

    def clean(self):
        data = super().clean()
        if data.get("eligible") is False and not (data.get("ineligible_reason") or "").strip():
            self.add_error("ineligible_reason", _("Give the reason when a measure is not eligible."))
        recommended = data.get("recommended")
        if recommended is not None and recommended > self.line.amount:
            self.add_error(
                "recommended", _("The recommended amount cannot be more than the amount applied for.")
            )
        return data

    def scores(self) -> dict:
        return {
            c.value: self.cleaned_data.get(f"score_{c.value}")
            for c in CriterionChoices
            if self.cleaned_data.get(f"score_{c.value}") is not None
        }


class ScenarioForm(Form):
    name = forms.CharField(label=_("Name of the scenario"), max_length=120)
    tier_1 = forms.ChoiceField(label=_("Priority 1 when money runs short"), choices=POLICY_CHOICES)
    tier_2 = forms.ChoiceField(label=_("Priority 2 when money runs short"), choices=POLICY_CHOICES)
    tier_3 = forms.ChoiceField(label=_("Priority 3 when money runs short"), choices=POLICY_CHOICES)
    min_amount = KronerField(label=_("Minimum per measure (kr)"), required=False)
    max_amount = KronerField(label=_("Maximum per measure (kr)"), required=False)
    applicant_cap = KronerField(label=_("Maximum per applicant (kr)"), required=False)
    innovation_share = forms.IntegerField(
        label=_("Innovation projects may take at most this share of the funds (%)"),
        min_value=1,
        max_value=100,
        required=False,
    )
    prioritised_themes = forms.MultipleChoiceField(
        label=_("Themes prioritised this round"),
        choices=ThemeChoices.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def policy(self) -> dict:
        data = self.cleaned_data
        caps = (
            {LineKindChoices.INNOVATION.value: data["innovation_share"]}
            if data.get("innovation_share")
            else {}
        )
        return {
            "tier_policy": {str(t): data[f"tier_{t}"] for t in (1, 2, 3)},
            "min_amount": data.get("min_amount") or 0,
            "max_amount": data.get("max_amount"),
            "applicant_cap": data.get("applicant_cap"),
            "kind_share_caps": caps,
            "prioritised_themes": data.get("prioritised_themes") or [],
        }


class OverrideForm(Form):
    amount = KronerField(label=_("Amount (kr)"))
    reason = forms.CharField(label=_("Reason"), max_length=500)
