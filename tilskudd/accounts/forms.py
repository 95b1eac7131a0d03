"""The login form with Designsystemet's look (Django's own form, our widgets), two-step login's forms,
and the people pages' forms."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tilskudd.accounts.labels import role_help, role_label
from tilskudd.ui.forms import DesignsystemetMixin, Form, NorwegianDateField


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


# --- The people pages: invite, change a role, set its last day, end it --------------------------


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role, f"{capfirst(role_label(role))} – {role_help(role)}") for role in roles]


class InviteForm(Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation link is sent here. It works once, for whoever logs in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)
    valid_until = NorwegianDateField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty for a role that lasts until it is ended."),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


REASON_MAX = 500


class ChangeRoleForm(Form):
    role = forms.ChoiceField(label=_("New role"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Why"), required=False, max_length=REASON_MAX, widget=forms.TextInput())

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, prefix="change", **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class LastDayForm(Form):
    valid_until = NorwegianDateField(
        label=_("Last day"),
        required=False,
        help_text=_("Empty: the role lasts until it is ended."),
    )
    reason = forms.CharField(label=_("Why"), required=False, max_length=REASON_MAX, widget=forms.TextInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="lastday", **kwargs)


class EndRoleForm(Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX,
        help_text=_("For example: has left the organisation. Kept in the access log."),
        widget=forms.TextInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="end", **kwargs)


def add_service_errors(form, error) -> None:
    """A service's ValidationError next to the fields it names (the rest at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
