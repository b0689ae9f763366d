"""Tree relations and a lazily measured line layout over a thread's flat rows (no UI here)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from cmreader.sanitize import clean_text
from cmreader.store.models import CommentRow
from cmreader.textfold import fold


class ThreadIndex:
    """Parent, siblings and subtree end of every row, from thread order and depth, in O(n)."""

    def __init__(self, rows: Sequence[CommentRow]) -> None:
        n = len(rows)
        self.rows = rows
        self.parent = [-1] * n
        self.next_sib = [-1] * n
        self.prev_sib = [-1] * n
        self.end = [n] * n  # first row index after the subtree
        self.by_id = {row.id: i for i, row in enumerate(rows)}
        # Each row's author and text, cleaned and accents folded, made on the first find only:
        # a find then costs one substring test per row and key, not a fold of every comment.
        self._haystacks: list[str] | None = None
        stack: list[int] = []
        last_child: dict[int, int] = {}
        for i, row in enumerate(rows):
            # The parent is the nearest open row with a smaller depth: a reply to a hidden
            # (spam) comment still lands under the closest visible ancestor.
            while stack and rows[stack[-1]].depth >= row.depth:
                self.end[stack.pop()] = i
            parent = stack[-1] if stack else -1
            self.parent[i] = parent
            previous = last_child.get(parent, -1)
            if previous >= 0:
                self.prev_sib[i] = previous
                self.next_sib[previous] = i
            last_child[parent] = i
            stack.append(i)

    def __len__(self) -> int:
        return len(self.rows)

    def matches(self, text: str) -> list[int]:
        """Indexes of the rows whose author or text holds every word of text, accents folded."""
        words = fold(text).split()
        if not words:
            return []
        if self._haystacks is None:
            self._haystacks = [
                fold(clean_text(f"{row.author or ''}\n{row.body}")) for row in self.rows
            ]
        return [i for i, hay in enumerate(self._haystacks) if all(w in hay for w in words)]

    def has_children(self, i: int) -> bool:
        return self.end[i] > i + 1

    def hidden_count(self, i: int) -> int:
        """How many rows a fold on row i hides."""
        return self.end[i] - i - 1

    def visible(self, folded: set[int]) -> list[int]:
        """Row indices shown when the rows whose ids are in folded hide their subtrees."""
        rows, end, order = self.rows, self.end, []
        i, n = 0, len(rows)
        while i < n:
            order.append(i)
            i = end[i] if rows[i].id in folded else i + 1
        return order

    def ancestors(self, i: int) -> list[int]:
        out = []
        i = self.parent[i]
        while i >= 0:
            out.append(i)
            i = self.parent[i]
        return out


class Layout:
    """Where each shown comment starts, measured only as far as the view has looked.

    A 10,000-comment thread opens as fast as a short one: only the comments near the view
    are wrapped; the rest count with a cheap estimate until something scrolls to them.
    """

    def __init__(
        self, order: list[int], height_of: Callable[[int], int], estimate_of: Callable[[int], int]
    ) -> None:
        self.order = order
        self._height_of = height_of
        self._estimate_of = estimate_of
        self.starts: list[int] = []
        self.heights: list[int] = []
        self.measured_end = 0
        self.rest_estimate = sum(estimate_of(i) for i in order)

    @property
    def total(self) -> int:
        return self.measured_end + self.rest_estimate

    @property
    def complete(self) -> bool:
        return len(self.starts) == len(self.order)

    def _measure_next(self) -> None:
        i = self.order[len(self.starts)]
        height = self._height_of(i)
        self.starts.append(self.measured_end)
        self.heights.append(height)
        self.measured_end += height
        self.rest_estimate -= self._estimate_of(i)

    def measure_to_line(self, y: int) -> None:
        while self.measured_end <= y and not self.complete:
            self._measure_next()

    def measure_to_index(self, k: int) -> None:
        while len(self.starts) <= k and not self.complete:
            self._measure_next()

    def locate(self, y: int) -> tuple[int, int] | None:
        """(position in order, line within that comment) of virtual line y."""
        self.measure_to_line(y)
        if y < 0 or y >= self.measured_end:
            return None
        k = bisect_right(self.starts, y) - 1
        return k, y - self.starts[k]

    def span(self, k: int) -> tuple[int, int]:
        """(first line, height) of the comment at position k."""
        self.measure_to_index(k)
        return self.starts[k], self.heights[k]


def next_match(matches: Sequence[int], here: int, step: int) -> int:
    """The match to move to from row here: the next (step 1), the previous (-1), or the first
    at or after here (0); wrapping around. matches is sorted and not empty."""
    if step > 0:
        after = [i for i in matches if i > here]
        return after[0] if after else matches[0]
    if step < 0:
        before = [i for i in matches if i < here]
        return before[-1] if before else matches[-1]
    at = [i for i in matches if i >= here]
    return at[0] if at else matches[0]
