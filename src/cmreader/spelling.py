"""Spelling in English and French for the composer, when pyspellchecker (the extra) is there."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

# A word: letters, digits or underscores, with the apostrophes of "aujourd'hui" or "don't".
# Digits and underscores are in it so that "boots38" or "mon_site" is one token (then left
# alone), never a word "boots" found inside it.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
# What is not prose: an address, inline code, a quoted line (the comment answered, not yours).
_NOT_PROSE = re.compile(r"\S+://\S*|www\.\S+|\S+@\S+\.\S+|`[^`]*`?|^\s*>.*$")
# French elisions: "l'épisode" is "épisode" after "l'", "qu'il" is "il".
_ELIDED = frozenset({"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu",
                     "puisqu", "quoiqu"})
# Past this many words the cache starts again: a long session's vocabulary stays small.
_CACHE_WORDS = 50_000


class Speller:
    """Says which words of a line are unknown; every word is looked up once, then cached."""

    def __init__(self, known: Callable[[str], bool]) -> None:
        self._known = known
        self._cache: dict[str, bool] = {}

    def is_known(self, word: str) -> bool:
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) >= _CACHE_WORDS:
                self._cache.clear()
            hit = self._cache[word] = self._look_up(word)
        return hit

    def _look_up(self, word: str) -> bool:
        plain = word.replace("’", "'")
        if self._known(plain):
            return True
        head, _, rest = plain.partition("'")
        if rest and head.lower() in _ELIDED:
            return self.is_known(rest)
        if plain.lower().endswith("'s"):  # "Becky's", "the blog's"
            return self.is_known(plain[:-2])
        return False

    def unknown(self, line: str, *, typing_at: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of each unknown word in line. Left alone: words with a capital (names:
        Marie, WordPress), a digit or an underscore, single letters, addresses, inline code,
        quoted lines, and the word that ends at typing_at (the one being typed)."""
        skipped = [m.span() for m in _NOT_PROSE.finditer(line)]
        spans = []
        for match in _TOKEN.finditer(line):
            word = match.group()
            start, end = match.span()
            if (len(word) < 2 or not word[0].islower() or not word.replace("'", "").replace(
                    "’", "").isalpha() or end == typing_at
                    or any(a <= start < b for a, b in skipped)):
                continue
            if not self.is_known(word):
                spans.append((start, end))
        return spans


_lock = threading.Lock()
_loaded: list[Speller | None] = []  # empty: not tried yet


def load_speller() -> Speller | None:
    """English and French together, loaded once per process (about half a second and 55 MB:
    call it from a worker thread); None when pyspellchecker is not installed or fails."""
    with _lock:
        if not _loaded:
            _loaded.append(_build())
        return _loaded[0]


def loaded_speller() -> tuple[bool, Speller | None]:
    """(tried, speller) without loading anything: whether load_speller ran, and its answer."""
    with _lock:
        return (True, _loaded[0]) if _loaded else (False, None)


def forget_speller() -> None:
    """Load again at the next call (tests install or remove the library in between)."""
    with _lock:
        _loaded.clear()


def _build() -> Speller | None:
    try:
        from spellchecker import SpellChecker
    except ImportError:
        return None
    try:
        checker = SpellChecker(language=["en", "fr"], distance=1)
    except Exception:  # a damaged install: spelling is a help, never a reason to fail
        return None
    return Speller(checker.__contains__)
