"""What "needs an answer" means, as SQL the other store modules share."""

from __future__ import annotations

from sqlite3 import Connection

from cmreader.store.statuses import SHOWN, sql_in

# A comment visible in a thread: drafts are shown only in the composer, deleted ones nowhere.
VISIBLE = "{c}.deleted_at IS NULL AND {c}.status != 'draft'"

# An approved comment (not a pingback or trackback) from someone else, on a published post,
# with no approved owner's comment anywhere below it, unless marked by hand. The post's status
# is read from the row the caller joins ({p}); the subtree test is one seek in the
# comments_owner_answers index.
NEEDS_ANSWER = """
CASE
  WHEN {c}.deleted_at IS NOT NULL OR {c}.status != 'approved' OR {c}.by_owner = 1 THEN 0
  WHEN {c}.type != 'comment' OR {p}.status != 'publish' THEN 0
  WHEN {c}.answer_mark = 'answered' THEN 0
  WHEN {c}.answer_mark = 'open' THEN 1
  WHEN EXISTS (
    SELECT 1 FROM comments o INDEXED BY comments_owner_answers
    WHERE o.post_id = {c}.post_id AND o.ord > {c}.ord AND o.ord <= {c}.end_ord
      AND o.by_owner = 1 AND o.status = 'approved' AND o.deleted_at IS NULL
  ) THEN 0
  ELSE 1
END
"""


# The cheap part of the test, in the terms of the comments_waiting partial index: a query
# that lists waiting comments puts it in its WHERE so SQLite reads that index.
WAITING_CANDIDATE = (
    "{c}.deleted_at IS NULL AND {c}.status = 'approved' AND {c}.by_owner = 0 "
    "AND {c}.type = 'comment'"
)


# Held for moderation: what the queue lists and posts.pending_count counts.
PENDING = "{c}.status = 'pending' AND {c}.deleted_at IS NULL"


def needs_answer_sql(alias: str = "c", post: str = "p") -> str:
    """The needs-an-answer expression for the comments table under `alias`, its post's row
    joined as `post`."""
    return NEEDS_ANSWER.format(c=alias, p=post)


def waiting_candidate_sql(alias: str = "c") -> str:
    """The indexed pre-filter of needs-an-answer (necessary, not sufficient)."""
    return WAITING_CANDIDATE.format(c=alias)


def pending_sql(alias: str = "c") -> str:
    """The condition for a comment held for moderation (any type), in comments_queue's terms."""
    return PENDING.format(c=alias)


def visible_sql(alias: str = "c") -> str:
    """The condition for a comment that shows in its thread (spam and trash included)."""
    return VISIBLE.format(c=alias)


def refresh_post_counts(db: Connection, post_ids: list[int] | None = None) -> None:
    """Recompute the cached counts of the episode list for some posts (None: all); the blogs'
    totals follow them by trigger (m004)."""
    where = ""
    params: list[int] = []
    if post_ids is not None:
        if not post_ids:
            return
        where = f"WHERE id IN ({','.join('?' * len(post_ids))})"
        params = list(post_ids)
    db.execute(
        f"""
        UPDATE posts SET
          comment_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id
                           AND {visible_sql()} AND c.status IN {sql_in(SHOWN)}),
          waiting_count = (SELECT COALESCE(SUM({needs_answer_sql(post="posts")}), 0)
                           FROM comments c
                           WHERE c.post_id = posts.id AND {waiting_candidate_sql()}),
          pending_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id
                           AND {pending_sql()}),
          last_comment_added_at = (SELECT MAX(c.added_at) FROM comments c
                                   WHERE c.post_id = posts.id AND {visible_sql()}
                                   AND c.origin != 'local')
        {where}
        """,
        params,
    )
