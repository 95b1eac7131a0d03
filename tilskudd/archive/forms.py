from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tilskudd.ui.forms import Form


class YearRangeForm(Form):
    """The years of an office's rounds to extract, both included; bounded by the years the office has rounds."""

    year_from = forms.IntegerField(label=_("From the year"))
    year_to = forms.IntegerField(label=_("To the year (included)"))

    def __init__(self, *args, bounds: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        first, last = bounds
        for name in ("year_from", "year_to"):
            field = self.fields[name]
            field.error_messages["required"] = _("Write a year.")
            field.error_messages["invalid"] = _("Write the year as four digits, for example %(year)s.") % {
                "year": last
            }
            field.widget.attrs.update({"min": first, "max": last, "inputmode": "numeric"})
            field.help_text = _("%(first)s to %(last)s") % {"first": first, "last": last}
        self.bounds = bounds

    def clean(self):
        data = super().clean()
        first, last = self.bounds
        for name in ("year_from", "year_to"):
            year = data.get(name)
            if year is not None and not first <= year <= last:
                self.add_error(
                    name,
                    ValidationError(
                        _("Choose a year from %(first)s to %(last)s: the years the office has rounds.")
                        % {"first": first, "last": last}
                    ),
                )
        if (
            not self.errors
            and data.get("year_from") is not None
            and data.get("year_to") is not None
            and data["year_from"] > data["year_to"]
        ):
            self.add_error("year_to", _("The last year cannot be before the first."))
        return data
