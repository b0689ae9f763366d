"""Search excerpts built in Python: FTS5's snippet() is quadratic in the text's length."""

from __future__ import annotations

import re

from cmreader.textfold import fold

# Only the head of a huge text is searched for the word to centre on: a 10 MB comment must
# not make a search slow; past this the excerpt shows the text's start.
_SCAN = 200_000
_WIDTH = 120


def excerpt(text: str, words: list[str]) -> str:
    """About _WIDTH characters of text around the first of words it contains, on one line."""
    head = text[:_SCAN]
    folded = fold(head)
    starts = [m.start() for w in words if (m := re.search(r"\b" + re.escape(fold(w)), folded))]
    at = min(starts) if starts else 0
    begin = max(0, at - _WIDTH // 3)
    end = begin + _WIDTH
    piece = " ".join(head[begin:end].split())
    return ("…" if begin else "") + piece + ("…" if end < len(text) else "")
