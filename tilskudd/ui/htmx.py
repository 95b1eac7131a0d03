def is_htmx(request) -> bool:
    """A request made by htmx (autosave, live totals) rather than a full page load."""
    return request.headers.get("HX-Request") == "true"
