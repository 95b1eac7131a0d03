"""The round's pages are composed of panels: the round's own, and one from each later stage.

``OFFICE`` is the office's round page (applications, assessment, decisions, reports add
theirs); ``PUBLIC`` is the public call page (applications adds "apply" for the visitor's
organisation) and ``CALL`` what stands beside the call text there (the national text). ``ACTIONS`` are the buttons on the office's round page, one group per stage.
"""

from tilskudd.caselog.selectors import entries_for_round
from tilskudd.ui.panels import Panel, Slot

OFFICE = Slot("round_office")
ACTIONS = Slot("round_actions")
PUBLIC = Slot("round_public")
CALL = Slot("round_call")  # beside the office's call text on the public page (the national text)


@OFFICE.provide(order=90)
def round_log(request, round, state):
    return Panel(
        "rounds/_log_panel.html", {"entries": entries_for_round(round.pk).order_by("-at", "-pk")[:50]}
    )
