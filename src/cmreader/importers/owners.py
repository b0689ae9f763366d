"""Who a source names most: a blog's owner by majority, when it names none outright."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def most_named(values: Iterable[T]) -> T | None:
    """The value given most often, the first given among equals; None when there is none."""
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None
