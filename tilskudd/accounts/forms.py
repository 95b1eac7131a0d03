"""The login form with Designsystemet's look (Django's own form, our widgets)."""

from django.contrib.auth import forms as auth_forms

from tilskudd.ui.forms import DesignsystemetMixin


class LoginForm(DesignsystemetMixin, auth_forms.AuthenticationForm):
    pass
