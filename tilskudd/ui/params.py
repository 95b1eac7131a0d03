"""Whole numbers read from query strings and form posts, the one way.

``str.isdigit`` accepts digits Python's ``int`` may refuse or read differently ("²", "١٢") and numbers
too long for the database's integers (SQLite raises OverflowError): both were 500s.
"""

MAX_DIGITS = 18  # below 2**63: fits every integer column


def small_number(value) -> int | None:
    """``value`` as a non-negative int when it is plain ASCII digits that fit the database, else None."""
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return None
