"""The desk's long lists a page at a time: the inbox, the moderation queue, the episodes.

Each page is read in index order and stops at its last row, and each count is read from the
totals the store keeps: a page costs the same with 30,000 entries as with 20. An OFFSET still
steps over the rows before the page, so a page deep in a list costs what it skips.
"""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.store.answers import (
    needs_answer_sql,
    pending_sql,
    visible_sql,
    waiting_candidate_sql,
)
from cmreader.store.models import InboxEntry, PostSummary
from cmreader.store.search import fts_query

# Past this many comments matching the inbox's text, the page is read in inbox order and each
# comment looked up among the matches; below it, the matches are read and only they are sorted
# (a rare word would otherwise walk the whole inbox to fill a page).
FEW_MATCHES = 2_000

# The undated last in both directions; each order is one index read forwards (m004).
_OLDEST = ("comments_inbox", "c.published IS NULL, c.published, c.id")
_NEWEST = ("comments_waiting", "c.published DESC, c.id DESC")

# CROSS JOIN keeps the comments as the outer loop: with a blog to filter on, SQLite would
# otherwise start from that blog's posts and sort all their comments for one page.
_ENTRY = (
    "SELECT c.id, c.post_id, p.title, c.author, c.published, c.body, c.status, p.blog_id, "
    "b.title, c.key "
    "FROM comments c {index} CROSS JOIN posts p ON p.id = c.post_id "
    "LEFT JOIN blogs b ON b.id = p.blog_id "
)


def _entries(db: Connection, sql: str, params: list[object]) -> list[InboxEntry]:
    return [InboxEntry(*row) for row in db.execute(sql, params)]


def _inbox_where(
    db: Connection, blog_id: int | None, text: str | None
) -> tuple[list[str], list[object], bool] | None:
    """(conditions, parameters, whether to read the text's matches first) of the inbox; None
    when the text cannot match anything."""
    where = [waiting_candidate_sql(), "p.status = 'publish'", f"({needs_answer_sql()}) = 1"]
    params: list[object] = []
    by_matches = False
    if blog_id is not None:
        where.append("p.blog_id = ?")
        params.append(blog_id)
    if text is not None and text.strip():
        query = fts_query(text)
        if query is None:
            return None
        where.append("c.id IN (SELECT rowid FROM comments_fts WHERE comments_fts MATCH ?)")
        params.append(query)
        by_matches = not _matches_more_than(db, query, FEW_MATCHES)
    return where, params, by_matches


def _matches_more_than(db: Connection, query: str, n: int) -> bool:
    row = db.execute(
        "SELECT COUNT(*) FROM (SELECT 1 FROM comments_fts WHERE comments_fts MATCH ? LIMIT ?)",
        [query, n + 1],
    ).fetchone()
    return int(row[0]) > n


def inbox_page(
    db: Connection,
    *,
    offset: int,
    limit: int,
    blog_id: int | None,
    newest_first: bool,
    text: str | None,
) -> list[InboxEntry]:
    """Comments waiting for an answer, oldest first (or newest), undated last; limit -1: all."""
    found = _inbox_where(db, blog_id, text)
    if found is None:
        return []
    where, params, by_matches = found
    index, order = _NEWEST if newest_first else _OLDEST
    # A text of few matches: they are the outer loop, and only they are sorted.
    hint = "" if by_matches else f"INDEXED BY {index}"
    sql = (
        _ENTRY.format(index=hint)
        + f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return _entries(db, sql, [*params, limit, offset])


def inbox_count(db: Connection, *, blog_id: int | None, text: str | None) -> int:
    """How many comments wait for an answer (with the text: of those matching it)."""
    if text is None or not text.strip():
        return _total(db, "waiting_count", blog_id)
    found = _inbox_where(db, blog_id, text)
    if found is None:
        return 0
    where, params, _ = found
    sql = (
        "SELECT COUNT(*) FROM comments c CROSS JOIN posts p ON p.id = c.post_id "
        f"WHERE {' AND '.join(where)}"
    )
    return int(db.execute(sql, params).fetchone()[0])


def queue_page(
    db: Connection, *, offset: int, limit: int, blog_id: int | None
) -> list[InboxEntry]:
    """Comments held for moderation across blogs, oldest first, undated last."""
    blog = "" if blog_id is None else "AND p.blog_id = ? "
    sql = (
        _ENTRY.format(index="INDEXED BY comments_queue")
        + f"WHERE {pending_sql()} {blog}"
        + "ORDER BY c.published IS NULL, c.published, c.id LIMIT ? OFFSET ?"
    )
    params: list[object] = [] if blog_id is None else [blog_id]
    return _entries(db, sql, [*params, limit, offset])


def queue_count(db: Connection, *, blog_id: int | None) -> int:
    return _total(db, "pending_count", blog_id)


def list_posts(
    db: Connection, limit: int | None, offset: int, blog_id: int | None = None
) -> list[PostSummary]:
    """Episodes newest first (undated last), read in the order of posts_order or, for one
    blog, posts_blog_order."""
    where = "" if blog_id is None else "WHERE blog_id = ? "
    sql = (
        "SELECT id, key, title, published, kind, comment_count, waiting_count, "
        "(visited_at IS NULL OR last_comment_added_at > visited_at), "
        "CASE WHEN visited_at IS NULL THEN 0 ELSE (SELECT COUNT(*) FROM comments c "
        f"  WHERE c.post_id = posts.id AND c.added_at > posts.visited_at AND {visible_sql()} "
        "  AND c.origin != 'local') END, "  # your own reply is never new to you
        "status, blog_id, pending_count, "
        # One seek in comments_post_drafts: the list marks the episodes you began a reply on.
        "EXISTS (SELECT 1 FROM comments d INDEXED BY comments_post_drafts "
        "  WHERE d.post_id = posts.id AND d.status = 'draft' AND d.deleted_at IS NULL) "
        f"FROM posts {where}"
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
            has_draft=bool(r[12]),
        )
        for r in db.execute(sql, params)
    ]


def post_count(db: Connection, *, blog_id: int | None) -> int:
    return _total(db, "post_count", blog_id)


def _total(db: Connection, column: str, blog_id: int | None) -> int:
    """A blog's total (None: every blog's) as the m004 triggers keep it on blogs; a post with
    no blog (none is made so, but the column allows it) is counted from posts."""
    if blog_id is not None:
        row = db.execute(f"SELECT {column} FROM blogs WHERE id = ?", [blog_id]).fetchone()
        return 0 if row is None else int(row[0])
    own = "COUNT(*)" if column == "post_count" else f"SUM({column})"
    row = db.execute(
        f"SELECT (SELECT COALESCE(SUM({column}), 0) FROM blogs) + "
        f"(SELECT COALESCE({own}, 0) FROM posts WHERE blog_id IS NULL)"
    ).fetchone()
    return int(row[0])


# The episode list's order as ranges of posts_order: the dated, newest first, then the undated;
# the highest id first among posts of the same date. Each range names the index's first column
# as it is written there, so it is read by a seek; the undated say `published IS NULL` again
# for the second column, so that id is a range too.
_DATED = "(published IS NULL) = 0"
_UNDATED = "(published IS NULL) = 1 AND published IS NULL"
_DOWN = "published DESC, id DESC"  # the list's order within a range
_UP = "published, id"  # the same, read backwards

_Range = tuple[str, list[object], str]  # where, its parameters, order


def _post_key(db: Connection, post_id: int | None) -> tuple[str | None, int | None] | None:
    """(published, blog_id) of a post, None when there is no such post."""
    if post_id is None:
        return None
    row = db.execute("SELECT published, blog_id FROM posts WHERE id = ?", [post_id]).fetchone()
    return None if row is None else (row[0], row[1])


def post_position(db: Connection, post_id: int, *, blog_id: int | None) -> int | None:
    """How many posts come before this one in list_posts' order (of blog_id's, if given);
    None when it is not in that list. Counted in the index, never read from the table."""
    key = _post_key(db, post_id)
    if key is None or (blog_id is not None and key[1] != blog_id):
        return None
    published = key[0]
    before: list[tuple[str, list[object]]] = (
        [(_DATED, []), (f"{_UNDATED} AND id > ?", [post_id])] if published is None
        else [(f"{_DATED} AND (published, id) > (?, ?)", [published, post_id])]
    )
    blog, blog_params = ("", []) if blog_id is None else ("blog_id = ? AND ", [blog_id])
    counts = " + ".join(f"(SELECT COUNT(*) FROM posts WHERE {blog}{where})" for where, _ in before)
    params = [p for _, values in before for p in [*blog_params, *values]]
    return int(db.execute(f"SELECT {counts}", params).fetchone()[0])


def _ranges_after(published: str | None, post_id: int, forward: bool) -> list[_Range]:
    """The parts of the list after the post (before it, backwards), nearest first."""
    if published is None:
        if forward:
            return [(f"{_UNDATED} AND id < ?", [post_id], _DOWN)]
        return [(f"{_UNDATED} AND id > ?", [post_id], _UP), (_DATED, [], _UP)]
    if forward:
        return [(f"{_DATED} AND (published, id) < (?, ?)", [published, post_id], _DOWN),
                (_UNDATED, [], _DOWN)]
    return [(f"{_DATED} AND (published, id) > (?, ?)", [published, post_id], _UP)]


def _whole_list(forward: bool) -> list[_Range]:
    """Every part of the list, from its top (from its end, backwards)."""
    if forward:
        return [(_DATED, [], _DOWN), (_UNDATED, [], _DOWN)]
    return [(_UNDATED, [], _UP), (_DATED, [], _UP)]


def next_waiting_post(
    db: Connection, after_post_id: int | None, *, forward: bool, blog_id: int | None
) -> int | None:
    """The next other post in list_posts' order (of blog_id's, if given), round the end,
    with a comment waiting for an answer; from the top (the end, backwards) when
    after_post_id is None or gone. Each range read is one seek in posts_waiting_order (or
    posts_blog_waiting_order), which holds only the posts where something waits."""
    key = _post_key(db, after_post_id)
    ranges = [] if key is None or after_post_id is None else _ranges_after(
        key[0], after_post_id, forward)
    # Named, so that no other plan can walk posts_order instead, which reads every post on
    # the way whether anything waits there or not.
    index, blog, blog_params = ("posts_waiting_order", "", []) if blog_id is None else (
        "posts_blog_waiting_order", "AND blog_id = ? ", [blog_id])
    for where, params, order in ranges + _whole_list(forward):
        row = db.execute(
            f"SELECT id FROM posts INDEXED BY {index} WHERE waiting_count > 0 {blog}AND {where} "
            f"ORDER BY {order} LIMIT 1",
            [*blog_params, *params],
        ).fetchone()
        if row is not None:
            # From the top again, the first found may be the post itself: nothing else waits.
            return None if row[0] == after_post_id else int(row[0])
    return None
