"""The archive's kinds of case log entry."""

from django.utils.translation import gettext_lazy as _

from tilskudd.caselog.kinds import kind

EXTRACTION_STARTED = kind("noark_extraction_started", _("Noark 5 extraction started"))
RANGE_EXTRACTION_STARTED = kind(
    "noark_range_extraction_started",
    _("Noark 5 extraction of the office's rounds over a range of years started"),
)
