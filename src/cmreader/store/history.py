"""A commenter's history: every comment by the same person, across episodes and blogs.

The person is the comment's author_key (store/author_keys.py, m008 then m009): the same
user id on the same blog (ids are each site's own), else the same e-mail, the same Blogger
profile, else the same name on the same blog. Each read is one range of the comments_author
index, so its cost is the commenter's comments, never the store's.
"""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.errors import StoreError
from cmreader.store.models import Commenter, HistoryEntry

# Answered: an owner's comment stands below it, or it was marked so by hand; NULL for what
# never waits (the owner's own, pingbacks and trackbacks, and what is not approved).
_ANSWERED = """
CASE
  WHEN c.by_owner = 1 OR c.type != 'comment' OR c.status != 'approved' THEN NULL
  WHEN c.answer_mark = 'answered' THEN 1
  WHEN c.answer_mark = 'open' THEN 0
  WHEN EXISTS (
    SELECT 1 FROM comments o INDEXED BY comments_owner_answers
    WHERE o.post_id = c.post_id AND o.ord > c.ord AND o.ord <= c.end_ord
      AND o.by_owner = 1 AND o.status = 'approved' AND o.deleted_at IS NULL
  ) THEN 1
  ELSE 0
END
"""

_WRITTEN = "c.author_key = ? AND c.deleted_at IS NULL AND c.status != 'draft'"


def author_key(db: Connection, comment_id: int) -> str:
    row = db.execute("SELECT author_key FROM comments WHERE id = ?", [comment_id]).fetchone()
    if row is None:
        raise StoreError(f"no comment {comment_id}")
    if row[0] is None:
        raise StoreError("this comment names no author: it has no history")
    return str(row[0])


def history_page(db: Connection, key: str, *, offset: int, limit: int) -> list[HistoryEntry]:
    """The commenter's comments newest first (undated last), with status and answer."""
    sql = (
        f"SELECT c.id, c.post_id, p.title, c.author, c.published, c.body, c.status, "
        f"{_ANSWERED}, p.blog_id, b.title, c.key "
        "FROM comments c INDEXED BY comments_author CROSS JOIN posts p ON p.id = c.post_id "
        "LEFT JOIN blogs b ON b.id = p.blog_id "
        f"WHERE {_WRITTEN} ORDER BY c.published DESC, c.id DESC LIMIT ? OFFSET ?"
    )
    return [
        HistoryEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                     None if r[7] is None else bool(r[7]), r[8], r[9], r[10])
        for r in db.execute(sql, [key, limit, offset])
    ]


def history_count(db: Connection, key: str) -> int:
    sql = f"SELECT COUNT(*) FROM comments c INDEXED BY comments_author WHERE {_WRITTEN}"
    return int(db.execute(sql, [key]).fetchone()[0])


def commenter(db: Connection, key: str) -> Commenter:
    """When they first came, and how many they wrote, had answered and had marked spam."""
    row = db.execute(
        "SELECT COUNT(*), MIN(c.published), COALESCE(SUM(answered), 0), "
        "COALESCE(SUM(c.status = 'spam'), 0), COUNT(DISTINCT c.post_id), "
        "COUNT(DISTINCT p.blog_id), "
        "(SELECT c2.author FROM comments c2 INDEXED BY comments_author "
        " WHERE c2.author_key = ? ORDER BY c2.published DESC, c2.id DESC LIMIT 1) "
        f"FROM (SELECT c.*, {_ANSWERED} AS answered FROM comments c INDEXED BY comments_author "
        f"      WHERE {_WRITTEN}) c CROSS JOIN posts p ON p.id = c.post_id",
        [key, key],
    ).fetchone()
    total, first, answered, spam, episodes, blogs, name = row
    return Commenter(key, name, first, int(total), int(answered), int(spam), int(episodes),
                     int(blogs))
