"""Moderation as in wp-admin: approve, hold, spam or trash a comment, logged so it can be undone."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store import outbox
from cmreader.store.answers import refresh_post_counts
from cmreader.store.clock import now_iso
from cmreader.store.models import Moderation
from cmreader.store.statuses import MODERATED


class ModerationRefused(StoreError):
    """A moderation that cannot be done (or undone): one line saying why; nothing was written."""


def moderate(db: Connection, comment_id: int, status: str) -> Moderation:
    """Give a comment from the blog a new status, logged in moderations with the one it had.

    The same status again is no change: nothing is logged, and the Moderation says before ==
    after with id 0. The post's cached counts follow in the same transaction.
    """
    if status not in MODERATED:
        raise ModerationRefused(
            f"{status!r} is not a comment status: approved, pending, spam or trash"
        )
    row = db.execute(
        "SELECT post_id, status, origin, deleted_at FROM comments WHERE id = ?", [comment_id]
    ).fetchone()
    if row is None:
        raise ModerationRefused(f"no comment {comment_id}")
    post_id, before, origin, deleted_at = row
    if origin == "local":
        # The blog has never seen it: there is nothing to moderate there.
        what = "a draft of one of your own replies" if before == "draft" else (
            "one of your own replies written here"
        )
        raise ModerationRefused(
            f"comment {comment_id} is {what}, not a comment from the blog: "
            "edit or delete it instead"
        )
    if deleted_at is not None:
        raise ModerationRefused(f"comment {comment_id} was deleted: there is nothing to moderate")
    if before not in MODERATED:
        raise ModerationRefused(f"comment {comment_id} has the status {before!r}: not moderated")
    if before == status:
        return Moderation(0, comment_id, post_id, before, status)
    db.execute("UPDATE comments SET status = ? WHERE id = ?", [status, comment_id])
    cur = db.execute(
        "INSERT INTO moderations (comment_id, post_id, before, after, at) VALUES (?, ?, ?, ?, ?)",
        [comment_id, post_id, before, status, now_iso()],
    )
    outbox.queue(db, comment_id, "status", status=status)
    refresh_post_counts(db, [post_id])
    return Moderation(int(cur.lastrowid or 0), comment_id, post_id, before, status)


def undo_moderation(db: Connection, moderation_id: int) -> Moderation:
    """Put back the status a moderation replaced, logged as a moderation of its own; refused
    when the comment's status has changed since that moderation set it."""
    row = db.execute(
        "SELECT comment_id, before, after FROM moderations WHERE id = ?", [moderation_id]
    ).fetchone()
    if row is None:
        raise ModerationRefused(f"no moderation {moderation_id} to undo")
    comment_id, before, after = row
    now = db.execute("SELECT status FROM comments WHERE id = ?", [comment_id]).fetchone()
    current = None if now is None else now[0]
    if current != after:
        raise ModerationRefused(
            f"comment {comment_id} changed since moderation {moderation_id} made it {after}: "
            f"it is {current} now, so it was left as it is"
        )
    return moderate(db, comment_id, before)
