"""The login form with Designsystemet's look (Django's own form, our widgets), and the people pages' forms."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from tilskudd.accounts.labels import role_help, role_label
from tilskudd.ui.forms import DesignsystemetMixin, Form, NorwegianDateField


class LoginForm(DesignsystemetMixin, auth_forms.AuthenticationForm):
    pass


# --- The people pages: invite, change a role, set its last day, end it --------------------------


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role, f"{capfirst(role_label(role))} – {role_help(role)}") for role in roles]


class InviteForm(Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy(
            "The invitation link is sent here. It works once, for whoever logs in with it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), widget=forms.RadioSelect)
    valid_until = NorwegianDateField(
        label=gettext_lazy("Last day"),
        required=False,
        help_text=gettext_lazy("Leave empty for a role that lasts until it is ended."),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]


REASON_MAX = 500


class ChangeRoleForm(Form):
    role = forms.ChoiceField(label=gettext_lazy("New role"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Why"), required=False, max_length=REASON_MAX, widget=forms.TextInput()
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, prefix="change", **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class LastDayForm(Form):
    valid_until = NorwegianDateField(
        label=gettext_lazy("Last day"),
        required=False,
        help_text=gettext_lazy("Empty: the role lasts until it is ended."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"), required=False, max_length=REASON_MAX, widget=forms.TextInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="lastday", **kwargs)


class EndRoleForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=REASON_MAX,
        help_text=gettext_lazy("For example: has left the organisation. Kept in the access log."),
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
