"""Writing an ImportBatch into the store: one transaction, idempotent by stable keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from sqlite3 import Connection
from typing import NamedTuple

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.sanitize import clean_line
from cmreader.store.answers import refresh_post_counts
from cmreader.store.author_keys import author_key_sql
from cmreader.store.blogs import (
    PLACEHOLDER_PREFIX,
    batch_blog,
    blog_id,
    drop_empty_placeholders,
    upsert_blog,
)
from cmreader.store.bulkindex import comments_indexed_at_end
from cmreader.store.clock import now_iso
from cmreader.store.models import ImportResult
from cmreader.store.threads import loop_cuts, nested_set


def write_batch(db: Connection, batch: ImportBatch, owner_name: str | None) -> ImportResult:
    """Add what is new in batch; existing keys are skipped, so importing twice adds nothing.

    The caller holds the transaction: a failure anywhere leaves the store as it was.
    """
    now = now_iso()
    blog = upsert_blog(db, batch_blog(batch), now)
    blog_row = blog_id(db, blog.key)
    is_owner = owner_test(blog, {n for n in (owner_name, batch.owner) if n})
    tally = _Tally()
    with comments_indexed_at_end(db, adding=sum(len(post.comments) for post in batch.posts)):
        for post in batch.posts:
            _write_post(db, batch, post, blog_row, is_owner, now, tally)
    drop_empty_placeholders(db)
    refresh_post_counts(db, sorted(set(tally.touched)))
    return ImportResult(
        batch.source,
        batch.format,
        tally.posts_added,
        tally.posts_skipped,
        tally.comments_added,
        tally.comments_skipped,
    )


@dataclass
class _Tally:
    """What a batch added and skipped, and the posts whose counts need refreshing."""

    posts_added: int = 0
    posts_skipped: int = 0
    comments_added: int = 0
    comments_skipped: int = 0
    touched: list[int] = field(default_factory=list)


def _write_post(
    db: Connection,
    batch: ImportBatch,
    post: PostRecord,
    blog_row: int,
    is_owner: Callable[[CommentRecord], bool],
    now: str,
    tally: _Tally,
) -> None:
    """One post of the batch and its new comments."""
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
        tally.posts_added += 1
    else:
        tally.posts_skipped += 1
        if _refresh_existing(db, post_id, post, blog_row):
            tally.touched.append(post_id)
    existing = stored_comments(db, post_id)
    fresh = [c for c in post.comments if c.key not in existing]
    tally.comments_skipped += len(post.comments) - len(fresh)
    if _refresh_types(db, post.comments, existing):
        tally.touched.append(post_id)
    if not fresh:
        return
    added, duplicates = add_comments(db, post_id, fresh, existing, is_owner, now)
    tally.comments_added += added
    tally.comments_skipped += duplicates
    tally.touched.append(post_id)


def owner_test(blog: BlogRecord, names: set[str]) -> Callable[[CommentRecord], bool]:
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
    db: Connection, comments: tuple[CommentRecord, ...], existing: dict[str, _Stored]
) -> bool:
    """Pingbacks stored before cmreader told them apart get their type on the next import."""
    typed = [
        (c.type, existing[c.key].id, c.type)
        for c in comments
        if c.type != "comment" and c.key in existing
    ]
    before = db.total_changes
    db.executemany("UPDATE comments SET type = ? WHERE id = ? AND type != ?", typed)
    return db.total_changes != before


class _Stored(NamedTuple):
    """A comment already in the store, as the thread order needs it."""

    id: int
    parent_id: int | None
    published: str | None
    place: tuple[int, int, int]  # (ord, end_ord, depth)


def stored_comments(db: Connection, post_id: int) -> dict[str, _Stored]:
    return {
        key: _Stored(cid, parent, published, (ord_, end_ord, depth))
        for key, cid, parent, published, ord_, end_ord, depth in db.execute(
            "SELECT key, id, parent_id, published, ord, end_ord, depth FROM comments "
            "WHERE post_id = ?",
            [post_id],
        )
    }


# The commenter's key (m009) is worked out in the insert itself, by the schema's own expression:
# left to the insert trigger, every comment would be written twice (an import took a third
# longer).
_INSERT_COMMENT = (
    "INSERT INTO comments (id, key, post_id, parent_id, ord, end_ord, depth, author, "
    "author_url, author_email, published, body, status, origin, by_owner, added_at, type, "
    "author_user_id, author_key) "
    f"SELECT v.*, {author_key_sql('v', 'v.post_id')} FROM (SELECT ? AS id, ? AS key, "
    "? AS post_id, ? AS parent_id, ? AS ord, ? AS end_ord, ? AS depth, ? AS author, "
    "? AS author_url, ? AS author_email, ? AS published, ? AS body, ? AS status, "
    "'imported' AS origin, ? AS by_owner, ? AS added_at, ? AS type, ? AS author_user_id) v"
)


def add_comments(
    db: Connection,
    post_id: int,
    fresh: list[CommentRecord],
    existing: dict[str, _Stored],
    is_owner: Callable[[CommentRecord], bool],
    now: str,
) -> tuple[int, int]:
    """Insert a post's new comments already threaded; returns (added, duplicates left out).

    The ids are the ones SQLite would give (one past the largest, in file order), so parents,
    loop cuts and the nested set are worked out before one bulk insert, not patched after it.
    """
    next_id = int(db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM comments").fetchone()[0])
    new_ids: dict[str, int] = {}
    kept: list[CommentRecord] = []
    for comment in fresh:
        if comment.key in new_ids:  # the same key twice in one file: keep the first
            continue
        new_ids[comment.key] = next_id + len(kept)
        kept.append(comment)
    # Parents can come after their children in a file: linked once every id is known. A key
    # repeated in the file links the first comment as its last copy says.
    parents: dict[int, int | None] = {cid: None for cid in new_ids.values()}
    for comment in fresh:
        if comment.parent_key is None:
            continue
        parent = new_ids.get(comment.parent_key)
        if parent is None and comment.parent_key in existing:
            parent = existing[comment.parent_key].id
        if parent is not None and parent != new_ids[comment.key]:
            parents[new_ids[comment.key]] = parent
    old_parents = {row.id: row.parent_id for row in existing.values()}
    for cut in loop_cuts({**parents, **old_parents}):
        if cut in parents:
            parents[cut] = None
        else:
            old_parents[cut] = None
            db.execute("UPDATE comments SET parent_id = NULL WHERE id = ?", [cut])
    rows = [(row.id, old_parents[row.id], row.published) for row in existing.values()]
    rows += [(new_ids[c.key], parents[new_ids[c.key]], c.published) for c in kept]
    places = nested_set(rows)
    moved = [
        (*places[row.id], row.id) for row in existing.values() if places[row.id] != row.place
    ]
    db.executemany("UPDATE comments SET ord = ?, end_ord = ?, depth = ? WHERE id = ?", moved)
    db.executemany(
        _INSERT_COMMENT,
        [
            (
                cid,
                c.key,
                post_id,
                parents[cid],
                *places[cid],
                c.author,
                c.author_url,
                c.author_email,
                c.published,
                c.body,
                c.status,
                int(is_owner(c)),
                now,
                c.type,
                # The history's identity (m009): who the platform says wrote it.
                (c.author_user_id or "").strip() or None,
            )
            # In thread order, so that every parent is in before its replies (foreign keys).
            for c in sorted(kept, key=lambda c: places[new_ids[c.key]])
            for cid in (new_ids[c.key],)
        ],
    )
    return len(kept), len(fresh) - len(kept)
