"""The owner's own writing: drafts, replies, edits, deletes, answer marks and visits."""

from __future__ import annotations

import uuid
from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store import outbox
from cmreader.store.answers import refresh_post_counts
from cmreader.store.clock import now_iso
from cmreader.store.owners import reply_author
from cmreader.store.threads import open_slot


def _draft_id(db: Connection, post_id: int, parent_id: int | None) -> int | None:
    row = db.execute(
        "SELECT id FROM comments WHERE post_id = ? AND parent_id IS ? AND status = 'draft' "
        "AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
        [post_id, parent_id],
    ).fetchone()
    return None if row is None else int(row[0])


def save_draft(db: Connection, post_id: int, parent_id: int | None, body: str) -> int:
    """Upsert the one draft reply to parent: a comment row with status 'draft', in place."""
    now = now_iso()
    draft = _draft_id(db, post_id, parent_id)
    if draft is not None:
        db.execute("UPDATE comments SET body = ?, updated_at = ? WHERE id = ?", [body, now, draft])
        return draft
    ord_, depth = open_slot(db, post_id, parent_id)
    cur = db.execute(
        "INSERT INTO comments (key, post_id, parent_id, ord, end_ord, depth, author, published, "
        "body, status, origin, by_owner, added_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', 'local', 1, ?, ?)",
        [
            f"local:{uuid.uuid4()}",
            post_id,
            parent_id,
            ord_,
            ord_,
            depth,
            reply_author(db, post_id),
            now,
            body,
            now,
            now,
        ],
    )
    return int(cur.lastrowid or 0)


def discard_draft(db: Connection, post_id: int, parent_id: int | None) -> None:
    draft = _draft_id(db, post_id, parent_id)
    if draft is not None:
        db.execute("DELETE FROM comments WHERE id = ?", [draft])


def send_reply(db: Connection, post_id: int, parent_id: int | None, body: str) -> int:
    """Publish the reply: the draft becomes it (so it is stored once), or a new row is made."""
    if not body.strip():
        raise StoreError("an empty reply is not sent")
    draft = save_draft(db, post_id, parent_id, body)
    now = now_iso()
    # Signed as of now: the draft may be older than the owner the config names for its blog.
    db.execute(
        "UPDATE comments SET status = 'approved', author = ?, published = ?, added_at = ?, "
        "updated_at = ? WHERE id = ?",
        [reply_author(db, post_id), now, now, now, draft],
    )
    if parent_id is not None:
        # Answering clears a hand-made "still waiting" mark: the reply is the answer.
        db.execute(
            "UPDATE comments SET answer_mark = NULL WHERE id = ? AND answer_mark = 'open'",
            [parent_id],
        )
    # For a connected blog the reply is queued for the site in this same transaction.
    outbox.queue(db, draft, "reply", body=body)
    refresh_post_counts(db, [post_id])
    return draft


def _own_reply(db: Connection, comment_id: int) -> int:
    row = db.execute(
        "SELECT post_id, origin, status FROM comments WHERE id = ?", [comment_id]
    ).fetchone()
    if row is None or row[1] != "local":
        raise StoreError("only your own replies written here can be changed")
    return int(row[0])


def save_edit_draft(db: Connection, comment_id: int, body: str | None) -> None:
    _own_reply(db, comment_id)
    db.execute("UPDATE comments SET edit_draft = ? WHERE id = ?", [body, comment_id])


def edit_reply(db: Connection, comment_id: int, body: str) -> None:
    if not body.strip():
        raise StoreError("an empty reply is not saved; delete it instead")
    _own_reply(db, comment_id)
    db.execute(
        "UPDATE comments SET body = ?, edit_draft = NULL, updated_at = ? WHERE id = ?",
        [body, now_iso(), comment_id],
    )
    outbox.queue(db, comment_id, "edit", body=body)


def delete_reply(db: Connection, comment_id: int) -> None:
    post_id = _own_reply(db, comment_id)
    has_replies = db.execute(
        "SELECT 1 FROM comments WHERE parent_id = ? AND deleted_at IS NULL AND status != 'draft'",
        [comment_id],
    ).fetchone()
    if has_replies:
        raise StoreError("this reply has replies under it; it is kept")
    db.execute("UPDATE comments SET deleted_at = ? WHERE id = ?", [now_iso(), comment_id])
    outbox.queue(db, comment_id, "trash")
    refresh_post_counts(db, [post_id])


def restore_reply(db: Connection, comment_id: int) -> None:
    post_id = _own_reply(db, comment_id)
    db.execute("UPDATE comments SET deleted_at = NULL WHERE id = ?", [comment_id])
    outbox.queue(db, comment_id, "untrash")
    refresh_post_counts(db, [post_id])


def mark_answered(db: Connection, comment_id: int, answered: bool | None) -> None:
    row = db.execute("SELECT post_id FROM comments WHERE id = ?", [comment_id]).fetchone()
    if row is None:
        raise StoreError(f"no comment {comment_id}")
    mark = None if answered is None else ("answered" if answered else "open")
    db.execute("UPDATE comments SET answer_mark = ? WHERE id = ?", [mark, comment_id])
    refresh_post_counts(db, [int(row[0])])


def mark_visited(db: Connection, post_id: int) -> str | None:
    row = db.execute("SELECT visited_at FROM posts WHERE id = ?", [post_id]).fetchone()
    db.execute("UPDATE posts SET visited_at = ? WHERE id = ?", [now_iso(), post_id])
    return None if row is None else row[0]
