"""The report's web form: one group of fields per awarded line, as in the letter (R11).

Every field may be empty in a draft; what submission needs is checked when the
signer submits. Bounds and consistency (used ≤ granted, used + unused = granted)
are the domain's, shared with the Excel workbook.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tilskudd.applications.forms import AttachmentForm
from tilskudd.applications.models import BpaTrainingTypeChoices
from tilskudd.domain.lines import MAX_PERSONS
from tilskudd.domain.reporting import MAX_TEXT, MONEY_FIELDS, REQUIRED, line_problems
from tilskudd.reporting.messages import problem_text
from tilskudd.reporting.models import (
    InnovationStatusChoices,
    ReportAttachment,
    ReportLine,
    ReportStateChoices,
    UnusedChoiceChoices,
)
from tilskudd.ui.forms import CountField, DateField, FileInput, Form, KronerField

LABELS = {
    "completed": _("Number who completed"),
    "in_education": _("Number still in education"),
    "dropped_out": _("Number who dropped out"),
    "bpa_training_type": _("Training for"),
    "work_leaders_trained": _("Users and work leaders trained"),
    "case_workers_trained": _("Case workers trained"),
    "assistants_trained": _("Assistants trained"),
    "innovation_status": _("Status of the project"),
    "results": _("Results"),
    "sharing": _("How the results were shared with other municipalities"),
    "used": _("Amount used (kr)"),
    "unused": _("Amount unused (kr)"),
    "unused_choice": _("What should happen to the unused money"),
    "carry_over_reason": _("Why the money should be carried over"),
}

KIND_FIELDS = {
    "competence": ("completed", "in_education", "dropped_out"),
    "bpa": ("bpa_training_type", "work_leaders_trained", "case_workers_trained", "assistants_trained"),
    "innovation": ("innovation_status", "results", "sharing"),
}
MONEY = ("used", "unused", "unused_choice", "carry_over_reason")


def _field(name: str):
    label = LABELS[name]
    if name in ("completed", "in_education", "dropped_out") or name.endswith("_trained"):
        return CountField(label=label, min_value=0, max_value=MAX_PERSONS, required=False)
    if name in ("used", "unused"):
        return KronerField(label=label, required=False)
    if name == "bpa_training_type":
        return forms.ChoiceField(
            label=label, required=False, choices=[("", "—"), *BpaTrainingTypeChoices.choices]
        )
    if name == "innovation_status":
        return forms.ChoiceField(
            label=label, required=False, choices=[("", "—"), *InnovationStatusChoices.choices]
        )
    if name == "unused_choice":
        return forms.ChoiceField(
            label=label, required=False, choices=UnusedChoiceChoices.choices, widget=forms.RadioSelect
        )
    return forms.CharField(
        label=label, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


def field_name(line: ReportLine, name: str) -> str:
    return f"l{line.pk}-{name}"


class ReportForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines: list[ReportLine], **kwargs):
        self.lines = lines
        initial = kwargs.pop("initial", {}) or {}
        for line in lines:
            for name in (*KIND_FIELDS[line.kind], *MONEY):
                initial.setdefault(field_name(line, name), getattr(line, name))
        super().__init__(*args, initial=initial, **kwargs)
        for line in lines:
            required = {*REQUIRED[line.line_kind], *MONEY_FIELDS}
            for name in (*KIND_FIELDS[line.kind], *MONEY):
                field = _field(name)
                field.widget.attrs.setdefault("class", "ds-input")  # as the mixin does for declared fields
                field.submission_required = name in required  # not "optional": submission needs it
                self.fields[field_name(line, name)] = field

    def groups(self):
        """Per line: the line and its bound fields, for the template."""
        return [
            {
                "line": line,
                "fields": [self[field_name(line, n)] for n in KIND_FIELDS[line.kind]],
                "money": [self[field_name(line, n)] for n in MONEY],
            }
            for line in self.lines
        ]

    def line_values(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            line.pk: {
                name: data.get(field_name(line, name))
                for name in (*KIND_FIELDS[line.kind], *MONEY)
                if field_name(line, name) in data
            }
            for line in self.lines
        }

    def clean(self):
        data = super().clean()
        language = get_language() or "nb"
        for line, values in self.line_values().items() if not self.errors else ():
            report_line = next(r for r in self.lines if r.pk == line)
            merged = {n: getattr(report_line, n) for n in (*KIND_FIELDS[report_line.kind], *MONEY)} | values
            for problem in line_problems(report_line.line_kind, report_line.granted, merged):
                name = field_name(report_line, problem.field)
                if name in self.fields:
                    self.add_error(name, problem_text(problem, language))
        return data

    def add_problems(self, problems: dict, language: str) -> None:
        """Problems found by a service (the same rules, checked again under the lock) next to their fields."""
        by_pk = {line.pk: line for line in self.lines}
        for ref, found in problems.items():
            for problem in found:
                name = field_name(by_pk[ref], problem.field)
                self.add_error(name if name in self.fields else None, problem_text(problem, language))


@dataclass(frozen=True)
class Gap:
    """One thing a report lacks before submission: a line's field, or the attachment R11 asks for."""

    code: str
    text: str
    line: ReportLine | None = None
    field: str = ""


def incomplete(obligation, gaps, language: str) -> list[Gap]:
    """``gaps`` (services.ReportIncomplete) in words, line by line, then the missing attachment."""
    lines = {line.pk: line for line in obligation.lines.all()}
    found = [
        Gap(problem.code, problem_text(problem, language), lines[ref], problem.field)
        for ref, problems in gaps.problems.items()
        for problem in problems
    ]
    if gaps.attachment_missing == ReportAttachment.AUDITOR:
        found.append(
            Gap("attachment_missing", str(_("Attach the auditor's confirmation (revisoruttalelse).")))
        )
    elif gaps.attachment_missing:
        found.append(Gap("attachment_missing", str(_("Attach the project account statement."))))
    return found


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PaperReportForm(Form):
    received_on = DateField(label=_("Received on"))
    note = forms.CharField(
        label=_("How it was received, and where it is filed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WorkbookForm(Form):
    workbook = forms.FileField(
        label=_("Filled-in report workbook (.xlsx)"), widget=FileInput(attrs={"accept": ".xlsx"})
    )


class AuditorStatementForm(AttachmentForm):
    """The auditor's upload: the same file checks as every attachment, named for what it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Your statement as the auditor (revisoruttalelse)")


class ReportFilterForm(Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Organisation"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *ReportStateChoices.choices]
