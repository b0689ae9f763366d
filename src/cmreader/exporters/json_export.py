"""The JSON export: the stable "cmreader-export/2" contract documented in the README."""

from __future__ import annotations

import json
import re
from typing import Any

from cmreader.exporters.tree import nest
from cmreader.store import CommentRow, Store

FORMAT_NAME = "cmreader-export/2"

# Characters a terminal acts on: C0 controls (json escapes those itself), DEL, C1 controls,
# and the bidi overrides, isolates and marks that reorder what is shown. Written as \uXXXX
# they are inert when the file is printed, and json.loads gives back the very same text.
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
        "type": row.type,
    }


def _second(stamp: str | None) -> str | None:
    """Local replies are stamped to the microsecond; the contract speaks in whole seconds."""
    if stamp and len(stamp) > 20 and stamp[19] == ".":
        return stamp[:19] + "Z"
    return stamp


def export_data(store: Store, post_id: int | None = None) -> dict[str, Any]:
    """Every post (newest first) with every comment, whatever its status, in thread order."""
    posts, comments = store.export_rows(post_id)
    blogs = {blog.id: {"title": blog.title, "url": blog.url} for blog in store.list_blogs()}
    return {
        "format": FORMAT_NAME,
        # Kept with the export: the answers reused, and the line each blog's replies end with.
        "saved_replies": [
            {"name": reply.name, "body": reply.body}
            for reply in store.saved_replies(limit=-1)
        ],
        "signatures": [
            {"blog": blogs.get(blog_id), "signature": signature}
            for blog_id, signature in store.signatures()
        ],
        "posts": [
            {
                "id": post.key,
                "title": post.title,
                "author": post.author,
                "published": _second(post.published),
                "source": post.source or post.url,
                "body": post.body,
                "status": post.status,
                "blog": blogs.get(post.blog_id) if post.blog_id is not None else None,
                "comments": nest(comments[post.id], _comment),
            }
            for post in posts
        ],
    }


def export_json(store: Store, post_id: int | None = None) -> str:
    return dumps_pretty(export_data(store, post_id)) + "\n"


def dumps_pretty(value: Any, indent: int = 2) -> str:
    """json.dumps(value, indent=indent, ensure_ascii=False), without recursion.

    With indent, json falls back to its pure-Python encoder, which is recursive and quadratic
    in depth: a reply chain 10,000 levels deep would take minutes or overflow the stack. And
    indentation itself grows with depth, so past MAX_INDENT_LEVEL it stops growing: the text
    stays linear in size and still the same JSON.
    """
    out: list[str] = []
    stack: list[tuple[bool, Any, int]] = [(False, value, 0)]  # (is_text, item, level)
    while stack:
        is_text, item, level = stack.pop()
        if is_text:
            out.append(item)
        elif isinstance(item, dict) and item:
            pad = _pad(indent, level + 1)
            stack.append((True, _pad(indent, level) + "}", level))
            entries = list(item.items())
            for n in range(len(entries) - 1, -1, -1):
                key, child = entries[n]
                stack.append((False, child, level + 1))
                lead = ("," if n else "") + pad + _dumps(str(key)) + ": "
                stack.append((True, lead, level))
            stack.append((True, "{", level))
        elif isinstance(item, list) and item:
            pad = _pad(indent, level + 1)
            stack.append((True, _pad(indent, level) + "]", level))
            for n in range(len(item) - 1, -1, -1):
                stack.append((False, item[n], level + 1))
                stack.append((True, ("," if n else "") + pad, level))
            stack.append((True, "[", level))
        else:
            out.append(_dumps(item))
    return "".join(out)


def _dumps(value: Any) -> str:
    """One scalar as JSON: text kept whole, what a terminal would act on escaped as \\uXXXX."""
    text = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and _UNSAFE.search(text):
        text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


MAX_INDENT_LEVEL = 40


def _pad(indent: int, level: int) -> str:
    return "\n" + " " * (indent * min(level, MAX_INDENT_LEVEL))
