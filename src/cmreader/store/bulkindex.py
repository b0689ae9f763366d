"""Indexing for a bulk write: search and secondary indexes brought up to date once, at its end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from sqlite3 import Connection

_TRIGGER = "comments_fts_insert"
# What the bulk writes read while they run: a post's stored comments, by (post_id, ord). The
# keys' UNIQUE index is SQLite's own (no sql of its own) and is never dropped.
_KEPT_INDEXES = ("comments_thread",)


@contextmanager
def comments_indexed_at_end(db: Connection, adding: int = 0) -> Iterator[None]:
    """Comments inserted inside the block are added to the search index when it ends.

    The insert trigger costs about ten times what one INSERT ... SELECT does for the same
    rows, so the block runs without it and the trigger is put back as it was stored. When the
    block adds more comments (`adding`, an estimate) than the store holds, the secondary
    indexes are dropped too and built again at the end: sorting the rows once costs half of
    keeping nine indexes up to date row by row (a first import), while on a big store a few
    new rows are cheaper to index one by one. It all happens in the caller's transaction: a
    failure rolls the trigger and the indexes back with everything else. Inside the block,
    comments may be inserted but not deleted or edited, and read by post only.
    """
    if not db.in_transaction:
        raise RuntimeError("comments_indexed_at_end needs an open transaction")
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [_TRIGGER]
    ).fetchone()
    last = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM comments").fetchone()[0])
    indexes: list[tuple[str, str]] = []
    if adding > last:
        kept = ", ".join("?" * len(_KEPT_INDEXES))
        indexes = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' "
            f"AND sql IS NOT NULL AND name NOT IN ({kept}) ORDER BY name",
            _KEPT_INDEXES,
        ).fetchall()
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    if row is not None:
        db.execute(f"DROP TRIGGER {_TRIGGER}")
    yield
    for _name, sql in indexes:
        db.execute(sql)
    if row is None:  # a store without the search trigger keeps no search index to fill
        return
    db.execute(
        "INSERT INTO comments_fts (rowid, body, author) "
        "SELECT id, body, author FROM comments WHERE id > ? ORDER BY id",
        [last],
    )
    db.execute(row[0])
