"""The lists read a page at a time: inbox, moderation queue and search, with their counts.

A page costs the same with 30,000 entries as with 20: each is read in an index's order and
stops at its last row, and the counts come from the posts' cached counts where they can.
"""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.store.answers import needs_answer_sql, waiting_candidate_sql
from cmreader.store.excerpts import excerpt
from cmreader.store.models import InboxEntry, SearchHit
from cmreader.store.queries import WORD, fts_query
from cmreader.store.statuses import SHOWN, sql_in

_ENTRY = (
    "SELECT c.id, c.post_id, p.title, c.author, c.published, c.body, c.status, p.blog_id, "
    "b.title, c.key FROM comments c JOIN posts p ON p.id = c.post_id "
    "LEFT JOIN blogs b ON b.id = p.blog_id "
)


def _narrowed(blog_id: int | None, text: str | None) -> tuple[str, list[object]]:
    """The WHERE terms (and their values) that narrow a list to a blog and to a text."""
    sql, params = "", list[object]()
    if blog_id is not None:
        sql += " AND p.blog_id = ?"
        params.append(blog_id)
    query = fts_query(text or "")
    if query is not None:
        sql += " AND c.id IN (SELECT rowid FROM comments_fts WHERE comments_fts MATCH ?)"
        params.append(query)
    return sql, params


def _waiting_where(blog_id: int | None, text: str | None) -> tuple[str, list[object]]:
    narrowed, params = _narrowed(blog_id, text)
    return (
        f"WHERE {waiting_candidate_sql()} AND p.status = 'publish' "
        f"AND ({needs_answer_sql()}) = 1{narrowed}",
        params,
    )


def inbox_page(
    db: Connection, offset: int, limit: int, blog_id: int | None, newest_first: bool,
    text: str | None,
) -> list[InboxEntry]:
    where, params = _waiting_where(blog_id, text)
    order = "DESC" if newest_first else "ASC"
    # In the comments_waiting index's order (published, then rowid): the page's rows, then
    # it stops. (Undated comments, which exports hardly have, come first when oldest first.)
    sql = f"{_ENTRY}{where} ORDER BY c.published {order}, c.id {order} LIMIT ? OFFSET ?"
    return [InboxEntry(*row) for row in db.execute(sql, [*params, limit, offset])]


def inbox_count(db: Connection, blog_id: int | None, text: str | None) -> int:
    if not (text and fts_query(text)):
        # The posts keep their count of waiting comments: a sum over episodes, not comments.
        where = "WHERE status = 'publish'" + ("" if blog_id is None else " AND blog_id = ?")
        row = db.execute(f"SELECT COALESCE(SUM(waiting_count), 0) FROM posts {where}",
                         [] if blog_id is None else [blog_id]).fetchone()
        return int(row[0])
    where, params = _waiting_where(blog_id, text)
    row = db.execute(
        f"SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id {where}", params
    ).fetchone()
    return int(row[0])


def queue_page(db: Connection, offset: int, limit: int, blog_id: int | None) -> list[InboxEntry]:
    narrowed, params = _narrowed(blog_id, None)
    sql = (
        f"{_ENTRY}"
        f"WHERE c.status = 'pending' AND c.deleted_at IS NULL{narrowed} "
        "ORDER BY c.published, c.id LIMIT ? OFFSET ?"
    )
    return [InboxEntry(*row) for row in db.execute(sql, [*params, limit, offset])]


def queue_count(db: Connection, blog_id: int | None) -> int:
    where = "" if blog_id is None else "WHERE blog_id = ?"
    row = db.execute(f"SELECT COALESCE(SUM(pending_count), 0) FROM posts {where}",
                     [] if blog_id is None else [blog_id]).fetchone()
    return int(row[0])


def search_page(
    db: Connection, text: str, offset: int, limit: int, blog_id: int | None
) -> list[SearchHit]:
    """Episodes whose title matches first, then everything else by relevance (bm25)."""
    query = fts_query(text)
    if query is None:
        return []
    words = WORD.findall(text)
    wanted = offset + limit
    blog = "" if blog_id is None else " AND p.blog_id = ?"
    blog_params: list[object] = [] if blog_id is None else [blog_id]
    ranked: list[tuple[int, float, int, SearchHit]] = []
    title_query = f"title : ({query})"
    for n, (rank, in_title, post_id, title, body, post_blog, blog_title) in enumerate(db.execute(
        "SELECT bm25(posts_fts, 10.0, 1.0), "
        "posts_fts.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?), "
        "p.id, p.title, p.body, p.blog_id, b.title "
        "FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid "
        "LEFT JOIN blogs b ON b.id = p.blog_id "
        f"WHERE posts_fts MATCH ?{blog} ORDER BY 2 DESC, 1 LIMIT ?",
        [title_query, query, *blog_params, wanted],
    )):
        hit = SearchHit(post_id, None, title, None, excerpt(body, words), post_blog, blog_title)
        ranked.append((0 if in_title else 1, rank, n, hit))
    for n, (rank, comment_id, post_id, title, author, body, post_blog, blog_title) in enumerate(
        db.execute(
            "SELECT bm25(comments_fts), c.id, c.post_id, p.title, c.author, c.body, p.blog_id, "
            "b.title FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid "
            "JOIN posts p ON p.id = c.post_id LEFT JOIN blogs b ON b.id = p.blog_id "
            f"WHERE comments_fts MATCH ? AND c.deleted_at IS NULL AND c.status IN {sql_in(SHOWN)}"
            f"{blog} ORDER BY rank LIMIT ?",
            [query, *blog_params, wanted],
        )
    ):
        hit = SearchHit(post_id, comment_id, title, author, excerpt(body, words), post_blog,
                        blog_title)
        ranked.append((1, rank, len(ranked) + n, hit))
    ranked.sort(key=lambda entry: entry[:3])
    return [hit for *_, hit in ranked[offset:wanted]]


def search_count(db: Connection, text: str, blog_id: int | None) -> int:
    query = fts_query(text)
    if query is None:
        return 0
    blog = "" if blog_id is None else " AND p.blog_id = ?"
    params: list[object] = [query] if blog_id is None else [query, blog_id]
    posts = db.execute(
        "SELECT COUNT(*) FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid "
        f"WHERE posts_fts MATCH ?{blog}", params,
    ).fetchone()[0]
    comments = db.execute(
        "SELECT COUNT(*) FROM comments_fts JOIN comments c ON c.id = comments_fts.rowid "
        "JOIN posts p ON p.id = c.post_id "
        f"WHERE comments_fts MATCH ? AND c.deleted_at IS NULL AND c.status IN {sql_in(SHOWN)}"
        f"{blog}", params,
    ).fetchone()[0]
    return int(posts) + int(comments)
