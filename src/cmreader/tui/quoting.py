"""Quoting the comment answered as Markdown: whole, or one sentence at a time."""

from __future__ import annotations

import re

from cmreader.sanitize import clean_text

# A sentence ends at . ! ? or … and the space after it (French writes "aidé ? si"), or at a
# line's end: each line of a comment is at least one sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def sentences(text: str) -> list[str]:
    """The comment's sentences, in order, for quoting them one by one."""
    return [s.strip() for s in _SENTENCE_END.split(clean_text(text)) if s.strip()]


def as_quote(text: str) -> str:
    """text as Markdown quote lines (`> `), a blank line as `>`; outer blank lines dropped."""
    lines = clean_text(text).strip("\n").split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)
