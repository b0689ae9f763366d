"""Connected sites: which blog a live WordPress is, and one syncing process at a time."""

from __future__ import annotations

import os
import re
import socket
import uuid
from datetime import UTC, datetime, timedelta
from sqlite3 import Connection

from cmreader.records import BlogRecord
from cmreader.sanitize import clean_line
from cmreader.store.blogs import upsert_blog
from cmreader.store.clock import now_iso
from cmreader.store.models import Site

_SITE_COLUMNS = (
    "s.blog_id, b.key, s.api_url, s.home_url, s.user_name, s.user_id, s.connected, "
    "s.synced_at, s.sync_count, s.posts_cursor, s.comments_cursor, s.problem"
)


def _site(row: tuple) -> Site:
    return Site(
        row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8], row[9],
        row[10], row[11],
    )


def blog_key_for(home_url: str) -> str:
    """The key a WordPress export of this site gives its blog: a WXR import of the same site
    and a connection to it are one blog, and their posts and comments the same rows."""
    return f"wxr:{home_url.rstrip('/')}"


def connect(
    db: Connection,
    *,
    existing_blog: int | None,
    api_url: str,
    home_url: str,
    title: str | None,
    user_name: str,
    user_id: str,
    display_name: str | None,
) -> Site:
    """Record the site as a blog of the store (the one already imported from it, when there is
    one), with the connecting user as its owner."""
    now = now_iso()
    if existing_blog is None:
        record = upsert_blog(
            db,
            BlogRecord(key=blog_key_for(home_url), kind="wordpress", title=title, url=home_url),
            now,
        )
        blog_id = int(db.execute("SELECT id FROM blogs WHERE key = ?", [record.key]).fetchone()[0])
    else:
        blog_id = existing_blog
    # The owner is the account that connects: its user id decides whose comments are answers.
    db.execute(
        "UPDATE blogs SET owner_user_id = ?, owner_name = COALESCE(?, owner_name), "
        "title = COALESCE(title, ?), url = COALESCE(url, ?) WHERE id = ?",
        [user_id, display_name, clean_line(title) if title else None, home_url, blog_id],
    )
    db.execute(
        "INSERT INTO sites (blog_id, api_url, home_url, user_name, user_id, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(blog_id) DO UPDATE SET api_url = excluded.api_url, "
        "home_url = excluded.home_url, user_name = excluded.user_name, "
        "user_id = excluded.user_id, connected = 1, problem = NULL",
        [blog_id, api_url, home_url, user_name, user_id, now],
    )
    _mark_remote_ids(db, blog_id)
    found = get_site(db, blog_id)
    assert found is not None
    return found


_REMOTE_COMMENT = re.compile(r":c(\d+)$")


def _mark_remote_ids(db: Connection, blog_id: int) -> None:
    """Posts and comments imported from the site's export carry its ids in their keys: the
    sync then knows them as the site's own and adds none of them twice."""
    key = db.execute("SELECT key FROM blogs WHERE id = ?", [blog_id]).fetchone()[0]
    prefix = f"{key}:"
    posts = []
    for post_id, post_key in db.execute(
        "SELECT id, key FROM posts WHERE blog_id = ? AND remote_id IS NULL", [blog_id]
    ):
        tail = post_key[len(prefix):] if post_key.startswith(prefix) else ""
        if tail.isdigit():
            posts.append((int(tail), post_id))
    db.executemany("UPDATE posts SET remote_id = ? WHERE id = ?", posts)
    comments = []
    for comment_id, comment_key, post_key in db.execute(
        "SELECT c.id, c.key, p.key FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.blog_id = ? AND p.remote_id IS NOT NULL AND c.remote_id IS NULL",
        [blog_id],
    ):
        tail = comment_key[len(post_key):] if comment_key.startswith(post_key + ":c") else ""
        if (found := _REMOTE_COMMENT.fullmatch(tail)) is not None:
            comments.append((int(found.group(1)), comment_id))
    db.executemany("UPDATE comments SET remote_id = ? WHERE id = ?", comments)


def get_site(db: Connection, blog_id: int) -> Site | None:
    row = db.execute(
        f"SELECT {_SITE_COLUMNS} FROM sites s JOIN blogs b ON b.id = s.blog_id "
        "WHERE s.blog_id = ?",
        [blog_id],
    ).fetchone()
    return None if row is None else _site(row)


def list_sites(db: Connection) -> list[Site]:
    return [
        _site(row)
        for row in db.execute(
            f"SELECT {_SITE_COLUMNS} FROM sites s JOIN blogs b ON b.id = s.blog_id "
            "ORDER BY s.blog_id"
        )
    ]


def disconnect(db: Connection, blog_id: int) -> None:
    """Replies written from now on stay local; what was queued waits for a new connection."""
    db.execute("UPDATE sites SET connected = 0, lease_by = NULL WHERE blog_id = ?", [blog_id])


def lease_holder() -> str:
    """This process's name on a lease: its host and process id, so a lease left by a process
    that died on this machine is taken over at once, not when it runs out."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _dead(holder: str | None) -> bool:
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process (a store on a shared disk): its lease runs out
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, someone else's
    return False


def take_lease(db: Connection, blog_id: int, holder: str, seconds: float) -> bool:
    """One process syncs a site at a time: True when `holder` has it for `seconds` more.

    The one holding it may renew it. A lease left by a process that died runs out on its own,
    or at once when that process was on this machine.
    """
    now = datetime.now(UTC)
    until = (now + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    row = db.execute("SELECT lease_by FROM sites WHERE blog_id = ?", [blog_id]).fetchone()
    left = row[0] if row is not None and _dead(row[0]) else None
    cur = db.execute(
        "UPDATE sites SET lease_by = ?, lease_until = ? WHERE blog_id = ? AND connected = 1 "
        "AND (lease_by IS NULL OR lease_by = ? OR lease_by IS ? OR lease_until < ?)",
        [holder, until, blog_id, holder, left, now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")],
    )
    return cur.rowcount == 1


def drop_lease(db: Connection, blog_id: int, holder: str) -> None:
    db.execute(
        "UPDATE sites SET lease_by = NULL, lease_until = NULL WHERE blog_id = ? AND lease_by = ?",
        [blog_id, holder],
    )


def record_sync(
    db: Connection,
    blog_id: int,
    *,
    problem: str | None,
    posts_cursor: str | None = None,
    comments_cursor: str | None = None,
) -> None:
    """A sync of the site ended: when, why it stopped if it did, and how far it read."""
    if problem is None:
        db.execute(
            "UPDATE sites SET synced_at = ?, sync_count = sync_count + 1, problem = NULL, "
            "posts_cursor = COALESCE(?, posts_cursor), "
            "comments_cursor = COALESCE(?, comments_cursor) WHERE blog_id = ?",
            [now_iso(), posts_cursor, comments_cursor, blog_id],
        )
    else:
        db.execute(
            "UPDATE sites SET problem = ?, posts_cursor = COALESCE(?, posts_cursor), "
            "comments_cursor = COALESCE(?, comments_cursor) WHERE blog_id = ?",
            [problem, posts_cursor, comments_cursor, blog_id],
        )
