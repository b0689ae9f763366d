"""Moderation done here: a comment's status changed, kept with the status it replaced."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.answers import refresh_post_counts
from cmreader.store.clock import now_iso
from cmreader.store.models import Moderation
from cmreader.store.statuses import MODERATED


def moderate(db: Connection, comment_id: int, status: str) -> Moderation:
    """Give a comment from the blog one of wp-admin's statuses; record what it replaced.

    The same status again changes and records nothing (before == after, id 0)."""
    if status not in MODERATED:
        raise StoreError(f"not a comment status: {status!r} (one of {', '.join(MODERATED)})")
    row = db.execute(
        "SELECT post_id, status, origin, deleted_at FROM comments WHERE id = ?", [comment_id]
    ).fetchone()
    if row is None:
        raise StoreError(f"no comment {comment_id}")
    post_id, before, origin, deleted_at = row
    if origin == "local" or before not in MODERATED or deleted_at is not None:
        # Replies written here are published as they are: they are edited or deleted instead.
        raise StoreError("only comments from the blog are moderated; your own replies are "
                         "edited or deleted")
    if before == status:
        return Moderation(0, comment_id, post_id, before, status)
    return _change(db, comment_id, post_id, before, status)


def undo(db: Connection, moderation_id: int) -> Moderation:
    """Put back the status a moderation replaced, if the comment still has the one it gave."""
    row = db.execute(
        "SELECT m.comment_id, m.post_id, m.before, m.after, c.status FROM moderations m "
        "JOIN comments c ON c.id = m.comment_id WHERE m.id = ?",
        [moderation_id],
    ).fetchone()
    if row is None:
        raise StoreError(f"nothing to undo: no moderation {moderation_id}")
    comment_id, post_id, before, after, now_status = row
    if now_status != after:
        raise StoreError(f"not undone: the comment is {now_status} now, no longer {after}")
    return _change(db, comment_id, post_id, after, before)


def _change(db: Connection, comment_id: int, post_id: int, before: str, after: str) -> Moderation:
    db.execute("UPDATE comments SET status = ? WHERE id = ?", [after, comment_id])
    cur = db.execute(
        "INSERT INTO moderations (comment_id, post_id, before, after, at) VALUES (?, ?, ?, ?, ?)",
        [comment_id, post_id, before, after, now_iso()],
    )
    refresh_post_counts(db, [post_id])
    return Moderation(int(cur.lastrowid or 0), comment_id, post_id, before, after)
