from django import forms
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.deadlines import EARLIEST_YEAR, LATEST_YEAR
from tilskudd.domain.lines import ApplicantKind, LineKind
from tilskudd.domain.reporting import DEFAULT_AUDIT_THRESHOLD
from tilskudd.organisations.models import OrganisationKind
from tilskudd.rounds.models import CriterionChoices, LineKindChoices, Round, ThemeChoices
from tilskudd.ui.forms import CountField, DateField, Form, KronerField, LocalDateTimeField

MAX_LINES_PER_APPLICANT = 100  # a per-applicant limit above this is no limit, and a typing error


class RoundForm(Form):
    """A round's configuration: everything R1 and R2 make data rather than code."""

    year = forms.IntegerField(label=_("Year"), min_value=max(2019, EARLIEST_YEAR), max_value=LATEST_YEAR)
    application_deadline = LocalDateTimeField(
        label=_("Application deadline"),
        help_text=_("Local time (Norway). 23:59 means the whole of that minute."),
    )
    report_deadline = LocalDateTimeField(label=_("Reporting deadline for earlier awards"), required=False)
    report_audit_threshold = KronerField(
        label=_("Auditor's confirmation from (kr)"),
        required=False,
        help_text=_(
            "A recipient whose combined grant is at or above this attaches an auditor's confirmation to its "
            "report. Leave empty for 200 000 kr."
        ),
    )
    change_window_opens = DateField(label=_("Change requests from"), required=False)
    change_window_closes = DateField(label=_("Change requests until"), required=False)
    fresh_funds = KronerField(label=_("Fresh funds (kr)"))
    carried_over_funds = KronerField(label=_("Carried-over funds (kr)"), required=False)
    call_text = forms.CharField(
        label=_("Call text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Purpose, sub-goals, target groups and priorities, shown publicly."),
    )
    score_scale_max = forms.IntegerField(
        label=_("Top of the scoring scale"), min_value=1, max_value=10, initial=5
    )
    budget_chapter = CountField(
        label=_("Budget chapter"),
        required=False,
        min_value=1,
        max_value=9999,
        initial=761,
        help_text=_("The chapter of the state budget the grant is paid from, named in the letters."),
    )
    budget_post = CountField(label=_("Budget post"), required=False, min_value=1, max_value=99, initial=68)
    acceptance_weeks = CountField(
        label=_("Weeks to accept an award"),
        required=False,
        min_value=1,
        max_value=26,
        initial=3,
        help_text=_("The letter asks for acceptance within this many weeks of its date."),
    )
    copy_to = forms.CharField(
        label=_("Copy of the letters to"),
        required=False,
        max_length=300,
        initial="Helsedirektoratet",
        help_text=_("Separate several recipients with commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ApplicantKind:
            self.fields[f"allowed_{kind}"] = forms.MultipleChoiceField(
                label=_("%(kind)s may apply for") % {"kind": OrganisationKind(kind.value).label.capitalize()},
                choices=LineKindChoices.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        for kind in LineKind:
            self.fields[f"limit_{kind}"] = CountField(
                label=_("At most this many %(kind)s lines per applicant")
                % {"kind": LineKindChoices(kind.value).label},
                required=False,
                min_value=1,
                max_value=MAX_LINES_PER_APPLICANT,
                help_text=_("Leave empty for no limit."),
            )
        for criterion in CriterionChoices:
            self.fields[f"weight_{criterion.value}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": criterion.label},
                min_value=0,
                max_value=10,
                initial=1,
            )

    @classmethod
    def initial_from(cls, round: Round) -> dict:
        initial = {name: getattr(round, name) for name in cls.base_fields}
        for kind in ApplicantKind:
            initial[f"allowed_{kind}"] = round.allowed_line_kinds.get(kind, [])
        for kind in LineKind:
            initial[f"limit_{kind}"] = (round.line_limits or {}).get(kind)
        for criterion, weight in round.criterion_weights.items():
            initial[f"weight_{criterion}"] = weight
        return initial

    def clean(self):
        data = super().clean()
        opens, closes = data.get("change_window_opens"), data.get("change_window_closes")
        if opens and closes and closes < opens:
            self.add_error("change_window_closes", _("The window cannot close before it opens."))
        # Fresh and carried-over funds together: services.check_round_bounds, shown by the views.
        return data

    def round_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.base_fields}
        data["carried_over_funds"] = data["carried_over_funds"] or 0
        for name in ("budget_chapter", "budget_post", "acceptance_weeks"):
            if data[name] is None:
                del data[name]  # left empty: the round keeps its value (or the default)
        if "copy_to" in self.data:
            data["copy_to"] = ", ".join(part.strip() for part in data["copy_to"].split(",") if part.strip())
        else:
            del data["copy_to"]  # not in the form posted: unchanged
        if data.get("report_audit_threshold") is None:
            data["report_audit_threshold"] = DEFAULT_AUDIT_THRESHOLD
        data["allowed_line_kinds"] = {
            k.value: self.cleaned_data.get(f"allowed_{k}", []) for k in ApplicantKind
        }
        data["line_limits"] = {
            k.value: self.cleaned_data[f"limit_{k}"] for k in LineKind if self.cleaned_data.get(f"limit_{k}")
        }
        data["criterion_weights"] = {
            c.value: self.cleaned_data[f"weight_{c.value}"] for c in CriterionChoices
        }
        return data


class EarmarkForm(Form):
    name = forms.CharField(label=_("Name of the earmarked pool"), max_length=120)
    amount = KronerField(label=_("Amount (kr)"))
    line_kinds = forms.MultipleChoiceField(
        label=_("Line kinds that draw on it"),
        choices=LineKindChoices.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes that draw on it"),
        choices=ThemeChoices.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
