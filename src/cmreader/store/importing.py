"""Writing an ImportBatch into the store: one transaction, idempotent by stable keys."""

from __future__ import annotations

from collections.abc import Callable
from sqlite3 import Connection

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.sanitize import clean_line
from cmreader.store.answers import refresh_post_counts
from cmreader.store.blogs import (
    PLACEHOLDER_PREFIX,
    batch_blog,
    blog_id,
    drop_empty_placeholders,
    upsert_blog,
)
from cmreader.store.clock import now_iso
from cmreader.store.models import ImportResult
from cmreader.store.threads import renumber_post


def write_batch(db: Connection, batch: ImportBatch, owner_name: str | None) -> ImportResult:
    """Add what is new in batch; existing keys are skipped, so importing twice adds nothing.

    The caller holds the transaction: a failure anywhere leaves the store as it was.
    """
    now = now_iso()
    blog = upsert_blog(db, batch_blog(batch), now)
    blog_row = blog_id(db, blog.key)
    is_owner = _owner_test(blog, {n for n in (owner_name, batch.owner) if n})
    posts_added = posts_skipped = comments_added = comments_skipped = 0
    touched: list[int] = []
    for post in batch.posts:
        post_id = _existing_post(db, post, batch.source)
        if post_id is None:
            cur = db.execute(
                "INSERT INTO posts (key, kind, title, author, published, url, source, format, "
                "body, added_at, blog_id, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    blog_row,
                    post.status,
                ],
            )
            post_id = int(cur.lastrowid or 0)
            posts_added += 1
        else:
            posts_skipped += 1
            if _refresh_existing(db, post_id, post, blog_row):
                touched.append(post_id)
        existing = {
            key: cid
            for key, cid in db.execute("SELECT key, id FROM comments WHERE post_id = ?", [post_id])
        }
        fresh = [c for c in post.comments if c.key not in existing]
        comments_skipped += len(post.comments) - len(fresh)
        if _refresh_types(db, post.comments, existing):
            touched.append(post_id)
        if not fresh:
            continue
        new_ids: dict[str, int] = {}
        for comment in fresh:
            if comment.key in new_ids:  # the same key twice in one file: keep the first
                comments_skipped += 1
                continue
            cur = db.execute(
                "INSERT INTO comments (key, post_id, ord, end_ord, depth, author, author_url, "
                "author_email, published, body, status, origin, by_owner, added_at, type) "
                "VALUES (?, ?, -1, -1, 0, ?, ?, ?, ?, ?, ?, 'imported', ?, ?, ?)",
                [
                    comment.key,
                    post_id,
                    comment.author,
                    comment.author_url,
                    comment.author_email,
                    comment.published,
                    comment.body,
                    comment.status,
                    int(is_owner(comment)),
                    now,
                    comment.type,
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
    drop_empty_placeholders(db)
    refresh_post_counts(db, sorted(set(touched)))
    return ImportResult(
        batch.source, batch.format, posts_added, posts_skipped, comments_added, comments_skipped
    )


def _owner_test(blog: BlogRecord, names: set[str]) -> Callable[[CommentRecord], bool]:
    """Whose comments are the owner's: the importer's verdict, else the blog's account.

    A name is anyone's to type ("Anonymous", "Unknown" are common): it counts only for blogs
    whose owner the export knows by nothing stronger.
    """
    user_id = blog.owner_user_id
    by_name = not blog.identified

    def is_owner(comment: CommentRecord) -> bool:
        if comment.by_owner:
            return True
        if user_id and comment.author_user_id == user_id:
            return True
        return by_name and comment.author is not None and comment.author in names

    return is_owner


def _existing_post(db: Connection, post: PostRecord, source: str) -> int | None:
    """The stored post this record is, if any: by its key, or by the key an older cmreader
    gave it when that post came from this very file (then it takes the new key)."""
    row = db.execute("SELECT id FROM posts WHERE key = ?", [post.key]).fetchone()
    if row is not None:
        return int(row[0])
    if not post.legacy_key:
        return None
    row = db.execute(
        "SELECT id FROM posts WHERE key = ? AND source = ?", [post.legacy_key, source]
    ).fetchone()
    if row is None:
        return None
    post_id = int(row[0])
    db.execute("UPDATE posts SET key = ? WHERE id = ?", [post.key, post_id])
    # Comment keys start with their post's key: they move with it.
    db.execute(
        "UPDATE comments SET key = ? || substr(key, ?) "
        "WHERE post_id = ? AND origin = 'imported' AND substr(key, 1, ?) = ?",
        [post.key, len(post.legacy_key) + 1, post_id, len(post.legacy_key), post.legacy_key],
    )
    return post_id


def _refresh_existing(db: Connection, post_id: int, post: PostRecord, blog_row: int) -> bool:
    """What the file says of a post already stored: its status, and its blog when the store
    only knew its file. True when that may change what waits for an answer."""
    cur = db.execute(
        "UPDATE posts SET status = ? WHERE id = ? AND status != ?",
        [post.status, post_id, post.status],
    )
    db.execute(
        "UPDATE posts SET blog_id = ? WHERE id = ? AND (blog_id IS NULL OR blog_id IN "
        "(SELECT id FROM blogs WHERE key LIKE ? || '%'))",
        [blog_row, post_id, PLACEHOLDER_PREFIX],
    )
    return cur.rowcount > 0


def _refresh_types(
    db: Connection, comments: tuple[CommentRecord, ...], existing: dict[str, int]
) -> bool:
    """Pingbacks stored before cmreader told them apart get their type on the next import."""
    typed = [(c.type, existing[c.key], c.type) for c in comments
             if c.type != "comment" and c.key in existing]
    before = db.total_changes
    db.executemany("UPDATE comments SET type = ? WHERE id = ? AND type != ?", typed)
    return db.total_changes != before


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
