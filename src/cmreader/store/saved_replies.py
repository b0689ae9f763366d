"""Saved replies and per-blog signatures: the answers a community manager writes again."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.clock import now_iso
from cmreader.store.models import ReplyContext, SavedReply

_COLUMNS = "id, name, body, updated_at"


def saved_replies_page(db: Connection, offset: int, limit: int) -> list[SavedReply]:
    """Saved replies by name (case folded), read in the order of saved_replies_name."""
    return [
        SavedReply(*row)
        for row in db.execute(
            f"SELECT {_COLUMNS} FROM saved_replies ORDER BY name COLLATE NOCASE, id "
            "LIMIT ? OFFSET ?",
            [limit, offset],
        )
    ]


def saved_reply_count(db: Connection) -> int:
    return int(db.execute("SELECT COUNT(*) FROM saved_replies").fetchone()[0])


def save_saved_reply(db: Connection, reply_id: int | None, name: str, body: str) -> SavedReply:
    """Create (reply_id None) or change a saved reply; a name and a body are both needed."""
    name = " ".join(name.split())
    if not name:
        raise StoreError("a saved reply needs a name")
    if not body.strip():
        raise StoreError("a saved reply needs a text")
    now = now_iso()
    if reply_id is None:
        cur = db.execute(
            "INSERT INTO saved_replies (name, body, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [name, body, now, now],
        )
        reply_id = int(cur.lastrowid or 0)
    elif db.execute(
        "UPDATE saved_replies SET name = ?, body = ?, updated_at = ? WHERE id = ?",
        [name, body, now, reply_id],
    ).rowcount == 0:
        raise StoreError(f"no saved reply {reply_id}")
    return SavedReply(reply_id, name, body, now)


def delete_saved_reply(db: Connection, reply_id: int) -> None:
    db.execute("DELETE FROM saved_replies WHERE id = ?", [reply_id])


def set_signature(db: Connection, blog_id: int, signature: str | None) -> None:
    """The line added to every reply on the blog; None or blank removes it."""
    text = (signature or "").strip() or None
    if db.execute("UPDATE blogs SET signature = ? WHERE id = ?", [text, blog_id]).rowcount == 0:
        raise StoreError(f"no blog {blog_id}")


def signatures(db: Connection) -> list[tuple[int, str]]:
    """(blog id, signature) of every blog that has one (for the export)."""
    return [
        (int(r[0]), r[1])
        for r in db.execute(
            "SELECT id, signature FROM blogs WHERE signature IS NOT NULL ORDER BY id"
        )
    ]


def reply_context(db: Connection, post_id: int, parent_id: int | None) -> ReplyContext:
    """The author answered, the episode, its blog and the blog's signature."""
    row = db.execute(
        "SELECT p.title, p.url, b.title, b.url, p.blog_id, b.signature FROM posts p "
        "LEFT JOIN blogs b ON b.id = p.blog_id WHERE p.id = ?",
        [post_id],
    ).fetchone()
    if row is None:
        raise StoreError(f"no episode {post_id}")
    title, url, blog_title, blog_url, blog_id, signature = row
    author = None
    if parent_id is not None:
        found = db.execute("SELECT author FROM comments WHERE id = ?", [parent_id]).fetchone()
        author = None if found is None else found[0]
    return ReplyContext(author, title or "", blog_title or blog_url, url, blog_id, signature)
