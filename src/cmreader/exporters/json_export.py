"""The JSON export: the stable "cmreader-export/1" contract documented in the README."""

from __future__ import annotations

import json
import sys
from typing import Any

from cmreader.exporters.tree import nest
from cmreader.store import CommentRow, Store

FORMAT_NAME = "cmreader-export/1"


def _comment(row: CommentRow) -> dict[str, Any]:
    return {
        "id": row.key,
        "author": row.author,
        "published": _second(row.published),
        "body": row.body,
        "status": row.status,
        "origin": row.origin,
        "by_owner": row.by_owner,
        "needs_answer": row.needs_answer,
    }


def _second(stamp: str | None) -> str | None:
    """Local replies are stamped to the microsecond; the contract speaks in whole seconds."""
    if stamp and len(stamp) > 20 and stamp[19] == ".":
        return stamp[:19] + "Z"
    return stamp


def export_data(store: Store, post_id: int | None = None) -> dict[str, Any]:
    """Every post (newest first) with every comment, whatever its status, in thread order."""
    posts, comments = store.export_rows(post_id)
    return {
        "format": FORMAT_NAME,
        "posts": [
            {
                "id": post.key,
                "title": post.title,
                "author": post.author,
                "published": _second(post.published),
                "source": post.source or post.url,
                "body": post.body,
                "comments": nest(comments[post.id], _comment),
            }
            for post in posts
        ],
    }


def export_json(store: Store, post_id: int | None = None) -> str:
    data = export_data(store, post_id)
    depth = max((_depth(p["comments"]) for p in data["posts"]), default=0)
    # json walks nested replies recursively: give it room for very deep reply chains.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 4 * depth + 1000))
    try:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    finally:
        sys.setrecursionlimit(old)


def _depth(nodes: list[dict[str, Any]]) -> int:
    deepest, stack = 0, [(n, 1) for n in nodes]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node["replies"])
    return deepest
