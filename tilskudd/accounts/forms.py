"""The login form with Designsystemet's look (Django's own form, our widgets), and two-step login's forms."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from tilskudd.ui.forms import DesignsystemetMixin, Form


class LoginForm(DesignsystemetMixin, auth_forms.AuthenticationForm):
    pass


# --- Two-step login ---------------------------------------------------------------------------


def _code_field(label, help_text, *, numeric: bool):
    attrs = {
        "autocomplete": "one-time-code",
        "spellcheck": "false",
        "autocapitalize": "off",
        "maxlength": "20",
    }
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label, help_text=help_text, max_length=20, widget=forms.TextInput(attrs=attrs)
    )


class TwoStepCodeForm(Form):
    """The second step of logging in: a code from the app, or a recovery code."""

    code = _code_field(
        _("Code"),
        _("The six digits the authenticator app shows now, or one of your recovery codes."),
        numeric=False,
    )


class TwoStepSetUpForm(Form):
    code = _code_field(
        _("Code from the app"), _("Six digits. A new code comes every 30 seconds."), numeric=True
    )


class TwoStepOffForm(Form):
    """Confirm with the password or a code; the service says which one is missing or wrong."""

    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field(_("Or a code"), _("From the app, or one of your recovery codes."), numeric=False)
    code.required = False

    def clean(self):
        data = super().clean()
        if not data.get("password") and not data.get("code"):
            raise forms.ValidationError(_("Confirm with your password or a code."))
        return data
