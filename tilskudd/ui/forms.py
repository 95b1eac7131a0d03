"""Form plumbing shared by every form: Designsystemet classes and accessible errors.

Forms render through templates in ``ui/templates/ui/forms`` (set as the project's
FORM_RENDERER), which put each message next to its field and wire aria-describedby;
the error summary at the top of a page links to the same fields.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tilskudd.domain.deadlines import EARLIEST_YEAR, LATEST_YEAR, year_in_range
from tilskudd.domain.money import MAX_AMOUNT, AmountError, format_kroner, format_number, parse_kroner


def year_range_message() -> str:
    """Said of a date outside the years EARLIEST_YEAR–LATEST_YEAR, by fields and services alike."""
    return gettext("Choose a date between the years %(first)s and %(last)s.") % {
        "first": EARLIEST_YEAR,
        "last": LATEST_YEAR,
    }


def amount_limit_message(limit: int = MAX_AMOUNT, language: str | None = None) -> str:
    """Said of an amount above ``limit`` kroner, by fields and services alike (the page's language by default)."""
    return gettext("The amount can be at most %(max)s.") % {
        "max": format_kroner(limit, language or get_language() or "nb")
    }


class FormRenderer(TemplatesSetting):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


class DesignsystemetMixin:
    """Give widgets the Designsystemet class and mark invalid ones for assistive technology.

    ``submission_required`` names fields a draft may leave empty but submission needs:
    they are not labelled "optional".
    """

    submission_required: tuple[str, ...] = ()

    def __getitem__(self, name):
        # Styled when rendered, so fields a subclass adds in its own ``__init__`` get it too.
        field = self.fields.get(name)
        if field is not None:
            field.widget.attrs.setdefault("class", "ds-input")
            field.submission_required = name in self.submission_required
        return super().__getitem__(name)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class Form(DesignsystemetMixin, forms.Form):
    pass


class ModelForm(DesignsystemetMixin, forms.ModelForm):
    pass


class KronerField(forms.Field):
    """Whole kroner, typed as people type them ("60 000", "1 234 567 kr"); cleaned to an int.

    Never more than ``max_value`` (default MAX_AMOUNT, the ceiling of every stored amount).
    """

    default_error_messages = {
        "decimals": _("Write the amount in whole kroner, without øre."),
        "negative": _("The amount cannot be negative."),
        "invalid": _("Write the amount as a number, for example 60 000."),
    }

    widget = forms.TextInput

    def __init__(self, *args, max_value: int = MAX_AMOUNT, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_value = min(max_value, MAX_AMOUNT)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": "30"})

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_number(value).replace("\u00a0", " ")
        return value

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        try:
            amount = parse_kroner(text)
        except AmountError as error:
            code = error.code if error.code in self.error_messages else "invalid"
            raise forms.ValidationError(self.error_messages[code], code=code) from error
        if amount > self.max_value:
            raise forms.ValidationError(amount_limit_message(self.max_value), code="too_large")
        return amount


class CountField(forms.IntegerField):
    """A count of people or things, from ``min_value`` up to ``max_value`` (required: every count is bounded)."""

    default_error_messages = {
        "too_many": _("The number can be at most %(max)s."),
    }

    def __init__(self, *args, max_value: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.ceiling = max_value
        self.widget.attrs["max"] = str(max_value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value > self.ceiling:
            raise forms.ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": format_number(self.ceiling, get_language() or "nb")},
            )


class _YearBoundsMixin:
    """Dates only in the years EARLIEST_YEAR–LATEST_YEAR: year 1 or 9999 is a typing error, not a date."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not year_in_range(result):
            raise forms.ValidationError(year_range_message(), code="year_out_of_range")
        return result


class LocalDateTimeField(_YearBoundsMixin, forms.DateTimeField):
    """A date and time in Europe/Oslo, picked with the browser's own control."""

    widget = forms.DateTimeInput(
        attrs={
            "type": "datetime-local",
            "min": f"{EARLIEST_YEAR}-01-01T00:00",
            "max": f"{LATEST_YEAR}-12-31T23:59",
        },
        format="%Y-%m-%dT%H:%M",
    )


class DateField(_YearBoundsMixin, forms.DateField):
    widget = forms.DateInput(
        attrs={"type": "date", "min": f"{EARLIEST_YEAR}-01-01", "max": f"{LATEST_YEAR}-12-31"},
        format="%Y-%m-%d",
    )


class NorwegianDateField(_YearBoundsMixin, forms.DateField):
    """A date typed the Norwegian way, dd.mm.åååå, whatever language the browser speaks.

    The browser's own date control shows its locale's format (mm/dd/yyyy in an American
    browser); a text field with a stated pattern reads the same for everybody.
    """

    input_formats = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Write the date as dd.mm.åååå, for example 02.05.2027."),
    }
    widget = forms.DateInput(
        format="%d.%m.%Y",
        attrs={
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": "dd.mm.åååå",
            "maxlength": "10",
            "size": "10",
        },
    )


class FileInput(forms.ClearableFileInput):
    """The file field with its button and "no file chosen" in the page's language, not the browser's."""

    template_name = "ui/forms/file_input.html"
