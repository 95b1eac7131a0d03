"""The decisions' refusals in words: the web's messages and the API's refusals say the same."""

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from tilskudd.domain.deadlines import format_local


def call_still_open(still_open) -> str:
    """``still_open``: services.CallStillOpen."""
    return ngettext(
        "Decisions can be prepared when the call has closed, %(closes)s. %(counter)s application is still a draft.",
        "Decisions can be prepared when the call has closed, %(closes)s. %(counter)s applications are still drafts.",
        still_open.drafts,
    ) % {"closes": format_local(still_open.closes, get_language()), "counter": still_open.drafts}


def four_eyes() -> str:
    return _("You prepared this decision yourself. Another person at the office must approve it.")


def already_approved() -> str:
    return _("The decision was already approved.")


def replaced() -> str:
    return _("The decision was prepared again while you looked at it. Look at it before you approve it.")
