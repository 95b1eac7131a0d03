from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

ROUND_CREATED = kind("round_created", _("round created"))
ROUND_EDITED = kind("round_edited", _("round changed"))
ROUND_PUBLISHED = kind("round_published", _("round published"))
EARMARK_ADDED = kind("earmark_added", _("earmarked pool added"))
EARMARK_REMOVED = kind("earmark_removed", _("earmarked pool removed"))
