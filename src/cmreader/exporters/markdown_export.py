"""The Markdown export: each episode as a readable document with its threads as quotes."""

from __future__ import annotations

from cmreader.exporters.tree import nest
from cmreader.store import CommentRow, Store

_MARKS = {
    "pending": " *(pending)*",
    "spam": " *(spam)*",
    "trash": " *(trash)*",
    "draft": " *(draft, not sent)*",
}


def _header(row: CommentRow) -> dict[str, object]:
    who = row.author or "Anonymous"
    if row.by_owner:
        who += " (owner)"
    when = f", {row.published[:10]}" if row.published else ""
    waiting = " — *waits for an answer*" if row.needs_answer else ""
    return {"head": f"**{who}**{when}{_MARKS.get(row.status, '')}{waiting}", "body": row.body}


def _render(nodes: list[dict], out: list[str]) -> None:
    # Iterative: a reply chain thousands of levels deep must not exhaust the stack.
    stack = [(node, 0) for node in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        prefix = "> " * (min(depth, 20) + 1)
        out.append(prefix + str(node["head"]))
        out.append(prefix.rstrip())
        for line in str(node["body"]).split("\n"):
            out.append((prefix + line).rstrip())
        out.append("")
        stack.extend((child, depth + 1) for child in reversed(node["replies"]))


def export_markdown(store: Store, post_id: int | None = None) -> str:
    posts, comments = store.export_rows(post_id)
    out: list[str] = []
    for post in posts:
        out.append(f"# {post.title or 'Untitled'}")
        out.append("")
        meta = [x for x in (post.author, (post.published or "")[:10], post.url) if x]
        if meta:
            out.append("*" + " · ".join(meta) + "*")
            out.append("")
        out.append(post.body)
        out.append("")
        rows = comments[post.id]
        out.append(f"## Comments ({len(rows)})")
        out.append("")
        _render(nest(rows, _header), out)
        out.append("---")
        out.append("")
    return "\n".join(out).rstrip("\n-") + "\n"
