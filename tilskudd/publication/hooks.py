"""Publication on the decisions' approval hook: an approved decision's public lines enter the public record."""

from tilskudd.decisions.hooks import on_decision_approved
from tilskudd.publication.summary import refresh_decision


@on_decision_approved
def publish_approved_decision(decision):
    refresh_decision(decision)
