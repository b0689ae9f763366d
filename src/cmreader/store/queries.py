"""Read-only queries of the store, each returning frozen models."""

from __future__ import annotations

import re
from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.answers import needs_answer_sql, visible_sql, waiting_candidate_sql
from cmreader.store.models import Blog, CommentRow, InboxEntry, Post, PostSummary
from cmreader.store.statuses import MODERATED, SHOWN, sql_in

_POST_COLUMNS = (
    "id, key, title, author, published, url, source, body, kind, visited_at, status, blog_id"
)
# Read as tuples, not dicts: on a 10,000-comment thread dict rows cost half as much again.
_COMMENT_COLUMNS = (
    "c.id, c.post_id, c.parent_id, c.depth, c.author, c.published, c.body, c.status, c.origin, "
    "c.by_owner, {needs}, "
    # Your own reply is never "new" to you.
    "(p.visited_at IS NOT NULL AND c.added_at > p.visited_at AND c.origin != 'local'), "
    "c.answer_mark, c.key, c.type, "
    "CASE WHEN c.type = 'comment' THEN NULL ELSE c.author_url END"
)


def _comment(row: tuple) -> CommentRow:
    return CommentRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                      bool(row[9]), bool(row[10]), bool(row[11]), row[12], row[13], row[14],
                      row[15])


def list_posts(
    db: Connection, limit: int | None, offset: int, blog_id: int | None = None
) -> list[PostSummary]:
    where = "" if blog_id is None else "WHERE blog_id = ? "
    sql = (
        "SELECT id, key, title, published, kind, comment_count, waiting_count, "
        "(visited_at IS NULL OR last_comment_added_at > visited_at), "
        "CASE WHEN visited_at IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM comments c "
        f"  WHERE c.post_id = posts.id AND c.added_at > posts.visited_at AND {visible_sql()} "
        "  AND c.origin != 'local') END, "
        f"status, blog_id, pending_count FROM posts {where}"
        "ORDER BY published IS NULL, published DESC, id DESC"
    )
    params: list[int] = [] if blog_id is None else [blog_id]
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [
        PostSummary(
            id=r[0],
            key=r[1],
            title=r[2],
            published=r[3],
            kind=r[4],
            comment_count=r[5],
            waiting_count=r[6],
            unread=bool(r[7]),
            new_count=r[8],
            status=r[9],
            blog_id=r[10],
            pending_count=r[11],
        )
        for r in db.execute(sql, params)
    ]


def _post(row: tuple) -> Post:
    return Post(
        id=row[0],
        key=row[1],
        title=row[2],
        author=row[3],
        published=row[4],
        url=row[5],
        source=row[6],
        body=row[7],
        kind=row[8],
        visited_at=row[9],
        status=row[10],
        blog_id=row[11],
    )


def get_post(db: Connection, post_id: int) -> Post:
    row = db.execute(f"SELECT {_POST_COLUMNS} FROM posts WHERE id = ?", [post_id]).fetchone()
    if row is None:
        raise StoreError(f"no episode {post_id}")
    return _post(row)


def find_post(db: Connection, id_or_key: str) -> Post | None:
    row = db.execute(f"SELECT {_POST_COLUMNS} FROM posts WHERE key = ?", [id_or_key]).fetchone()
    if row is None and id_or_key.isdigit():
        row = db.execute(
            f"SELECT {_POST_COLUMNS} FROM posts WHERE id = ?", [int(id_or_key)]
        ).fetchone()
    return None if row is None else _post(row)


def comment_rows(
    db: Connection, post_id: int, *, show_hidden: bool, limit: int | None = None
) -> list[CommentRow]:
    statuses = (
        sql_in(MODERATED) if show_hidden else sql_in(SHOWN)
    )
    sql = (
        f"SELECT {_COMMENT_COLUMNS.format(needs=needs_answer_sql())} "
        "FROM comments c JOIN posts p ON p.id = c.post_id "
        f"WHERE c.post_id = ? AND c.deleted_at IS NULL AND c.status IN {statuses} ORDER BY c.ord"
    )
    params: list[int] = [post_id]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_comment(r) for r in db.execute(sql, params)]


def get_comment(db: Connection, comment_id: int) -> CommentRow | None:
    row = db.execute(
        f"SELECT {_COMMENT_COLUMNS.format(needs=needs_answer_sql())} "
        "FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = ?",
        [comment_id],
    ).fetchone()
    return None if row is None else _comment(row)


def get_draft(db: Connection, post_id: int, parent_id: int | None) -> CommentRow | None:
    row = db.execute(
        f"SELECT {_COMMENT_COLUMNS.format(needs='0')} "
        "FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE c.post_id = ? AND c.parent_id IS ? AND c.status = 'draft' AND c.deleted_at IS NULL "
        "ORDER BY c.id DESC LIMIT 1",
        [post_id, parent_id],
    ).fetchone()
    return None if row is None else _comment(row)


def get_edit_draft(db: Connection, comment_id: int) -> str | None:
    row = db.execute("SELECT edit_draft FROM comments WHERE id = ?", [comment_id]).fetchone()
    return None if row is None else row[0]


def needs_answer(db: Connection, limit: int | None) -> list[InboxEntry]:
    sql = (
        "SELECT c.id, c.post_id, p.title, c.author, c.published, c.body "
        "FROM comments c JOIN posts p ON p.id = c.post_id "
        f"WHERE {waiting_candidate_sql()} AND p.status = 'publish' "
        f"AND ({needs_answer_sql()}) = 1 "
        "ORDER BY c.published IS NULL, c.published, c.id"
    )
    params: list[int] = []
    if limit is not None:
        sql += " LIMIT ?"
        params = [limit]
    return [InboxEntry(*row) for row in db.execute(sql, params)]


WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn what the user typed into an FTS5 query: every word, the last one as a prefix."""
    words = WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def export_rows(
    db: Connection, post_id: int | None
) -> tuple[list[Post], dict[int, list[CommentRow]]]:
    where = "" if post_id is None else "WHERE id = ?"
    params = [] if post_id is None else [post_id]
    posts = [
        _post(r)
        for r in db.execute(
            f"SELECT {_POST_COLUMNS} FROM posts {where} "
            "ORDER BY published IS NULL, published DESC, id DESC",
            params,
        )
    ]
    comments: dict[int, list[CommentRow]] = {p.id: [] for p in posts}
    cwhere = "" if post_id is None else "AND c.post_id = ?"
    for r in db.execute(
        f"SELECT {_COMMENT_COLUMNS.format(needs=needs_answer_sql())} "
        "FROM comments c JOIN posts p ON p.id = c.post_id "
        f"WHERE c.deleted_at IS NULL {cwhere} ORDER BY c.post_id, c.ord",
        params,
    ):
        comments[r[1]].append(_comment(r))
    return posts, comments


def list_blogs(db: Connection) -> list[Blog]:
    """Every blog, by title (untitled ones last), with how many episodes each holds."""
    return [
        Blog(*row)
        for row in db.execute(
            "SELECT b.id, b.key, b.kind, b.title, b.url, b.owner_name, b.owner_email, "
            "b.owner_user_id, b.owner_uri, "
            "(SELECT COUNT(*) FROM posts p WHERE p.blog_id = b.id) "
            "FROM blogs b ORDER BY b.title IS NULL, b.title COLLATE NOCASE, b.id"
        )
    ]
