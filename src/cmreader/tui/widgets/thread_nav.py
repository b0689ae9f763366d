"""Where the keys move in a thread: pure functions of its ThreadIndex, cursor and folds."""

from __future__ import annotations

from collections.abc import Sequence

from cmreader.tui.widgets.thread_model import ThreadIndex


def stepped(order: Sequence[int], pos: dict[int, int], cursor: int, delta: int) -> int | None:
    """The visible row delta steps from the cursor (clamped at both ends); None if unplaced."""
    if cursor not in pos or not order:
        return None
    return order[max(0, min(len(order) - 1, pos[cursor] + delta))]


def fold_target(index: ThreadIndex, cursor: int) -> int | None:
    """The row a fold key acts on: the cursor's own thread, else its parent's; None if none."""
    if not len(index):
        return None
    if index.has_children(cursor):
        return cursor
    parent = index.parent[cursor]
    return parent if parent >= 0 else None


def top_threads(index: ThreadIndex) -> set[int]:
    """Ids of every top-level comment with replies: folded all, the questions stand alone."""
    return {r.id for i, r in enumerate(index.rows) if r.depth == 0 and index.has_children(i)}


def thread_root(index: ThreadIndex, i: int) -> int:
    """The top-level comment row i belongs to."""
    while index.parent[i] >= 0:
        i = index.parent[i]
    return i


def parent(index: ThreadIndex, cursor: int) -> int | None:
    found = index.parent[cursor] if len(index) else -1
    return found if found >= 0 else None


def sibling(links: Sequence[int], cursor: int) -> int | None:
    """The next or previous sibling (links is index.next_sib or index.prev_sib)."""
    found = links[cursor] if links else -1
    return found if found >= 0 else None


def waiting(index: ThreadIndex, cursor: int, forward: bool, *, from_edge: bool) -> int | None:
    """The next (or previous) comment that waits for an answer, folded or not; from_edge
    starts at the first (or last) comment instead of the cursor."""
    rows = index.rows
    if forward:
        candidates = range(0 if from_edge else cursor + 1, len(rows))
    else:
        candidates = range(len(rows) - 1 if from_edge else cursor - 1, -1, -1)
    return next((i for i in candidates if rows[i].needs_answer), None)
