"""Every unsent draft across blogs, newest first, a page at a time from comments_drafts."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.store.models import DraftEntry

# The drafts stay the outer loop (CROSS JOIN), read in comments_drafts' order; each draft's
# episode, blog and parent are one lookup by key.
_DRAFT = (
    "SELECT d.id, d.post_id, p.title, d.parent_id, c.author, c.body, d.body, d.updated_at, "
    "p.blog_id, b.title, p.key, c.key "
    "FROM comments d INDEXED BY comments_drafts CROSS JOIN posts p ON p.id = d.post_id "
    "LEFT JOIN blogs b ON b.id = p.blog_id LEFT JOIN comments c ON c.id = d.parent_id "
    "WHERE d.status = 'draft' AND d.deleted_at IS NULL "
)


def drafts_page(
    db: Connection, *, offset: int, limit: int, blog_id: int | None
) -> list[DraftEntry]:
    blog = "" if blog_id is None else "AND p.blog_id = ? "
    params: list[object] = [] if blog_id is None else [blog_id]
    sql = _DRAFT + blog + "ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?"
    return [DraftEntry(*row) for row in db.execute(sql, [*params, limit, offset])]


def drafts_count(db: Connection, *, blog_id: int | None) -> int:
    if blog_id is None:
        sql = ("SELECT COUNT(*) FROM comments INDEXED BY comments_drafts "
               "WHERE status = 'draft' AND deleted_at IS NULL")
        return int(db.execute(sql).fetchone()[0])
    sql = ("SELECT COUNT(*) FROM comments d INDEXED BY comments_drafts "
           "CROSS JOIN posts p ON p.id = d.post_id "
           "WHERE d.status = 'draft' AND d.deleted_at IS NULL AND p.blog_id = ?")
    return int(db.execute(sql, [blog_id]).fetchone()[0])
