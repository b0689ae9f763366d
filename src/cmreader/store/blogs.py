"""Blogs in the store: one row per blog an import names, with its owner's identities."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.records import BlogRecord, ImportBatch
from cmreader.sanitize import clean_line

# Posts imported before blogs existed got one blog per file, keyed like this; the next import
# of that file moves them to the blog the file names.
PLACEHOLDER_PREFIX = "file:"


def batch_blog(batch: ImportBatch) -> BlogRecord:
    """The blog a batch names, or one standing for its file when the importer names none."""
    if batch.blog is not None:
        return batch.blog
    return BlogRecord(
        key=f"{PLACEHOLDER_PREFIX}{batch.format}:{batch.source}",
        kind=batch.format,
        title=batch.blog_title,
        owner_name=batch.owner,
    )


def upsert_blog(db: Connection, blog: BlogRecord, now: str) -> BlogRecord:
    """Add the blog or update what the file says about it; returns the stored identities.

    A later export may name the owner better (a split file without the author list, then one
    with it): a value the file gives replaces the stored one, a missing value keeps it.
    """
    db.execute(
        "INSERT INTO blogs (key, kind, title, url, owner_name, owner_email, owner_user_id, "
        "owner_uri, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET "
        "title = COALESCE(excluded.title, title), url = COALESCE(excluded.url, url), "
        "owner_name = COALESCE(excluded.owner_name, owner_name), "
        "owner_email = COALESCE(excluded.owner_email, owner_email), "
        "owner_user_id = COALESCE(excluded.owner_user_id, owner_user_id), "
        "owner_uri = COALESCE(excluded.owner_uri, owner_uri)",
        [
            blog.key,
            blog.kind,
            clean_line(blog.title) if blog.title else None,
            blog.url,
            blog.owner_name,
            blog.owner_email,
            blog.owner_user_id,
            blog.owner_uri,
            now,
        ],
    )
    row = db.execute(
        "SELECT id, key, kind, title, url, owner_name, owner_email, owner_user_id, owner_uri "
        "FROM blogs WHERE key = ?",
        [blog.key],
    ).fetchone()
    return BlogRecord(*row[1:])


def blog_id(db: Connection, key: str) -> int:
    return int(db.execute("SELECT id FROM blogs WHERE key = ?", [key]).fetchone()[0])


def drop_empty_placeholders(db: Connection) -> None:
    """A file's stand-in blog goes once its posts have moved to the blog the file names."""
    db.execute(
        "DELETE FROM blogs WHERE key LIKE ? || '%' "
        "AND NOT EXISTS (SELECT 1 FROM posts WHERE posts.blog_id = blogs.id)",
        [PLACEHOLDER_PREFIX],
    )
