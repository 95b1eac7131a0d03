"""Template tags for pages that link to the public figures."""

from django import template

from tilskudd.publication.selectors import offices_with_awards

register = template.Library()


@register.simple_tag
def offices_with_statistics() -> set[int]:
    """The ids of the offices with public statistics (a published award), in one query: link only to those."""
    return set(offices_with_awards().values_list("pk", flat=True))
