"""Text helpers with Norwegian rules."""

# Norwegian alphabetical order: æ, ø, å come after z, in that order. Databases sort by
# code point (å, æ, ø), which puts Åfjord before Ørland.
_NORWEGIAN_LAST = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


def norwegian_sort_key(text: str) -> str:
    return text.casefold().translate(_NORWEGIAN_LAST)


def person_name(first_name: str, last_name: str, username: str) -> str:
    """How a person is named on pages, from a user's columns (for lists read as values): ``str(user)``."""
    return f"{first_name} {last_name}".strip() or username
