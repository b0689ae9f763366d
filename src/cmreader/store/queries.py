"""Read-only queries of the store, each returning frozen models."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.answers import needs_answer_sql
from cmreader.store.models import Blog, CommentRow, Post
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
    "CASE WHEN c.type = 'comment' THEN NULL ELSE c.author_url END, c.sync_state, c.sync_note"
)


def _comment(row: tuple) -> CommentRow:
    return CommentRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                      bool(row[9]), bool(row[10]), bool(row[11]), row[12], row[13], row[14],
                      row[15], row[16], row[17])


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
    """Every blog, by title (untitled ones last), with its totals (kept by m004's triggers)."""
    return [
        Blog(*row)
        for row in db.execute(
            "SELECT b.id, b.key, b.kind, b.title, b.url, b.owner_name, b.owner_email, "
            "b.owner_user_id, b.owner_uri, b.post_count, b.waiting_count, b.pending_count "
            "FROM blogs b ORDER BY b.title IS NULL, b.title COLLATE NOCASE, b.id"
        )
    ]
