"""``{% two_step_notice %}``: on approval pages, why the approve button is missing and how to get it."""

from django import template

from tilskudd.accounts.access import second_factor_required
from tilskudd.accounts.twofactor import has_second_factor

register = template.Library()


@register.inclusion_tag("twofactor/_notice.html", takes_context=True)
def two_step_notice(context, required_only=False):
    """Nothing for a strong login; otherwise a notice linking to the code step or to set-up, then back here.

    ``required_only``: only for those who must use two-step login (the start page).
    """
    request = context["request"]
    user = request.user
    if not user.is_authenticated or user.strong_login:
        return {"show": False}
    required = second_factor_required(user)
    if required_only and not required:
        return {"show": False}
    return {
        "show": True,
        "has_device": has_second_factor(user),
        "required": required,
        "next": request.get_full_path(),
    }
