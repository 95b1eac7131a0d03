"""A page's body rendered once and kept in Django's cache, for bodies that are the same for everyone.

The key names everything the body is made of (the caller's ``key``, plus the template and the
language), so a change of any of it is a new body rather than a stale one. For bodies that
read no person, no session and no form token: the layout around them (header, login, menu)
is rendered per request as usual.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

SECONDS = 600


def cached_body(request, template: str, context, *key, seconds: int = SECONDS) -> str:
    """``template`` rendered with ``context()``, or the body kept for the same key.

    ``context`` is called only when the cache has no body for the key. A context of ``None``
    (nothing to show) is kept too, as "".
    """
    parts = (template, translation.get_language(), *key)
    name = "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    body = cache.get(name)
    if body is None:
        values = context()
        body = "" if values is None else render_to_string(template, values, request=request)
        cache.set(name, body, seconds)
    return mark_safe(body)  # noqa: S308 (our own template's output)
