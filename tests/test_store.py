"""The store on real SQLite files: threads, answers, drafts, replies, search, safety."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cmreader.errors import StoreError
from cmreader.importers.pagedump import parse_pagedump
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store


def _batch(*comments: CommentRecord, key: str = "p1", published: str = "2014-03-10T08:30:00Z"):
    post = PostRecord(
        key=key,
        title="Épisode",
        author="Becky",
        published=published,
        body="Texte",
        comments=comments,
    )
    return ImportBatch(source="test", format="test", posts=(post,), owner="Becky")


def _c(key, parent=None, author="Zoé", day=1, by_owner=False, status="approved", body=None):
    return CommentRecord(
        key=key,
        parent_key=parent,
        author=author,
        published=f"2014-03-{day:02d}T10:00:00Z",
        body=body or f"texte {key}",
        status=status,
        by_owner=by_owner,
    )


def _ids(store: Store, post_id: int = 1) -> list[str]:
    return [r.key for r in store.comment_rows(post_id)]


def test_sample_needs_only_the_last_question(store: Store, sample_path: Path) -> None:
    store.import_batch(parse_pagedump(str(sample_path), sample_path.read_bytes()))
    waiting = store.needs_answer()
    assert len(waiting) == 1
    assert waiting[0].body.startswith("Bonjour,")
    assert store.list_posts()[0].waiting_count == 1
    assert store.list_posts()[0].comment_count == 5


def test_thread_order_is_oldest_first_with_parents_after_children(store: Store) -> None:
    # The reply comes first in the file and its parent later: links are made after insert.
    store.import_batch(_batch(_c("r", parent="a", day=5), _c("b", day=3), _c("a", day=2)))
    rows = store.comment_rows(1)
    assert [r.key for r in rows] == ["a", "r", "b"]
    assert [r.depth for r in rows] == [0, 1, 0]


def test_orphans_stay_at_top_level_and_cycles_are_cut(store: Store) -> None:
    store.import_batch(
        _batch(_c("o", parent="missing"), _c("x", parent="y", day=2), _c("y", parent="x", day=3))
    )
    rows = store.comment_rows(1)
    assert sorted(r.key for r in rows) == ["o", "x", "y"]
    assert rows[0].key == "o" and rows[0].depth == 0


def test_second_import_adds_nothing(store: Store) -> None:
    batch = _batch(_c("a"), _c("b", parent="a", day=2))
    first = store.import_batch(batch)
    second = store.import_batch(batch)
    assert (first.posts_added, first.comments_added) == (1, 2)
    assert (second.posts_added, second.comments_added, second.comments_skipped) == (0, 0, 2)
    assert _ids(store) == ["a", "b"]


def test_new_comments_in_a_later_export_join_their_thread(store: Store) -> None:
    store.import_batch(_batch(_c("a"), _c("b", day=3)))
    store.import_batch(_batch(_c("a"), _c("b", day=3), _c("a1", parent="a", day=2)))
    assert _ids(store) == ["a", "a1", "b"]


def test_needs_answer_rules(store: Store) -> None:
    store.import_batch(
        _batch(
            _c("q1", day=1),
            _c("r1", parent="q1", author="Becky", by_owner=True, day=2),
            _c("q2", day=3),
            _c("q2a", parent="q2", author="Léo", day=4),  # someone else answered: still waits
            _c("q3", day=5),
            _c("q3a", parent="q3", author="Léo", day=6),
            _c("q3b", parent="q3a", author="Becky", by_owner=True, day=7),  # owner below: answered
            _c("sp", status="spam", day=8),
            _c("pe", status="pending", day=9),
            _c("own", author="Becky", by_owner=True, day=10),
        )
    )
    waiting = [e.comment_id for e in store.needs_answer()]
    keys = {r.id: r.key for r in store.comment_rows(1, show_hidden=True)}
    assert [keys[i] for i in waiting] == ["q2", "q2a"]


def test_a_reply_answers_and_keeps_everything_else(store: Store) -> None:
    store.import_batch(_batch(_c("q1"), _c("q2", day=2), _c("q2a", parent="q2", day=3)))
    q1 = store.comment_rows(1)[0]
    reply = store.send_reply(1, q1.id, "Merci !")
    assert reply.origin == "local" and reply.by_owner and reply.status == "approved"
    assert reply.author == "Becky"
    assert [r.key for r in store.comment_rows(1)][:2] == ["q1", reply.key]
    assert reply.depth == 1 and reply.parent_id == q1.id
    waiting = {e.comment_id for e in store.needs_answer()}
    assert q1.id not in waiting and len(waiting) == 2
    # The nested set stays consistent: a reply deep in q2's thread answers q2 and q2a.
    q2a = [r for r in store.comment_rows(1) if r.key == "q2a"][0]
    store.send_reply(1, q2a.id, "Oui")
    assert store.needs_answer() == []
    assert store.list_posts()[0].waiting_count == 0


def test_draft_is_one_row_that_becomes_the_reply(store: Store) -> None:
    store.import_batch(_batch(_c("q")))
    q = store.comment_rows(1)[0]
    first = store.save_draft(1, q.id, "Bonj")
    again = store.save_draft(1, q.id, "Bonjour à")
    assert first == again
    draft = store.get_draft(1, q.id)
    assert draft is not None and draft.body == "Bonjour à" and draft.status == "draft"
    assert [r.key for r in store.comment_rows(1)] == ["q"]  # drafts are not in the thread
    sent = store.send_reply(1, q.id, "Bonjour à vous")
    assert sent.id == first and store.get_draft(1, q.id) is None
    posts, comments = store.export_rows()
    assert [(c.body, c.status) for c in comments[1]] == [
        ("texte q", "approved"),
        ("Bonjour à vous", "approved"),
    ]


def test_draft_survives_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    s = Store.open(path)
    s.import_batch(_batch(_c("q")))
    s.save_draft(1, None, "un commentaire sur l'épisode")
    # No close: as if the process died. A second connection sees the committed draft.
    other = Store.open(path)
    draft = other.get_draft(1, None)
    assert draft is not None and draft.body == "un commentaire sur l'épisode"
    other.close()
    s.close()


def test_edit_delete_and_restore_own_reply(store: Store) -> None:
    store.import_batch(_batch(_c("q")))
    q = store.comment_rows(1)[0]
    reply = store.send_reply(1, q.id, "Mercii")
    assert store.edit_reply(reply.id, "Merci").body == "Merci"
    with pytest.raises(StoreError):
        store.edit_reply(q.id, "not mine")
    store.delete_reply(reply.id)
    assert [r.key for r in store.comment_rows(1)] == ["q"]
    assert [e.comment_id for e in store.needs_answer()] == [q.id]
    store.restore_reply(reply.id)
    assert store.needs_answer() == []


def test_mark_answered_by_hand(store: Store) -> None:
    store.import_batch(_batch(_c("q")))
    q = store.comment_rows(1)[0]
    store.mark_answered(q.id, True)
    assert store.needs_answer() == [] and store.list_posts()[0].waiting_count == 0
    store.mark_answered(q.id, None)
    assert len(store.needs_answer()) == 1


def test_search_folds_accents_and_finds_posts_and_comments(store: Store, sample_path: Path):
    store.import_batch(parse_pagedump(str(sample_path), sample_path.read_bytes()))
    hits = store.search("evolutivite")
    assert any(h.comment_id and "évolutivité" in h.snippet for h in hits)
    assert any(h.comment_id is None for h in store.search("debrouillardise"))
    assert store.search("   ") == [] and store.search('"unbalanced') == []


def test_new_since_last_visit(store: Store) -> None:
    store.import_batch(_batch(_c("a")))
    assert store.list_posts()[0].unread
    store.mark_visited(1)
    assert not store.list_posts()[0].unread
    store.import_batch(_batch(_c("a"), _c("b", day=2)))
    post = store.list_posts()[0]
    assert post.unread and post.new_count == 1
    assert [r.is_new for r in store.comment_rows(1)] == [False, True]


def test_owner_from_config_counts_as_answer(store: Store) -> None:
    store.import_batch(_batch(_c("q"), _c("a", parent="q", author="Rebecca", day=2)))
    assert len(store.needs_answer()) == 2
    store.set_owner("Rebecca")
    assert [e.author for e in store.needs_answer()] == []


def test_foreign_and_corrupt_files_are_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.db"
    text.write_text("hello")
    for path in (foreign, text):
        before = path.read_bytes()
        with pytest.raises(StoreError) as info:
            Store.open(path)
        assert str(path) in str(info.value)
        assert path.read_bytes() == before
    with pytest.raises(StoreError):
        Store.open(tmp_path / "missing.db", create=False)


def test_wal_and_busy_timeout(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_failed_import_writes_nothing(store: Store) -> None:
    store.import_batch(_batch(_c("a")))
    before = store.export_rows()
    # The second comment breaks a NOT NULL constraint after the post and one comment are in.
    broken = CommentRecord("d", None, None, None, None)  # type: ignore[arg-type]
    bad = ImportBatch(
        source="t",
        format="t",
        posts=(
            PostRecord(
                key="p2",
                title="x",
                author=None,
                published=None,
                body="",
                comments=(_c("c"), broken),
            ),
        ),
    )
    with pytest.raises(StoreError):
        store.import_batch(bad)
    assert store.export_rows() == before


def test_store_never_imports_textual() -> None:
    code = (
        "import sys, cmreader.store, cmreader.importers, cmreader.exporters.json_export, "
        "cmreader.cli; bad = [m for m in sys.modules if m.split('.')[0] in ('textual',)]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_migration_names_match_the_schema() -> None:
    from cmreader.store.schema import migrations
    from cmreader.store.versions import MIGRATION_NAMES

    assert tuple(m.name for m in migrations._migrations) == MIGRATION_NAMES


def test_opening_a_current_store_skips_sqlite_utils(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    Store.open(path).close()
    code = (
        "import sys; from cmreader.store import Store; Store.open(sys.argv[1]).close(); "
        "sys.exit(1 if 'sqlite_utils' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code, str(path)]).returncode == 0


def test_pretty_json_is_exactly_what_json_writes() -> None:
    import json

    from cmreader.exporters.json_export import dumps_pretty

    values = [{}, [], {"a": [1, 2, {"b": None, "c": 'é\n"x'}], "d": {}, "e": [], "f": True},
              [[[]]], "s", 3, -1.5, {"replies": [{"replies": [{"replies": []}]}]}]
    for value in values:
        assert dumps_pretty(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_the_episode_list_reads_its_first_page_from_an_index(store: Store) -> None:
    # Without it, the first page of 10,000 episodes sorts them all before the first paint.
    for n in range(30):
        store.import_batch(_batch(key=f"p{n}", published=f"2014-03-{n % 28 + 1:02d}T08:00:00Z"))
    store.import_batch(_batch(key="undated", published=None))
    connection = store.db.conn if hasattr(store.db, "conn") else store.db
    ran: list[str] = []
    connection.set_trace_callback(ran.append)
    posts = store.list_posts(10)
    connection.set_trace_callback(None)
    (sql,) = [s for s in ran if "FROM posts" in s]
    plan = " ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql))
    assert "posts_order" in plan and "TEMP B-TREE FOR ORDER BY" not in plan
    assert [p.published for p in posts] == sorted((p.published for p in posts), reverse=True)
    assert store.list_posts()[-1].key.endswith("undated")
