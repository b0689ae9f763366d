"""Stable keys: a digest of what a source says, and repeated keys told apart in file order."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlsplit


def digest(*parts: str) -> str:
    """16 hex digits standing for the parts; the same parts give the same digest everywhere."""
    # "\x1f" (unit separator) keeps ("ab", "c") and ("a", "bc") apart; one part is hashed alone.
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


class UniqueKeys:
    """Hands out each key once: a repeat gets the first free suffix, so keys stay stable.

    Duplicate ids happen in hand-edited exports. `suffixed(key, n)` names the n-th copy
    (n from 2). Each key remembers where its suffixes stopped: linear in the keys handed out.
    """

    def __init__(self, suffixed: Callable[[str, int], str]) -> None:
        self._suffixed = suffixed
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}

    def __call__(self, key: str) -> str:
        candidate = key
        if key in self._taken:
            n = self._next.get(key, 2)
            candidate = self._suffixed(key, n)
            while candidate in self._taken:
                n += 1
                candidate = self._suffixed(key, n)
            self._next[key] = n + 1
        self._taken.add(candidate)
        return candidate


def origin(url: str) -> str:
    """ "scheme://host" of an absolute address, or "" (what names a blog by its site)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
