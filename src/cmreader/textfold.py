"""Folding text for matching: lower case, accents dropped, one character for one character."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Characters up to here are folded through one str.translate table (C speed); the rare ones
# above it (CJK, emoji...) one by one. Searching 50 articles folds about 150,000 characters.
_TABLE_END = 0x2000
_BEYOND = re.compile(f"[^\\x00-\\u{_TABLE_END - 1:04x}]")


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0]


@cache
def _table() -> dict[int, str]:
    return {c: _base(chr(c)) for c in range(0x80, _TABLE_END)}


def fold(text: str) -> str:
    """Lower case without accents ("Évolutivité" -> "evolutivite"), same length as text."""
    if text.isascii():
        return text.lower()
    folded = text.lower().translate(_table())
    if _BEYOND.search(folded) is None:
        return folded
    return "".join(_base(ch) if ord(ch) >= _TABLE_END else ch for ch in folded)
