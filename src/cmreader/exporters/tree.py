"""Turning a post's flat rows (thread order, with depth) back into nested replies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cmreader.store.models import CommentRow


def nest(
    rows: list[CommentRow], make: Callable[[CommentRow], dict[str, Any]]
) -> list[dict[str, Any]]:
    """Nest rows by parent; each node is make(row) plus a "replies" list."""
    top: list[dict[str, Any]] = []
    nodes: dict[int, dict[str, Any]] = {}
    for row in rows:
        node = make(row)
        node["replies"] = []
        nodes[row.id] = node
        parent = nodes.get(row.parent_id) if row.parent_id is not None else None
        (parent["replies"] if parent is not None else top).append(node)
    return top
