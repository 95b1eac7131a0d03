"""The round's pages are composed of panels: the round's own, and one from each later stage.

``OFFICE`` is the office's round page (applications, assessment, decisions, reports add
theirs); ``PUBLIC`` is the public call page (applications adds "apply" for the visitor's
organisation) and ``CALL`` what stands beside the call text there (the national text). ``ACTIONS`` are the buttons on the office's round page, one group per stage.
"""

from tilskudd.caselog.selectors import entries_for_round
from tilskudd.ui.panels import Panel, Slot

LOG_LENGTH = 50

OFFICE = Slot("round_office")
ACTIONS = Slot("round_actions")
PUBLIC = Slot("round_public")
CALL = Slot("round_call")  # beside the office's call text on the public page (the national text)


def latest_entries(round_id: int) -> list:
    """The round log's latest entries, newest first."""
    return list(entries_for_round(round_id).order_by("-at", "-pk")[:LOG_LENGTH])


@OFFICE.provide(order=90)
def round_log(request, round, state):
    """The round log, closed: its entries are fetched when it is opened (htmx), or on a page of their own."""
    return Panel("rounds/_log_panel.html", {"round": round})
