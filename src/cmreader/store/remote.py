"""A pull written into the store: new and changed posts, new comments, the site's statuses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from sqlite3 import Connection
from typing import NamedTuple

from cmreader.records import BlogRecord, CommentRecord, PostRecord
from cmreader.sanitize import clean_line
from cmreader.store.answers import refresh_post_counts
from cmreader.store.bulkindex import comments_indexed_at_end
from cmreader.store.clock import now_iso
from cmreader.store.importing import add_comments, owner_test, stored_comments

# A comment whose local change is still to be published keeps the local status: the site
# gets it at the next push, and reading the site's older status back would undo it.
_NO_LOCAL_INTENT = (
    "NOT EXISTS (SELECT 1 FROM outbox o WHERE o.comment_id = comments.id "
    "AND o.state IN ('queued', 'sending', 'failed', 'conflict'))"
)


class PullTally(NamedTuple):
    """What one pull changed in the store."""

    posts_added: int
    posts_updated: int
    comments_added: int
    statuses_changed: int


def _found(db: Connection, sql: str, blog_id: int, ids: Iterable[int]) -> set[int]:
    """The ids a query `sql` (blog id, then an IN list to fill, "{ids}") finds, 500 at a time:
    SQLite allows only so many parameters in one statement."""
    ordered = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in db.execute(sql.format(ids=marks), [blog_id, *chunk]))
    return found


def known_posts(db: Connection, blog_id: int, remote_ids: Iterable[int]) -> set[int]:
    """Which of these site post ids the store holds for the blog."""
    return _found(
        db, "SELECT remote_id FROM posts WHERE blog_id = ? AND remote_id IN ({ids})", blog_id,
        remote_ids,
    )


def write_pull(
    db: Connection,
    blog_id: int,
    *,
    source: str,
    posts: Iterable[tuple[int, PostRecord]] = (),
    comments: Iterable[tuple[int, int, CommentRecord]] = (),
    statuses: Iterable[tuple[int, str]] = (),
    swept: set[int] | None = None,
) -> PullTally:
    """Write a pull: posts as (site id, record), comments as (post's site id, site id, record)
    and statuses as (comment's site id, status). `swept`, when given, holds the id of every
    comment the site has: the blog's site comments missing from it were deleted there.

    The caller holds the transaction. Records are keyed as a WXR import of the site keys them,
    so a post or comment already imported is updated, never added twice.
    """
    now = now_iso()
    touched: set[int] = set()
    posts_added = posts_updated = 0
    for remote_id, post in posts:
        added, post_id = _write_post(db, blog_id, remote_id, post, source, now)
        if post_id is not None:
            touched.add(post_id)
        posts_added += added
        posts_updated += post_id is not None and not added
    comments_added = _write_comments(db, blog_id, comments, now, touched)
    changed = _write_statuses(db, blog_id, statuses, touched)
    if swept is not None:
        changed += _write_deleted(db, blog_id, swept, touched)
    refresh_post_counts(db, sorted(touched))
    return PullTally(posts_added, posts_updated, comments_added, changed)


def _write_post(
    db: Connection, blog_id: int, remote_id: int, post: PostRecord, source: str, now: str
) -> tuple[bool, int | None]:
    """(added, the post's id when it was added or changed)."""
    title = clean_line(post.title or "")
    row = db.execute(
        "SELECT id, title, body, status, url, published FROM posts "
        "WHERE blog_id = ? AND remote_id = ?",
        [blog_id, remote_id],
    ).fetchone()
    if row is None:
        row = db.execute(
            "SELECT id, title, body, status, url, published FROM posts WHERE key = ?", [post.key]
        ).fetchone()
    if row is None:
        cur = db.execute(
            "INSERT INTO posts (key, kind, title, author, published, url, source, format, body, "
            "added_at, blog_id, status, remote_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'wordpress', ?, ?, ?, ?, ?)",
            [post.key, post.kind, title, post.author, post.published, post.url, source,
             post.body, now, blog_id, post.status, remote_id],
        )
        return True, int(cur.lastrowid or 0)
    post_id = int(row[0])
    if tuple(row[1:]) == (title, post.body, post.status, post.url, post.published):
        db.execute("UPDATE posts SET remote_id = ? WHERE id = ?", [remote_id, post_id])
        return False, None
    db.execute(
        "UPDATE posts SET title = ?, body = ?, status = ?, url = ?, published = ?, "
        "remote_id = ? WHERE id = ?",
        [title, post.body, post.status, post.url, post.published, remote_id, post_id],
    )
    return False, post_id


def _write_comments(
    db: Connection,
    blog_id: int,
    comments: Iterable[tuple[int, int, CommentRecord]],
    now: str,
    touched: set[int],
) -> int:
    by_post: dict[int, list[tuple[int, CommentRecord]]] = {}
    for post_remote, remote_id, comment in comments:
        by_post.setdefault(post_remote, []).append((remote_id, comment))
    if not by_post:
        return 0
    is_owner = owner_test(_blog(db, blog_id), set())
    added = 0
    with comments_indexed_at_end(db, adding=sum(len(found) for found in by_post.values())):
        for post_remote, found in by_post.items():
            row = db.execute(
                "SELECT id, key FROM posts WHERE blog_id = ? AND remote_id = ?",
                [blog_id, post_remote],
            ).fetchone()
            if row is None:
                continue  # a comment on something the store keeps no episode for
            post_id, post_key = int(row[0]), str(row[1])
            existing = stored_comments(db, post_id)
            fresh = [(rid, _keyed(c, post_key)) for rid, c in found]
            fresh = [(rid, c) for rid, c in fresh if c.key not in existing]
            if not fresh:
                continue
            count, _ = add_comments(db, post_id, [c for _, c in fresh], existing, is_owner, now)
            # Their site ids are the tails of their keys (post key, ":c", id): one statement.
            db.execute(
                "UPDATE comments SET remote_id = CAST(substr(key, ?) AS INTEGER) "
                "WHERE post_id = ? AND remote_id IS NULL AND origin = 'imported' "
                "AND substr(key, 1, ?) = ?",
                [len(post_key) + 3, post_id, len(post_key) + 2, f"{post_key}:c"],
            )
            added += count
            touched.add(post_id)
    return added


def _keyed(comment: CommentRecord, post_key: str) -> CommentRecord:
    """The comment keyed under its post's stored key: an export may have given the post a key
    of its own (a repeated id gets a suffix), and its comments' keys start with it."""
    head, _, own = comment.key.rpartition(":c")
    if head == post_key:
        return comment
    parent = comment.parent_key.rpartition(":c")[2] if comment.parent_key else None
    return replace(
        comment,
        key=f"{post_key}:c{own}",
        parent_key=f"{post_key}:c{parent}" if parent else None,
    )


def _blog(db: Connection, blog_id: int) -> BlogRecord:
    row = db.execute(
        "SELECT key, kind, title, url, owner_name, owner_email, owner_user_id, owner_uri "
        "FROM blogs WHERE id = ?",
        [blog_id],
    ).fetchone()
    return BlogRecord(*row)


def _write_statuses(
    db: Connection, blog_id: int, statuses: Iterable[tuple[int, str]], touched: set[int]
) -> int:
    """Only the statuses that differ are written: a full sweep reads every comment's, and on
    most syncs none of them changed (one read per 500 ids, not one update per comment)."""
    wanted = dict(statuses)
    stored: dict[int, str] = {}
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stored.update(
            db.execute(
                "SELECT c.remote_id, c.status FROM comments c JOIN posts p ON p.id = c.post_id "
                f"WHERE p.blog_id = ? AND c.remote_id IN ({','.join('?' * len(chunk))})",
                [blog_id, *chunk],
            ).fetchall()
        )
    changed = 0
    for remote_id, status in wanted.items():
        if stored.get(remote_id, status) == status:
            continue  # unchanged, or a comment this store does not hold
        for (post_id,) in db.execute(
            "UPDATE comments SET status = ? WHERE remote_id = ? AND status != ? "
            "AND status != 'draft' AND post_id IN (SELECT id FROM posts WHERE blog_id = ?) "
            f"AND {_NO_LOCAL_INTENT} RETURNING post_id",
            [status, remote_id, status, blog_id],
        ).fetchall():
            touched.add(int(post_id))
            changed += 1
    return changed


def _write_deleted(db: Connection, blog_id: int, swept: set[int], touched: set[int]) -> int:
    """Comments deleted for good on the site go to the trash here: hidden, never lost."""
    gone = [
        (comment_id, post_id)
        for comment_id, post_id, remote_id in db.execute(
            "SELECT c.id, c.post_id, c.remote_id FROM comments c JOIN posts p "
            "ON p.id = c.post_id WHERE p.blog_id = ? AND c.remote_id IS NOT NULL "
            "AND c.status NOT IN ('trash', 'draft')",
            [blog_id],
        )
        if remote_id not in swept
    ]
    for comment_id, post_id in gone:
        cur = db.execute(
            f"UPDATE comments SET status = 'trash' WHERE id = ? AND {_NO_LOCAL_INTENT}",
            [comment_id],
        )
        if cur.rowcount:
            touched.add(int(post_id))
    return len(gone)


def adopt(db: Connection, comment_id: int, remote_id: int) -> None:
    """Your reply is the site's comment remote_id: it is keyed as a pull would key it."""
    post_key = db.execute(
        "SELECT p.key FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?",
        [comment_id],
    ).fetchone()[0]
    key = f"{post_key}:c{remote_id}"
    # A copy a pull added before this process knew the reply was published goes: the reply is
    # that comment (a pull skips such copies, so this guards only a store an older run wrote).
    db.execute(
        "DELETE FROM comments WHERE key = ? AND id != ? AND origin = 'imported' "
        "AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = comments.id)",
        [key, comment_id],
    )
    taken = db.execute("SELECT 1 FROM comments WHERE key = ? AND id != ?", [key, comment_id])
    if taken.fetchone() is None:
        db.execute(
            "UPDATE comments SET remote_id = ?, key = ? WHERE id = ?", [remote_id, key, comment_id]
        )
    else:
        db.execute("UPDATE comments SET remote_id = ? WHERE id = ?", [remote_id, comment_id])


def comment_ids(db: Connection, blog_id: int) -> set[int]:
    """The site id of every comment of the blog the store holds."""
    return {
        row[0]
        for row in db.execute(
            "SELECT c.remote_id FROM posts p JOIN comments c ON c.post_id = p.id "
            "WHERE p.blog_id = ? AND c.remote_id IS NOT NULL",
            [blog_id],
        )
    }


def published_replies(db: Connection, blog_id: int, remote_ids: Iterable[int]) -> set[int]:
    """Which of these site comment ids are replies of yours the store already knows as such."""
    return _found(
        db,
        "SELECT c.remote_id FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.blog_id = ? AND c.origin = 'local' AND c.remote_id IN ({ids})",
        blog_id,
        remote_ids,
    )


def recent_posts(db: Connection, blog_id: int, limit: int) -> list[int]:
    """The site ids of the blog's newest episodes: whose comments' statuses each sync reads
    again, since the site gives comments no modification date (read from posts_blog_order)."""
    return [
        int(row[0])
        for row in db.execute(
            "SELECT remote_id FROM posts WHERE blog_id = ? AND remote_id IS NOT NULL "
            "ORDER BY published IS NULL, published DESC, id DESC LIMIT ?",
            [blog_id, limit],
        )
    ]
