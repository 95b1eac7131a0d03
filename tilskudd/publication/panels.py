"""The national scheme text beside the office's call on every round's public page."""

from tilskudd.publication.services import scheme_text
from tilskudd.rounds import panels as round_pages
from tilskudd.ui.panels import Panel


@round_pages.CALL.provide(order=10)
def national_text(request, round, state):
    text = scheme_text()
    return Panel("publication/_scheme_text.html", {"text": text}) if text else None
