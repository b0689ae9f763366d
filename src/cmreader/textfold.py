"""Folding text for matching: lower case, accents dropped, one character for one character."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents ("Évolutivité" -> "evolutivite"), same length as text."""
    if text.isascii():
        return text.lower()
    return "".join(
        unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch for ch in text.lower()
    )
