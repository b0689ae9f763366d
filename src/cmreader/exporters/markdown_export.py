"""The Markdown export: each episode as a readable document with its threads as quotes.

It is a display document (often written straight to a terminal), so every imported field is
cleaned as the reader cleans it: no escape sequence, control or bidi override gets through.
"""

from __future__ import annotations

from cmreader.exporters.tree import nest
from cmreader.sanitize import clean_line, clean_text
from cmreader.store import CommentRow, Store

_MARKS = {
    "pending": " *(pending)*",
    "spam": " *(spam)*",
    "trash": " *(trash)*",
    "draft": " *(draft, not sent)*",
}


def _header(row: CommentRow) -> dict[str, object]:
    who = clean_line(row.author or "") or "Anonymous"
    if row.by_owner:
        who += " (owner)"
    when = f", {clean_line(row.published[:10])}" if row.published else ""
    waiting = " — *waits for an answer*" if row.needs_answer else ""
    head = f"**{who}**{when}{_MARKS.get(row.status, '')}{waiting}"
    return {"head": head, "body": clean_text(row.body)}


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
        out.append(f"# {clean_line(post.title or '') or 'Untitled'}")
        out.append("")
        fields = (post.author or "", (post.published or "")[:10], post.url or "")
        meta = [x for x in (clean_line(f) for f in fields) if x]
        if meta:
            out.append("*" + " · ".join(meta) + "*")
            out.append("")
        out.append(clean_text(post.body))
        out.append("")
        rows = comments[post.id]
        out.append(f"## Comments ({len(rows)})")
        out.append("")
        _render(nest(rows, _header), out)
        out.append("---")
        out.append("")
    return "\n".join(out).rstrip("\n-") + "\n"
