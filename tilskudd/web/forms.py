"""Form plumbing shared by every form: Designsystemet classes and accessible errors.

Forms render through templates in ``web/templates/web/forms`` (set as the project's
FORM_RENDERER), which put each message next to its field and wire aria-describedby;
the error summary at the top of a page links to the same fields.
"""

from django import forms
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"


class DesignsystemetMixin:
    """Give widgets the Designsystemet class and mark invalid ones for assistive technology."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class Form(DesignsystemetMixin, forms.Form):
    pass


class ModelForm(DesignsystemetMixin, forms.ModelForm):
    pass
