"""Publication on the decisions' approval hook: an approved decision's public lines enter the public record,
and the background worker writes the open data files of the record's new version (``tasks.py``)."""

from tilskudd.decisions.hooks import on_decision_approved
from tilskudd.publication.summary import refresh_decision
from tilskudd.publication.tasks import schedule_refresh


@on_decision_approved
def publish_approved_decision(decision):
    refresh_decision(decision)
    schedule_refresh(decision.application.round_id)
