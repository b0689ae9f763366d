"""The bulk write of an import on real SQLite files: search index in sync, threads, rollback."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from cmreader.errors import ImportFailed, StoreError
from cmreader.importers import load
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store


def _comment(key: str, parent: str | None = None, day: int = 1, body: str = "") -> CommentRecord:
    return CommentRecord(
        key=key,
        parent_key=parent,
        author="Zoé",
        published=f"2014-03-{day:02d}T10:00:00Z",
        body=body or f"texte {key}",
    )


def _batch(*comments: CommentRecord, key: str = "p1") -> ImportBatch:
    post = PostRecord(key=key, title="Épisode", author="Becky", published=None, body="Texte",
                      comments=comments)
    return ImportBatch(source="test", format="test", posts=(post,), owner="Becky")


def _index_rows(db: Path) -> tuple[int, int, list[str]]:
    """(comments, rows in the comment index, the index's insert trigger as stored)."""
    with sqlite3.connect(db) as conn:
        # FTS5 checks its index against the comments table: raises when they differ.
        conn.execute("INSERT INTO comments_fts (comments_fts, rank) VALUES ('integrity-check', 1)")
        comments = conn.execute("SELECT COUNT(*) FROM comments").fetchone()[0]
        indexed = conn.execute("SELECT COUNT(*) FROM comments_fts").fetchone()[0]
        trigger = [
            row[0]
            for row in conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'comments_fts_insert'"
            )
        ]
    conn.close()
    return comments, indexed, trigger


def test_imported_words_are_found_and_the_index_has_one_row_per_comment(
    tmp_path: Path, fixtures_dir: Path
) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    trigger_before = _index_rows(db)[2]
    try:
        for path in sorted((fixtures_dir / "wordpress").glob("*.xml")):
            try:
                batch = load(str(path))
            except ImportFailed:
                continue  # the fixtures hold broken files too
            store.import_batch(batch)
        store.import_batch(_batch(_comment("a", body="un mot introuvable ailleurs: zygomorphe")))
        hits = store.search("zygomorphe")
        assert [hit.comment_id for hit in hits if hit.comment_id is not None]
    finally:
        store.close()
    comments, indexed, trigger = _index_rows(db)
    assert comments > 10
    assert indexed == comments
    assert trigger == trigger_before and len(trigger) == 1


def test_reimport_adds_nothing_to_the_index(tmp_path: Path, fixtures_dir: Path) -> None:
    db = tmp_path / "store.db"
    path = str(fixtures_dir / "wordpress" / "themeunittestdata.wordpress.xml")
    store = Store.open(db)
    try:
        first = store.import_batch(load(path))
        before = _index_rows(db)
        again = store.import_batch(load(path))
    finally:
        store.close()
    assert first.comments_added > 0
    assert again.comments_added == 0 and again.posts_added == 0
    assert _index_rows(db) == before


def test_comments_added_to_a_stored_thread_are_threaded_and_indexed(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    try:
        store.import_batch(_batch(_comment("a", day=1), _comment("b", "a", day=3)))
        # A new reply to a, older than b, goes before it; a reply whose parent comes later in
        # the file still finds it; a loop in bad data is cut, not lost.
        store.import_batch(
            _batch(
                _comment("a", day=1),
                _comment("b", "a", day=3),
                _comment("c", "a", day=2, body="réponse tardive quokka"),
                _comment("d", "e", day=5),
                _comment("e", day=4),
                _comment("x", "y", day=6),
                _comment("y", "x", day=7),
            )
        )
        post = store.list_posts()[0]
        rows = store.comment_rows(post.id)
        assert [hit.author for hit in store.search("quokka") if hit.comment_id] == ["Zoé"]
    finally:
        store.close()
    order = [(row.key, row.depth) for row in rows]
    assert order == [("a", 0), ("c", 1), ("b", 1), ("e", 0), ("d", 1), ("x", 0), ("y", 1)]
    comments, indexed, trigger = _index_rows(db)
    assert comments == indexed == 7 and len(trigger) == 1


def test_a_failed_import_leaves_the_index_and_its_trigger_as_they_were(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    try:
        store.import_batch(_batch(_comment("a"), key="p1"))
        before = _index_rows(db)
        # The same comment key under another post: the unique key refuses the whole file.
        with pytest.raises(StoreError):
            store.import_batch(_batch(_comment("b"), _comment("a"), key="p2"))
        assert [p.title for p in store.list_posts()] == ["Épisode"]
        store.send_reply(store.list_posts()[0].id, None, "une réponse locale ornithorynque")
        assert [hit.comment_id for hit in store.search("ornithorynque") if hit.comment_id]
    finally:
        store.close()
    assert _index_rows(db)[1:] == (before[1] + 1, before[2])


def _comment_indexes(db: Path) -> list[tuple[str, str]]:
    """The comments table's indexes as the schema stores them, and SQLite's check of them."""
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' "
            "ORDER BY name"
        ).fetchall()


def _dropped_indexes(store: Store) -> list[str]:
    """The statements of the next calls on store that drop an index, as SQLite runs them."""
    seen: list[str] = []
    store.db.set_trace_callback(
        lambda sql: seen.append(sql) if sql.lstrip().upper().startswith("DROP INDEX") else None
    )
    return seen


def test_a_first_import_builds_the_indexes_again_exactly_as_the_schema_has_them(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.db"
    Store.open(db).close()
    schema = _comment_indexes(db)
    store = Store.open(db)
    try:
        dropped = _dropped_indexes(store)
        store.import_batch(_batch(*(_comment(f"k{n}", f"k{n - 1}" if n % 3 else None)
                                    for n in range(40))))
        waiting = store.inbox_count()
    finally:
        store.close()
    # Many rows into an empty table: the secondary indexes were dropped and built once.
    assert len(dropped) == len(schema) - 2  # all but the thread's and the keys' own
    assert _comment_indexes(db) == schema
    with closing(sqlite3.connect(db)) as conn:
        # A rebuilt partial index answers when asked for by name.
        assert conn.execute(
            "SELECT COUNT(*) FROM comments INDEXED BY comments_waiting WHERE by_owner = 0 AND "
            "status = 'approved' AND deleted_at IS NULL AND type = 'comment' AND published > ''"
        ).fetchone()[0] == 40
    assert waiting == 40


def test_a_small_import_into_a_bigger_store_keeps_its_indexes(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    try:
        store.import_batch(_batch(*(_comment(f"k{n}") for n in range(30))))
        dropped = _dropped_indexes(store)
        store.import_batch(_batch(_comment("new", "k3"), key="p2"))
    finally:
        store.close()
    assert dropped == []
    assert len(_comment_indexes(db)) > 2


def test_a_failed_first_import_leaves_every_index_in_place(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    Store.open(db).close()
    schema = _comment_indexes(db)
    store = Store.open(db)
    try:
        # The same key under two posts: refused at the second post's insert, after the drops.
        first = PostRecord(key="p1", title="Un", author="Becky", published=None, body="",
                           comments=tuple(_comment(f"k{n}") for n in range(20)))
        second = PostRecord(key="p2", title="Deux", author="Becky", published=None, body="",
                            comments=(_comment("k1"),))
        with pytest.raises(StoreError):
            store.import_batch(ImportBatch(source="t", format="t", posts=(first, second)))
    finally:
        store.close()
    assert _comment_indexes(db) == schema
