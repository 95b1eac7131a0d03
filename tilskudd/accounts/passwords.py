"""Password reset by e-mail: Django's forms on Designsystemet, and the e-mail sent in the background.

The request only enqueues ``send_password_reset`` with the address typed; the worker
looks the address up and sends. So the page answers in the same way and the same time
whether or not the address belongs to anyone.
"""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import translation
from django_tasks import task

from tilskudd.ui.forms import DesignsystemetMixin


class PasswordResetForm(DesignsystemetMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DesignsystemetMixin, auth_forms.SetPasswordForm):
    pass


@task()
def send_password_reset(email: str, domain: str, use_https: bool, language: str) -> None:
    """Send the reset link to every active user with this e-mail address (none if nobody has it)."""
    with translation.override(language):
        form = PasswordResetForm({"email": email})
        if not form.is_valid():
            return
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={
                "service_name": settings.SERVICE_NAME,
                "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
