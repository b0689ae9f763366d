"""Whose comments are answers and whose name a reply carries: the blog's owner, else the store's."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.answers import refresh_post_counts
from cmreader.store.models import Blog


def current_owner(db: Connection) -> str | None:
    """The store's owner: the config's `owner`, else the owner the first import named."""
    row = db.execute("SELECT value FROM cmreader_meta WHERE name = 'owner'").fetchone()
    return None if row is None else row[0]


def remember_owner(db: Connection, name: str) -> None:
    db.execute(
        "INSERT INTO cmreader_meta (name, value) VALUES ('owner', ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        [name],
    )


def set_owner(db: Connection, name: str) -> None:
    """Name the owner and count every comment signed with that name as theirs."""
    remember_owner(db, name)
    db.execute("UPDATE comments SET by_owner = 1 WHERE author = ? AND by_owner = 0", [name])
    refresh_post_counts(db)


def set_blog_owner(db: Connection, blog_id: int, name: str) -> None:
    """Name one blog's owner: replies on its episodes carry that name, and its comments signed
    with it count as answers (as set_owner does for the whole store)."""
    if not name.strip():
        raise StoreError("a blog's owner needs a name")
    if db.execute("SELECT 1 FROM blogs WHERE id = ?", [blog_id]).fetchone() is None:
        raise StoreError(f"no blog {blog_id}")
    db.execute("UPDATE blogs SET owner_name = ? WHERE id = ?", [name, blog_id])
    blog_posts = "SELECT id FROM posts WHERE blog_id = ?"
    touched = [
        int(row[0])
        for row in db.execute(
            "SELECT DISTINCT post_id FROM comments "
            f"WHERE author = ? AND by_owner = 0 AND post_id IN ({blog_posts})",
            [name, blog_id],
        )
    ]
    if touched:
        db.execute(
            "UPDATE comments SET by_owner = 1 "
            f"WHERE author = ? AND by_owner = 0 AND post_id IN ({blog_posts})",
            [name, blog_id],
        )
        refresh_post_counts(db, touched)


def reply_author(db: Connection, post_id: int) -> str:
    """The name a reply on this episode carries: its blog's owner, so a reply on one blog never
    goes out signed as another's; else the store's owner, the episode's author, "me"."""
    row = db.execute(
        "SELECT b.owner_name, p.author FROM posts p LEFT JOIN blogs b ON b.id = p.blog_id "
        "WHERE p.id = ?",
        [post_id],
    ).fetchone()
    blog_owner, post_author = row if row is not None else (None, None)
    return blog_owner or current_owner(db) or post_author or "me"


def find_blog(blogs: list[Blog], ref: str) -> Blog | None:
    """The blog a config entry names, by its key ("wxr:https://example.org") or its address
    (scheme, case and a trailing slash aside)."""
    for blog in blogs:
        if blog.key == ref:
            return blog
    wanted = _address(ref)
    for blog in blogs:
        if blog.url and _address(blog.url) == wanted:
            return blog
    return None


def _address(url: str) -> str:
    text = url.strip().lower()
    for scheme in ("https://", "http://"):
        if text.startswith(scheme):
            text = text[len(scheme) :]
            break
    return text.rstrip("/")
