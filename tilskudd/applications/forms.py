"""Forms for drafting an application. Every field may be empty in a draft; what
submission needs is checked by the domain core when the signer submits (R6)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tilskudd.applications.models import Application, CriterionChoices, Line
from tilskudd.applications.services import check_extension_until
from tilskudd.applications.uploads import ALLOWED
from tilskudd.domain.lines import (
    APPLICATION_REQUIRED_FIELDS,
    MAX_BUDGET_ITEMS,
    MAX_EMPLOYEES,
    MAX_PERSONS,
    REQUIRED_FIELDS,
    Criterion,
    LineKind,
)
from tilskudd.organisations.models import Organisation
from tilskudd.rounds.models import Round, ThemeChoices
from tilskudd.ui.forms import CountField, FileInput, Form, KronerField, LocalDateTimeField, ModelForm


class ApplicationForm(ModelForm):
    submission_required = APPLICATION_REQUIRED_FIELDS
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Application
        fields = ["contact_name", "contact_email", "contact_phone", "leader_name", "leader_title", "partners"]
        widgets = {"partners": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "leader_name": _("The municipal director or the person delegated budget responsibility."),
        }


class _LineForm(Form):
    title = forms.CharField(label=_("Short title"), max_length=200, required=False)


class CompetenceForm(_LineForm):
    submission_required = REQUIRED_FIELDS[LineKind.COMPETENCE]
    education_type = forms.ChoiceField(label=_("Education type"), required=False, widget=forms.RadioSelect)
    subject_field = forms.CharField(
        label=_("Subject field"),
        max_length=200,
        required=False,
        help_text=_("For example dementia, or palliative care."),
    )
    mental_health = forms.BooleanField(
        label=_("The measure concerns mental health and substance abuse"), required=False
    )
    target_group = forms.ChoiceField(label=_("Target group"), required=False, widget=forms.RadioSelect)
    target_agency = forms.CharField(
        label=_("Agency or service"),
        max_length=200,
        required=False,
        help_text=_("For other agencies: for example NAV, child welfare, kindergarten or school."),
    )
    employees_count = CountField(
        label=_("Number of employees"), min_value=1, max_value=MAX_EMPLOYEES, required=False
    )
    amount_applied = KronerField(label=_("Amount applied for (kr)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education_type"].choices = Line._meta.get_field("education_type").choices
        self.fields["target_group"].choices = Line._meta.get_field("target_group").choices


class BpaForm(_LineForm):
    submission_required = REQUIRED_FIELDS[LineKind.BPA]
    bpa_training_type = forms.ChoiceField(label=_("Training for"), required=False, widget=forms.RadioSelect)
    amount_per_person = KronerField(label=_("Amount per person (kr)"), required=False)
    persons_count = CountField(
        label=_("Number of persons"), min_value=1, max_value=MAX_PERSONS, required=False
    )
    persons_untrained = CountField(
        label=_("Of these, how many have not been trained before"),
        min_value=0,
        max_value=MAX_PERSONS,
        required=False,
        help_text=_("People not trained before are prioritised."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bpa_training_type"].choices = Line._meta.get_field("bpa_training_type").choices

    def clean(self):
        data = super().clean()
        count, untrained = data.get("persons_count"), data.get("persons_untrained")
        if count is not None and untrained is not None and untrained > count:
            self.add_error("persons_untrained", _("Cannot be more than the number of persons."))
        return data


class InnovationForm(_LineForm):
    submission_required = (
        *REQUIRED_FIELDS[LineKind.INNOVATION],
        *(f"criterion_{c.value}" for c in Criterion),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(
        label=_("Project description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), choices=ThemeChoices.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    amount_applied = KronerField(label=_("Amount applied for (kr)"), required=False)
    own_financing = KronerField(label=_("Own financing (kr)"), required=False)
    budget = forms.CharField(
        label=_("Budget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One cost item per line: what it is, then the amount. For example: Project manager 50 %; 350 000"
        ),
    )
    collaborators = forms.CharField(
        label=_("Collaborators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Your municipality is responsible for the whole project; partners do not apply separately."
        ),
    )
    dissemination = forms.CharField(
        label=_("How the project will be made known"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in CriterionChoices:
            self.fields[f"criterion_{criterion.value}"] = forms.CharField(
                label=criterion.label, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def clean_budget(self):
        items = []
        field = KronerField()
        for number, raw in enumerate((self.cleaned_data.get("budget") or "").splitlines(), start=1):
            if not raw.strip():
                continue
            if len(items) == MAX_BUDGET_ITEMS:
                raise forms.ValidationError(
                    _("The budget can have at most %(max)s cost items."), params={"max": MAX_BUDGET_ITEMS}
                )
            description, separator, amount = raw.rpartition(";")
            if not separator or not description.strip():
                raise forms.ValidationError(
                    _("Line %(number)s: write the cost item, a semicolon, then the amount."),
                    params={"number": number},
                )
            try:
                items.append((description.strip()[:200], field.clean(amount)))
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("Line %(number)s: %(error)s"), params={"number": number, "error": error.messages[0]}
                ) from error
        return items

    def criteria_answers(self) -> dict:
        return {c.value: self.cleaned_data.get(f"criterion_{c.value}", "") for c in CriterionChoices}


LINE_FORMS = {LineKind.COMPETENCE: CompetenceForm, LineKind.BPA: BpaForm, LineKind.INNOVATION: InnovationForm}


def line_form(line: Line, data=None) -> Form:
    form_class = LINE_FORMS[LineKind(line.kind)]
    initial = {name: getattr(line, name) for name in form_class.base_fields if hasattr(line, name)}
    if line.kind == LineKind.INNOVATION:
        for criterion, answer in (line.criteria_answers or {}).items():
            initial[f"criterion_{criterion}"] = answer
        initial["budget"] = "\n".join(
            f"{item.description}; {item.amount}" for item in line.budget_items.all()
        )
    return form_class(data, initial=initial)


def line_data(line: Line, form: Form) -> tuple[dict, list | None]:
    data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("criterion_") and k != "budget"}
    for name in ("education_type", "target_group", "bpa_training_type"):
        if name in data and data[name] is None:
            data[name] = ""
    if isinstance(form, InnovationForm):
        data["criteria_answers"] = form.criteria_answers()
        return data, form.cleaned_data["budget"]
    return data, None


class AttachmentForm(Form):
    file = forms.FileField(
        label=_("Attach a file"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods), at most 20 MB."),
        required=True,
        widget=FileInput(attrs={"accept": ",".join(ALLOWED)}),
    )


class ExtensionForm(Form):
    """A later deadline for one organisation of the round's office (R5)."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    until = LocalDateTimeField(label=_("New deadline"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_office(round.office).order_by("name")
        self.round = round

    def clean_until(self):
        until = self.cleaned_data["until"]
        try:
            check_extension_until(self.round, until)  # the service's own rule, said next to the field
        except ValidationError as error:
            raise ValidationError(error.message_dict["until"]) from error
        return until
