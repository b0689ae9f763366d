"""Writing an ImportBatch into the store: one transaction, idempotent by stable keys."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.records import ImportBatch
from cmreader.sanitize import clean_line
from cmreader.store.answers import refresh_post_counts
from cmreader.store.clock import now_iso
from cmreader.store.models import ImportResult
from cmreader.store.threads import renumber_post


def write_batch(db: Connection, batch: ImportBatch, owner_name: str | None) -> ImportResult:
    """Add what is new in batch; existing keys are skipped, so importing twice adds nothing.

    The caller holds the transaction: a failure anywhere leaves the store as it was.
    """
    now = now_iso()
    posts_added = posts_skipped = comments_added = comments_skipped = 0
    touched: list[int] = []
    for post in batch.posts:
        row = db.execute("SELECT id FROM posts WHERE key = ?", [post.key]).fetchone()
        if row is None:
            cur = db.execute(
                "INSERT INTO posts (key, kind, title, author, published, url, source, format, "
                "body, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    post.key,
                    post.kind,
                    clean_line(post.title or ""),
                    post.author,
                    post.published,
                    post.url,
                    batch.source,
                    batch.format,
                    post.body,
                    now,
                ],
            )
            post_id = int(cur.lastrowid or 0)
            posts_added += 1
        else:
            post_id = int(row[0])
            posts_skipped += 1
        existing = {
            key: cid
            for key, cid in db.execute("SELECT key, id FROM comments WHERE post_id = ?", [post_id])
        }
        fresh = [c for c in post.comments if c.key not in existing]
        comments_skipped += len(post.comments) - len(fresh)
        if not fresh:
            continue
        owner_names = {n for n in (owner_name, batch.owner) if n}
        new_ids: dict[str, int] = {}
        for comment in fresh:
            if comment.key in new_ids:  # the same key twice in one file: keep the first
                comments_skipped += 1
                continue
            by_owner = comment.by_owner or (
                comment.author in owner_names if comment.author else False
            )
            cur = db.execute(
                "INSERT INTO comments (key, post_id, ord, end_ord, depth, author, author_url, "
                "author_email, published, body, status, origin, by_owner, added_at) "
                "VALUES (?, ?, -1, -1, 0, ?, ?, ?, ?, ?, ?, 'imported', ?, ?)",
                [
                    comment.key,
                    post_id,
                    comment.author,
                    comment.author_url,
                    comment.author_email,
                    comment.published,
                    comment.body,
                    comment.status,
                    int(by_owner),
                    now,
                ],
            )
            new_ids[comment.key] = int(cur.lastrowid or 0)
            comments_added += 1
        # Parents can come after their children in a file: link once everything is in.
        links = []
        for comment in fresh:
            if comment.parent_key is None:
                continue
            parent_id = new_ids.get(comment.parent_key) or existing.get(comment.parent_key)
            if parent_id is not None and parent_id != new_ids.get(comment.key):
                links.append((parent_id, new_ids[comment.key]))
        db.executemany("UPDATE comments SET parent_id = ? WHERE id = ?", links)
        _break_cycles(db, post_id)
        renumber_post(db, post_id)
        touched.append(post_id)
    refresh_post_counts(db, touched)
    return ImportResult(
        batch.source, batch.format, posts_added, posts_skipped, comments_added, comments_skipped
    )


def _break_cycles(db: Connection, post_id: int) -> None:
    """A parent loop in bad data (a replies to b replies to a) would hide both: cut it."""
    parents = dict(
        db.execute("SELECT id, parent_id FROM comments WHERE post_id = ?", [post_id]).fetchall()
    )
    state: dict[int, int] = {}  # 1 = on the current path, 2 = known to reach the top
    cuts = []
    for start in parents:
        path = []
        node: int | None = start
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            cuts.append(node)  # node's parent link closes the loop
        for n in path:
            state[n] = 2
    db.executemany("UPDATE comments SET parent_id = NULL WHERE id = ?", [(n,) for n in cuts])
