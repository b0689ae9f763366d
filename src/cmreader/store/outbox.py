"""The outbox: each change to publish on a connected site, queued with the change itself."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.store.clock import now_iso
from cmreader.store.models import OutboxItem, SyncSummary

# Open items: still to be sent, or sent with an outcome not known yet, or refused for now.
OPEN = ("queued", "sending", "failed", "conflict")
_OPEN_SQL = "('queued', 'sending', 'failed', 'conflict')"


def _connected_blog(db: Connection, comment_id: int) -> int | None:
    row = db.execute(
        "SELECT s.blog_id FROM comments c JOIN posts p ON p.id = c.post_id "
        "JOIN sites s ON s.blog_id = p.blog_id AND s.connected = 1 WHERE c.id = ?",
        [comment_id],
    ).fetchone()
    return None if row is None else int(row[0])


def _on_site_or_going(db: Connection, comment_id: int) -> bool:
    """Whether the site has the comment, or will once your reply of it is published."""
    row = db.execute(
        "SELECT remote_id IS NOT NULL OR EXISTS (SELECT 1 FROM outbox o WHERE o.comment_id = c.id "
        f"AND o.action = 'reply' AND o.state IN {_OPEN_SQL}) FROM comments c WHERE c.id = ?",
        [comment_id],
    ).fetchone()
    return bool(row and row[0])


def _unsent_item(db: Connection, comment_id: int, action: str) -> int | None:
    """The comment's item of this action that was never tried: it can still be changed."""
    row = db.execute(
        "SELECT id FROM outbox WHERE comment_id = ? AND action = ? AND state = 'queued' "
        "AND attempts = 0 ORDER BY id DESC LIMIT 1",
        [comment_id, action],
    ).fetchone()
    return None if row is None else int(row[0])


def queue(
    db: Connection, comment_id: int, action: str, *, body: str | None = None,
    status: str | None = None,
) -> None:
    """Queue a change for the site, when the comment's blog is connected (else: nothing).

    Called inside the transaction of the local change, so both are kept or neither. A change
    that supersedes one never tried is folded into it: an edit of a reply not sent yet edits
    what will be sent, and trashing it sends nothing at all.
    """
    blog_id = _connected_blog(db, comment_id)
    if blog_id is None or (action != "reply" and not _on_site_or_going(db, comment_id)):
        # A comment the site never had (your reply written before the blog was connected, a
        # comment from another export): the change stays here, nothing waits for ever.
        return
    now = now_iso()
    if action == "edit" and (reply := _unsent_item(db, comment_id, "reply")) is not None:
        db.execute("UPDATE outbox SET body = ? WHERE id = ?", [body, reply])
        return
    if action == "trash" and (reply := _unsent_item(db, comment_id, "reply")) is not None:
        db.execute(
            "UPDATE outbox SET state = 'cancelled', done_at = ? WHERE id = ?", [now, reply]
        )
        refresh_comment_state(db, comment_id)
        return
    if action == "untrash":
        cancelled = db.execute(
            "SELECT id, state FROM outbox WHERE comment_id = ? ORDER BY id DESC LIMIT 1",
            [comment_id],
        ).fetchone()
        if cancelled is not None and cancelled[1] == "cancelled":
            db.execute(
                "UPDATE outbox SET state = 'queued', done_at = NULL WHERE id = ?", [cancelled[0]]
            )
            refresh_comment_state(db, comment_id)
            return
    if action == "status" and (earlier := _unsent_item(db, comment_id, "status")) is not None:
        db.execute("UPDATE outbox SET status = ? WHERE id = ?", [status, earlier])
        return
    db.execute(
        "INSERT INTO outbox (blog_id, comment_id, action, status, body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [blog_id, comment_id, action, status, body, now],
    )
    refresh_comment_state(db, comment_id)


def refresh_comment_state(db: Connection, comment_id: int) -> None:
    """The thread shows the state of the comment's newest item (none: nothing to show). Once
    published, a moderation leaves no mark: only your replies say they are on the site."""
    row = db.execute(
        "SELECT o.state, o.note, c.origin FROM outbox o JOIN comments c ON c.id = o.comment_id "
        "WHERE o.comment_id = ? ORDER BY o.id DESC LIMIT 1",
        [comment_id],
    ).fetchone()
    done = row is None or row[0] == "cancelled" or (row[0] == "published" and row[2] != "local")
    state, note = (None, None) if done else (row[0], row[1])
    db.execute(
        "UPDATE comments SET sync_state = ?, sync_note = ? WHERE id = ?",
        [state, note, comment_id],
    )


def open_items(db: Connection, blog_id: int) -> list[OutboxItem]:
    """The blog's open items in the order they were made, with the site's ids they need."""
    return [
        OutboxItem(*row)
        for row in db.execute(
            "SELECT o.id, o.comment_id, o.action, o.status, o.body, o.state, o.attempts, "
            "o.next_try, p.remote_id, c.remote_id, par.remote_id, c.parent_id, c.post_id "
            "FROM outbox o INDEXED BY outbox_open "
            "JOIN comments c ON c.id = o.comment_id JOIN posts p ON p.id = c.post_id "
            "LEFT JOIN comments par ON par.id = c.parent_id "
            f"WHERE o.blog_id = ? AND o.state IN {_OPEN_SQL} ORDER BY o.id",
            [blog_id],
        )
    ]


def begin_attempt(db: Connection, item_id: int, body: str | None) -> None:
    """Mark the item as on its way, before the request leaves: if the answer is lost, the
    next attempt knows the site may already hold it and looks before sending again."""
    db.execute(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, body = COALESCE(?, body), "
        "note = NULL WHERE id = ?",
        [body, item_id],
    )
    _refresh_item_comment(db, item_id)


def finish(db: Connection, item_id: int) -> None:
    """The site has the change."""
    db.execute(
        "UPDATE outbox SET state = 'published', note = NULL, done_at = ? WHERE id = ?",
        [now_iso(), item_id],
    )
    _refresh_item_comment(db, item_id)


def set_back(db: Connection, item_id: int, state: str, note: str, next_try: str | None) -> None:
    """The change did not make it (state 'failed') or the site refuses it for now
    ('conflict'); it stays open with the reason, to be tried again from next_try."""
    db.execute(
        "UPDATE outbox SET state = ?, note = ?, next_try = ? WHERE id = ?",
        [state, note, next_try, item_id],
    )
    _refresh_item_comment(db, item_id)


def _refresh_item_comment(db: Connection, item_id: int) -> None:
    row = db.execute("SELECT comment_id FROM outbox WHERE id = ?", [item_id]).fetchone()
    if row is not None:
        refresh_comment_state(db, int(row[0]))


def summary(db: Connection) -> SyncSummary:
    """What the status line says: when the sites were last read, and what is still to go."""
    sites = db.execute(
        "SELECT COUNT(*), MIN(synced_at), MAX(problem) FROM sites WHERE connected = 1"
    ).fetchone()
    counts = dict(
        db.execute(
            f"SELECT state, COUNT(*) FROM outbox WHERE state IN {_OPEN_SQL} GROUP BY state"
        ).fetchall()
    )
    return SyncSummary(
        sites=int(sites[0]),
        synced_at=sites[1],
        problem=sites[2],
        to_publish=sum(counts.values()),
        failed=int(counts.get("failed", 0)),
        conflicts=int(counts.get("conflict", 0)),
    )
