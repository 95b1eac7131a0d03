"""Pages composed of panels that each stage of the grant's life supplies.

A page owned by one stage (the case page, the office's round page) names a slot;
stages further along register a provider for that slot in their ``panels.py``
(imported by their AppConfig.ready). The page never imports the later stages,
and no view imports another app's view.

    CASE = Slot("case")

    @CASE.provide(order=30)
    def decision_panel(request, application, state):
        return Panel("decisions/_case_panel.html", {...})  # or None: nothing to show
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


Provider = Callable[..., Panel | None]


class Slot:
    def __init__(self, name: str):
        self.name = name
        self._providers: list[tuple[int, str, Provider]] = []

    def provide(self, *, order: int):
        def register(provider: Provider) -> Provider:
            key = f"{provider.__module__}.{provider.__qualname__}"
            if all(existing != key for _o, existing, _p in self._providers):
                self._providers.append((order, key, provider))
                self._providers.sort(key=lambda item: (item[0], item[1]))
            return provider

        return register

    def panels(self, request, subject, state: dict | None = None) -> list[Panel]:
        """Each provider's panel, in order. ``state`` carries a bound form back to its panel after a POST."""
        state = state or {}
        found = (provider(request, subject, state) for _o, _k, provider in self._providers)
        return [panel for panel in found if panel is not None]

    def render(self, request, subject, state: dict | None = None) -> list[SafeString]:
        return [
            render_to_string(panel.template, panel.context, request=request)
            for panel in self.panels(request, subject, state)
        ]


@dataclass(frozen=True)
class Link:
    """A button-styled link a stage adds to another stage's page (``Panel("", {"links": [...]})``)."""

    label: str
    href: str
    variant: str = "secondary"


def links(slot: Slot, request, subject) -> list[Link]:
    """Every link the providers of ``slot`` offer, in their order: for a row of actions."""
    return [link for panel in slot.panels(request, subject) for link in panel.context.get("links", ())]
