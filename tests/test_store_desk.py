"""The desk's store: moderation and its undo, pending counts, lists read a page at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from stores import episode, make_store

from cmreader.errors import StoreError
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store


def comments(n: int, status: str = "approved", prefix: str = "c") -> tuple[CommentRecord, ...]:
    return tuple(
        CommentRecord(f"{prefix}{k}", None, f"lecteur{k}", f"2014-03-{1 + k % 28:02d}T10:"
                      f"{k % 60:02d}:{k // 60 % 60:02d}Z", f"commentaire {k} sur le métier",
                      status=status)
        for k in range(n)
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    post = PostRecord("p", "Le métier de CM", "Becky", "2014-03-01T08:00:00Z", "Texte",
                      comments=(*comments(30), *comments(12, "pending", "h"),
                                *comments(3, "spam", "s")))
    return make_store(tmp_path / "s.db", post)


def row(store: Store, key: str):
    post_id = store.list_posts()[0].id
    return next(r for r in store.comment_rows(post_id, show_hidden=True) if r.key.endswith(key))


def test_approve_spam_trash_and_undo_change_what_waits(store: Store) -> None:
    held = row(store, "h0")
    summary = store.list_posts()[0]
    assert (summary.waiting_count, summary.pending_count) == (30, 12)
    done = store.moderate(held.id, "approved")
    assert (done.before, done.after) == ("pending", "approved")
    assert row(store, "h0").needs_answer  # an approved comment waits for an answer
    assert (store.list_posts()[0].waiting_count, store.list_posts()[0].pending_count) == (31, 11)
    spam = store.moderate(held.id, "spam")
    assert not row(store, "h0").needs_answer and store.list_posts()[0].waiting_count == 30
    back = store.undo_moderation(spam.id)
    assert (back.before, back.after) == ("spam", "approved") and row(store, "h0").needs_answer
    trashed = store.moderate(row(store, "c1").id, "trash")
    assert store.list_posts()[0].comment_count == 30 + 12 - 1  # approved and held are shown
    assert row(store, "c1").status == "trash"
    store.undo_moderation(trashed.id)
    assert row(store, "c1").status == "approved"
    log = store.db.execute("SELECT before, after FROM moderations ORDER BY id").fetchall()
    assert log == [("pending", "approved"), ("approved", "spam"), ("spam", "approved"),
                   ("approved", "trash"), ("trash", "approved")]


def test_an_undo_after_a_later_change_is_refused(store: Store) -> None:
    first = store.moderate(row(store, "c2").id, "spam")
    store.moderate(row(store, "c2").id, "trash")
    with pytest.raises(StoreError, match="trash now"):
        store.undo_moderation(first.id)
    assert row(store, "c2").status == "trash"


def test_own_replies_and_unknown_statuses_are_not_moderated(store: Store) -> None:
    post_id = store.list_posts()[0].id
    mine = store.send_reply(post_id, row(store, "c0").id, "Merci !")
    with pytest.raises(StoreError, match="own replies"):
        store.moderate(mine.id, "spam")
    with pytest.raises(StoreError, match="not a comment status"):
        store.moderate(row(store, "c0").id, "deleted")
    same = store.moderate(row(store, "c0").id, "approved")
    assert same.before == same.after == "approved" and same.id == 0
    assert store.db.execute("SELECT COUNT(*) FROM moderations").fetchone()[0] == 0


def test_pages_read_in_order_and_count_everything(store: Store) -> None:
    assert store.inbox_count() == 30 and store.queue_count() == 12
    oldest = store.inbox_page(limit=10)
    rest = store.inbox_page(offset=10, limit=50)
    assert len(oldest) == 10 and len(rest) == 20
    every = oldest + rest
    assert [e.published for e in every] == sorted(e.published for e in every)
    newest = store.inbox_page(limit=5, newest_first=True)
    assert newest[0].published == max(e.published for e in every)
    assert {e.status for e in store.queue_page(limit=50)} == {"pending"}
    queue = store.queue_page(limit=50)
    assert [e.published for e in queue] == sorted(e.published for e in queue)
    assert store.inbox_count(text="commentaire 7") >= 1
    assert all("7" in e.body for e in store.inbox_page(text="commentaire 7"))
    assert store.search_count("métier") == 1 + 30 + 12  # the episode, shown comments only
    assert len(store.search_page("métier", offset=40, limit=50)) == 3


def test_a_title_match_ranks_above_a_passing_mention(tmp_path: Path) -> None:
    mention = PostRecord("a", "Autre chose", "Becky", "2014-03-02T08:00:00Z",
                         "On y parle en passant du métier, du métier, du métier.")
    titled = PostRecord("b", "Le métier", "Becky", "2014-03-01T08:00:00Z", "Rien d'autre.")
    store = make_store(tmp_path / "s.db", mention, titled)
    hits = store.search_page("métier")
    assert [h.post_title for h in hits[:2]] == ["Le métier", "Autre chose"]


def test_a_reply_is_signed_by_the_owner_of_its_episodes_blog(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    for blog, owner in (("https://un.example/", "Becky"), ("https://deux.example/", "Zoé")):
        post = PostRecord(f"{blog}p", f"Chez {owner}", owner, "2014-03-01T08:00:00Z", "Texte",
                          comments=(CommentRecord(f"{blog}c", None, "Marie",
                                                  "2014-03-02T08:00:00Z", "Bonjour"),))
        store.import_batch(ImportBatch(source=blog, format="test", posts=(post,), owner=owner,
                                       blog=BlogRecord(blog, "wxr", url=blog, owner_name=owner)))
    for summary in store.list_posts():
        marie = store.comment_rows(summary.id)[0]
        reply = store.send_reply(summary.id, marie.id, "Merci")
        assert reply.author == summary.title.removeprefix("Chez ") and reply.by_owner


def test_each_page_is_read_from_an_index(store: Store) -> None:
    # The page queries must stop after their rows: no sort of the whole table for the order.
    connection = store.db
    ran: list[str] = []
    connection.set_trace_callback(ran.append)
    store.inbox_page(limit=10)
    store.inbox_page(limit=10, newest_first=True)
    store.queue_page(limit=10)
    store.list_posts(10)
    connection.set_trace_callback(None)
    for sql in [s for s in ran if "LIMIT" in s]:
        plan = " ".join(r[3] for r in connection.execute("EXPLAIN QUERY PLAN " + sql))
        assert "TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)


def test_own_reply_is_not_new(tmp_path: Path) -> None:
    store = make_store(tmp_path / "s.db", episode())
    post_id = store.list_posts()[0].id
    store.mark_visited(post_id)
    marie = next(r for r in store.comment_rows(post_id) if r.author == "Marie")
    mine = store.send_reply(post_id, marie.id, "Merci Marie")
    assert not next(r for r in store.comment_rows(post_id) if r.id == mine.id).is_new
    assert store.list_posts()[0].new_count == 0
    assert not store.list_posts()[0].unread  # your reply does not make the episode unread
