"""Search excerpts built in Python: FTS5's snippet() is quadratic in the text's length."""

from __future__ import annotations

import re

from cmreader.textfold import fold

# Only the head of a huge text is searched for the word to centre on: a 10 MB comment must
# not make a search slow; past this the excerpt shows the text's start.
_SCAN = 200_000
_WIDTH = 120


# The text is folded a piece at a time, from its start, until a word is found: the first
# match is usually near the start, and folding a whole 3 KB article for each of 50 hits was
# most of a search's time.
_PIECE = 2_000


def _first_match(head: str, words: list[str]) -> int:
    patterns = [re.compile(r"\b" + re.escape(fold(w))) for w in words]
    overlap = max((len(w) for w in words), default=0)
    start = 0
    while start < len(head):
        # A little before the piece too, so a word cut at its edge is still found whole.
        base = max(0, start - overlap)
        folded = fold(head[base : start + _PIECE])
        found = [m.start() + base for p in patterns if (m := p.search(folded))]
        if found:
            return min(found)
        start += _PIECE
    return 0


def excerpt(text: str, words: list[str]) -> str:
    """About _WIDTH characters of text around the first of words it contains, on one line."""
    head = text[:_SCAN]
    at = _first_match(head, words)
    begin = max(0, at - _WIDTH // 3)
    end = begin + _WIDTH
    piece = " ".join(head[begin:end].split())
    return ("…" if begin else "") + piece + ("…" if end < len(text) else "")
