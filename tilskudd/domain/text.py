"""Text helpers with Norwegian rules."""

# Norwegian alphabetical order: æ, ø, å come after z, in that order. Databases sort by
# code point (å, æ, ø), which puts Åfjord before Ørland.
_NORWEGIAN_LAST = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


def norwegian_sort_key(text: str) -> str:
    return text.casefold().translate(_NORWEGIAN_LAST)
