"""A rough name for the browser and system in a User-Agent header: enough for a person to tell
their phone from their office PC on the list of their logins. No Django, no dependency.

User-Agent strings name several browsers at once (Chrome says "Safari", Edge says "Chrome"),
so the more specific names are looked for first.
"""

_BROWSERS = (
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Vivaldi/", "Vivaldi"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),  # Safari says "Version/17.1 … Safari/605"; others that say Safari matched above
    ("Trident/", "Internet Explorer"),
    ("MSIE ", "Internet Explorer"),
)

_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def _first(agent: str, names) -> str:
    return next((name for token, name in names if token in agent), "")


def parse(user_agent: str | None) -> tuple[str, str]:
    """``(browser, system)`` such as ``("Chrome", "Android")``; an empty string for what is not recognised."""
    agent = user_agent or ""
    return _first(agent, _BROWSERS), _first(agent, _SYSTEMS)
