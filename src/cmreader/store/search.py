"""Search over episodes and comments, best first, a page at a time, with its real count.

Relevance order needs every match scored (bm25), so a page costs what the matches of its words
cost, not what the store holds; only the page's rows are then read and given an excerpt.
"""

from __future__ import annotations

import re
from sqlite3 import Connection

from cmreader.store.excerpts import excerpt
from cmreader.store.models import SearchHit
from cmreader.store.statuses import SHOWN, sql_in

_WORD = re.compile(r"\w+", re.UNICODE)

# A word in an episode's title weighs ten times a word in a body: "modération" in a title beats
# a passing mention in a comment.
_POST_RANK = "bm25(posts_fts, 10.0, 1.0)"
_COMMENT_RANK = "bm25(comments_fts)"
_SHOWN_COMMENT = f"c.deleted_at IS NULL AND c.status IN {sql_in(SHOWN)}"


def fts_query(text: str) -> str | None:
    """Turn what the user typed into an FTS5 query: every word, the last one as a prefix."""
    words = _WORD.findall(text)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _arms(blog_id: int | None) -> tuple[str, str]:
    """The FROM ... WHERE of the episodes' and the comments' matches (as :q, :blog).

    CROSS JOIN keeps the index's matches as the outer loop: for one blog SQLite would otherwise
    walk every episode of the blog and look each one up in the index.
    """
    if blog_id is None:
        posts = "FROM posts_fts WHERE posts_fts MATCH :q"
    else:
        posts = (
            "FROM posts_fts CROSS JOIN posts p ON p.id = posts_fts.rowid "
            "WHERE posts_fts MATCH :q AND p.blog_id = :blog"
        )
    comments = (
        "FROM comments_fts CROSS JOIN comments c ON c.id = comments_fts.rowid "
        + ("" if blog_id is None else "CROSS JOIN posts p ON p.id = c.post_id ")
        + f"WHERE comments_fts MATCH :q AND {_SHOWN_COMMENT}"
        + ("" if blog_id is None else " AND p.blog_id = :blog")
    )
    return posts, comments


def search_page(
    db: Connection, text: str, *, offset: int, limit: int, blog_id: int | None
) -> list[SearchHit]:
    """One page of the matches of every word of text (the last as a prefix), best first;
    an episode before a comment at equal relevance."""
    query = fts_query(text)
    if query is None:
        return []
    posts, comments = _arms(blog_id)
    # Only (kind, score, id) goes through the sort: the texts are read for the page alone.
    ranked = db.execute(
        f"SELECT 0 AS kind, {_POST_RANK} AS score, posts_fts.rowid AS id {posts} "
        f"UNION ALL SELECT 1, {_COMMENT_RANK}, c.id {comments} "
        "ORDER BY score, kind, id LIMIT :limit OFFSET :offset",
        {"q": query, "blog": blog_id, "limit": limit, "offset": offset},
    ).fetchall()
    words = _WORD.findall(text)
    found = _posts(db, [r[2] for r in ranked if r[0] == 0], words)
    found.update(_comments(db, [r[2] for r in ranked if r[0] == 1], words))
    return [found[(kind, id_)] for kind, _, id_ in ranked]


def search_count(db: Connection, text: str, *, blog_id: int | None) -> int:
    """How many episodes and comments search_page pages through."""
    query = fts_query(text)
    if query is None:
        return 0
    posts, comments = _arms(blog_id)
    row = db.execute(
        f"SELECT (SELECT COUNT(*) {posts}) + (SELECT COUNT(*) {comments})",
        {"q": query, "blog": blog_id},
    ).fetchone()
    return int(row[0])


def _marks(ids: list[int]) -> str:
    return ",".join("?" * len(ids))


def _posts(db: Connection, ids: list[int], words: list[str]) -> dict[tuple[int, int], SearchHit]:
    if not ids:
        return {}
    return {
        (0, post_id): SearchHit(post_id, None, title, None, excerpt(body, words), blog, blog_title)
        for post_id, title, body, blog, blog_title in db.execute(
            "SELECT p.id, p.title, p.body, p.blog_id, b.title "
            "FROM posts p LEFT JOIN blogs b ON b.id = p.blog_id "
            f"WHERE p.id IN ({_marks(ids)})",
            ids,
        )
    }


def _comments(
    db: Connection, ids: list[int], words: list[str]
) -> dict[tuple[int, int], SearchHit]:
    if not ids:
        return {}
    return {
        (1, comment_id): SearchHit(
            post_id, comment_id, title, author, excerpt(body, words), blog, blog_title
        )
        for comment_id, post_id, title, author, body, blog, blog_title in db.execute(
            "SELECT c.id, c.post_id, p.title, c.author, c.body, p.blog_id, b.title "
            "FROM comments c JOIN posts p ON p.id = c.post_id "
            "LEFT JOIN blogs b ON b.id = p.blog_id "
            f"WHERE c.id IN ({_marks(ids)})",
            ids,
        )
    }
