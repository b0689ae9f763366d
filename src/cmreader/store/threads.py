"""Thread order as a nested set: (ord, end_ord, depth) per comment, computed or shifted."""

from __future__ import annotations

from sqlite3 import Connection


def nested_set(
    rows: list[tuple[int, int | None, str | None]],
) -> dict[int, tuple[int, int, int]]:
    """(ord, end_ord, depth) of each comment of a post, from its (id, parent id, published) rows.

    Siblings go oldest first (unknown dates first, then by id, which is source order).
    The walk is iterative: a reply chain 10,000 levels deep must not hit the recursion limit.
    """
    rows = sorted(rows, key=lambda row: (row[2] is not None, row[2] or "", row[0]))
    ids = {row[0] for row in rows}
    children: dict[int | None, list[int]] = {}
    for cid, parent, _ in rows:
        # A parent outside this post (or missing) makes an orphan: keep it at top level.
        children.setdefault(parent if parent in ids else None, []).append(cid)
    placed: dict[int, tuple[int, int, int]] = {}
    order = 0
    start: dict[int, tuple[int, int]] = {}
    # Stack of (id, depth, entering); on leaving we know the subtree's last ord.
    stack: list[tuple[int, int, bool]] = [
        (cid, 0, True) for cid in reversed(children.get(None, []))
    ]
    while stack:
        cid, depth, entering = stack.pop()
        if entering:
            start[cid] = (order, depth)
            order += 1
            stack.append((cid, depth, False))
            for child in reversed(children.get(cid, [])):
                stack.append((child, depth + 1, True))
        else:
            first, d = start[cid]
            placed[cid] = (first, order - 1, d)
    return placed


def loop_cuts(parents: dict[int, int | None]) -> list[int]:
    """The comments whose parent link closes a loop (a replies to b replies to a), which bad
    data can hold and which would hide both: walked in the dict's order, one cut per loop."""
    state: dict[int, int] = {}  # 1 = on the current path, 2 = known to reach the top
    cuts = []
    for begin in parents:
        path = []
        node: int | None = begin
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            cuts.append(node)  # node's parent link closes the loop
        for n in path:
            state[n] = 2
    return cuts


def open_slot(db: Connection, post_id: int, parent_id: int | None) -> tuple[int, int]:
    """Make room for a new last child of parent (or last top-level comment); return (ord, depth)."""
    if parent_id is None:
        row = db.execute(
            "SELECT COALESCE(MAX(end_ord), -1) + 1 FROM comments WHERE post_id = ?", [post_id]
        ).fetchone()
        return int(row[0]), 0
    parent = db.execute(
        "SELECT ord, end_ord, depth FROM comments WHERE id = ? AND post_id = ?",
        [parent_id, post_id],
    ).fetchone()
    if parent is None:
        raise ValueError(f"comment {parent_id} is not in post {post_id}")
    p_ord, p_end, p_depth = parent
    slot = p_end + 1
    db.execute(
        "UPDATE comments SET ord = ord + 1, end_ord = end_ord + 1 WHERE post_id = ? AND ord >= ?",
        [post_id, slot],
    )
    # Every ancestor (the intervals that contain the parent) grows by one.
    db.execute(
        "UPDATE comments SET end_ord = end_ord + 1 WHERE post_id = ? AND ord <= ? AND end_ord >= ?",
        [post_id, p_ord, p_ord],
    )
    return slot, p_depth + 1
