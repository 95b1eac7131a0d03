from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

SCHEME_TEXT_PUBLISHED = kind("scheme_text_published", _("national scheme text published"))
REFUSALS_PUBLISHED = kind("refusals_published", _("refusals published"))
REFUSALS_WITHDRAWN = kind("refusals_withdrawn", _("refusals no longer published"))
