"""The desk's lists a page at a time on real stores: inbox, queue, episodes, their counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import InboxEntry, PostSummary, SearchHit, Store
from cmreader.store import lists as lists_module


def _comment(key: str, day: int | None, status: str = "approved", body: str | None = None,
             author: str = "Zoé", parent: str | None = None, by_owner: bool = False,
             type_: str = "comment") -> CommentRecord:
    published = None if day is None else f"2014-{1 + day // 28:02d}-{1 + day % 28:02d}T10:00:00Z"
    return CommentRecord(key, parent, author, published, body or f"texte {key}", status=status,
                         by_owner=by_owner, type=type_)


def _blog(store: Store, name: str, posts: list[PostRecord]) -> int:
    """Import posts as the blog `name` (its owner "Becky"); returns the blog's id."""
    blog = BlogRecord(key=f"test:{name}", kind="test", title=name.title(),
                      url=f"https://{name}.example.org", owner_name="Becky")
    store.import_batch(ImportBatch(source=name, format="test", posts=tuple(posts), owner="Becky",
                                   blog=blog))
    return next(b.id for b in store.list_blogs() if b.key == f"test:{name}")


def _post(key: str, comments: list[CommentRecord], day: int | None = 1,
          status: str = "publish") -> PostRecord:
    published = None if day is None else f"2013-01-{day:02d}T08:00:00Z"
    return PostRecord(key, f"Épisode {key}", "Becky", published, "Texte", comments=tuple(comments),
                      status=status)


def _all_pages(fetch, size: int) -> list:
    rows, offset = [], 0
    while page := fetch(offset=offset, limit=size):
        assert len(page) <= size
        rows += page
        offset += size
    return rows


@pytest.fixture
def desk(store: Store) -> tuple[Store, int, int]:
    """Two blogs: 'alpha' with 3 episodes, 'beta' with 1; waiting, answered, pending, undated."""
    alpha = _blog(store, "alpha", [
        _post("a1", [_comment(f"a1w{i}", i) for i in range(0, 40, 2)]
              + [_comment("a1q", 3), _comment("a1r", 4, parent="a1q", author="Becky",
                                                by_owner=True)]
              + [_comment(f"a1p{i}", i, status="pending") for i in range(5)]
              + [_comment("a1n", None), _comment("a1pn", None, status="pending")]),
        _post("a2", [_comment(f"a2w{i}", i) for i in range(1, 40, 2)]
              + [_comment("a2ping", 5, status="pending", type_="pingback"),
                 _comment("a2spam", 6, status="spam")], day=2),
        _post("a3", [_comment("a3w", 7)], day=None),
        _post("draft", [_comment("dw", 8), _comment("dp", 8, status="pending")], day=3,
              status="draft"),
    ])
    beta = _blog(store, "beta", [
        _post("b1", [_comment(f"b1w{i}", i, body=f"bonjour métier {i}") for i in range(10)]
              + [_comment("b1p", 9, status="pending")], day=4),
    ])
    return store, alpha, beta


def test_inbox_pages_are_the_inbox_in_order_with_the_undated_last(desk) -> None:
    store, alpha, beta = desk
    everything = store.needs_answer()
    assert len(everything) == 20 + 20 + 1 + 1 + 10  # a1q is answered; the draft post's waits not
    assert store.inbox_count() == len(everything)
    assert _all_pages(store.inbox_page, 7) == everything
    dated = [e.published for e in everything if e.published]
    assert dated == sorted(dated)
    assert [e.published for e in everything[-1:]] == [None]
    newest = _all_pages(lambda **k: store.inbox_page(newest_first=True, **k), 9)
    assert [e.published for e in newest if e.published] == sorted(dated, reverse=True)
    assert newest[-1].published is None and {e.comment_id for e in newest} == {
        e.comment_id for e in everything
    }
    assert store.needs_answer(5) == everything[:5]


def test_inbox_entries_say_where_they_live(desk) -> None:
    store, alpha, beta = desk
    entry = next(e for e in store.needs_answer() if e.comment_key == "b1w0")
    assert (entry.status, entry.blog_id, entry.blog_title) == ("approved", beta, "Beta")
    assert entry.post_title == "Épisode b1" and entry.body == "bonjour métier 0"
    # The fields added at the end keep the old positional constructions working.
    old = InboxEntry(1, 2, "t", None, None, "b")
    assert old[6:] == ("approved", None, None, "")
    hit = SearchHit(1, None, "t", None, "s")
    assert (hit.blog_id, hit.blog_title) == (None, None)
    summary = PostSummary(1, "k", "t", None, "post", 0, 0, 0, False)
    assert summary.pending_count == 0


def test_one_blogs_inbox_queue_and_episodes(desk) -> None:
    store, alpha, beta = desk
    beta_inbox = _all_pages(lambda **k: store.inbox_page(blog_id=beta, **k), 4)
    assert [e.comment_key for e in beta_inbox] == [f"b1w{i}" for i in range(10)]
    assert store.inbox_count(blog_id=beta) == 10
    assert store.inbox_count(blog_id=alpha) == len(store.needs_answer()) - 10
    assert {e.blog_id for e in store.inbox_page(blog_id=alpha, limit=100)} == {alpha}
    assert [e.comment_key for e in store.queue_page(blog_id=beta)] == ["b1p"]
    assert store.queue_count(blog_id=beta) == 1
    assert [p.key for p in store.list_posts(blog_id=beta)] == ["b1"]
    assert [p.key for p in store.list_posts(2, 1, blog_id=alpha)] == ["a2", "a1"]
    assert store.list_posts(None, 0, alpha)[-1].key == "a3"  # undated last
    assert (store.post_count(), store.post_count(alpha), store.post_count(beta)) == (5, 4, 1)
    assert store.post_count(999) == 0 and store.inbox_count(blog_id=999) == 0


def test_the_queue_holds_every_pending_comment_oldest_first(desk) -> None:
    store, alpha, beta = desk
    queue = _all_pages(store.queue_page, 3)
    keys = [e.comment_key for e in queue]
    # Pingbacks and the draft episode's held comment too: moderation is not about answers.
    assert sorted(keys) == sorted(
        [f"a1p{i}" for i in range(5)] + ["a1pn", "a2ping", "dp", "b1p"]
    )
    assert keys[-1] == "a1pn"  # undated last
    dated = [e.published for e in queue if e.published]
    assert dated == sorted(dated)
    assert {e.status for e in queue} == {"pending"}
    assert store.queue_count() == len(queue)
    posts = {p.key: p for p in store.list_posts()}
    assert (posts["a1"].pending_count, posts["a2"].pending_count, posts["draft"].pending_count) == (
        6, 1, 1
    )
    assert sum(p.pending_count for p in posts.values()) == len(queue)


def test_the_inbox_narrowed_to_a_text_finds_body_and_author_accents_folded(
    desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, alpha, beta = desk
    store.import_batch(ImportBatch(source="beta", format="test", owner="Becky", posts=(
        _post("b1", [_comment("byname", 20, author="Métier Jones")], day=4),),
        blog=BlogRecord(key="test:beta", kind="test")))
    for many in (False, True):
        # Both ways of reading it: the matches first (few), or the inbox in order (many).
        monkeypatch.setattr(lists_module, "FEW_MATCHES", 0 if many else 2_000)
        found = _all_pages(lambda **k: store.inbox_page(text="METIER", **k), 4)
        assert [e.comment_key for e in found] == [f"b1w{i}" for i in range(10)] + ["byname"]
        assert store.inbox_count(text="metier") == 11
        assert store.inbox_count(text="metier", blog_id=alpha) == 0
        assert store.inbox_page(text="bonjour 3") == [
            e for e in store.needs_answer() if e.comment_key == "b1w3"
        ]
        newest = store.inbox_page(text="métier", newest_first=True, limit=2)
        assert [e.comment_key for e in newest] == ["byname", "b1w9"]
    assert store.inbox_page(text="   ") == store.inbox_page()
    assert store.inbox_page(text="?!") == [] and store.inbox_count(text="?!") == 0


def test_a_page_past_the_end_is_empty(desk) -> None:
    store, _, _ = desk
    assert store.inbox_page(offset=10_000) == [] and store.queue_page(offset=10_000) == []
    assert store.list_posts(10, 10_000) == []


# -- the totals the store keeps ----------------------------------------------------------------


def _recounted(store: Store) -> list[tuple]:
    """Each blog's totals computed from scratch, beside the ones the store keeps."""
    return store.db.execute(
        "SELECT b.id, b.post_count, b.waiting_count, b.pending_count, "
        "(SELECT COUNT(*) FROM posts p WHERE p.blog_id = b.id), "
        "(SELECT COALESCE(SUM(p.waiting_count), 0) FROM posts p WHERE p.blog_id = b.id), "
        "(SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id "
        " WHERE p.blog_id = b.id AND c.status = 'pending' AND c.deleted_at IS NULL) "
        "FROM blogs b"
    ).fetchall()


def _assert_totals(store: Store) -> None:
    for blog_id, posts, waiting, pending, *recount in _recounted(store):
        assert [posts, waiting, pending] == recount, blog_id
        assert waiting == len(
            [e for e in store.needs_answer() if e.blog_id == blog_id]
        ), blog_id
    assert store.inbox_count() == len(store.needs_answer())
    assert store.queue_count() == len(store.queue_page(limit=-1))
    assert store.post_count() == len(store.list_posts())


def test_the_totals_follow_every_write(desk) -> None:
    store, alpha, beta = desk
    _assert_totals(store)
    first = store.needs_answer()[0]
    reply = store.send_reply(first.post_id, first.comment_id, "Merci !")
    _assert_totals(store)
    store.delete_reply(reply.id)
    _assert_totals(store)
    store.restore_reply(reply.id)
    store.mark_answered(store.needs_answer()[0].comment_id, True)
    _assert_totals(store)
    held = store.queue_page()[0]
    store.moderate(held.comment_id, "approved")
    _assert_totals(store)
    store.moderate(store.needs_answer()[-1].comment_id, "spam")
    _assert_totals(store)
    store.set_owner("Zoé")  # every Zoé comment is now the owner's: nothing of hers waits
    _assert_totals(store)
    store.set_blog_owner(beta, "Zoé")
    _assert_totals(store)
    assert store.inbox_count() == 0


def test_the_totals_follow_episodes_moving_from_their_files_blog_to_the_named_one(
    store: Store,
) -> None:
    posts = (_post("m1", [_comment("w", 1), _comment("h", 2, status="pending")]),)
    store.import_batch(ImportBatch(source="f", format="test", posts=posts))
    _assert_totals(store)
    blog = BlogRecord(key="test:named", kind="test", title="Named")
    store.import_batch(ImportBatch(source="f", format="test", posts=posts, blog=blog))
    (named,) = store.list_blogs()
    assert (named.key, named.post_count, named.waiting_count, named.pending_count) == (
        "test:named", 1, 1, 1
    )
    _assert_totals(store)


def test_a_store_from_before_the_desk_gets_its_counts_on_upgrade(tmp_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from cmreader.store import schema
    from cmreader.store.versions import MIGRATION_SET

    path = tmp_path / "old.db"
    old = Migrations(MIGRATION_SET)
    for step in (schema.m001_initial, schema.m002_blogs_statuses_types,
                 schema.m003_episode_order):
        old()(step)
    db = sqlite3.connect(path, isolation_level=None)
    old.apply(Database(db))
    db.execute("INSERT INTO blogs (key, kind, added_at) VALUES ('b', 'test', 'x')")
    db.execute("INSERT INTO posts (key, title, added_at, blog_id, waiting_count) "
               "VALUES ('p', 'P', 'x', 1, 1)")
    for n, status in enumerate(["approved", "pending", "pending", "spam"]):
        db.execute("INSERT INTO comments (key, post_id, ord, end_ord, depth, body, status, "
                   "added_at, published) VALUES (?, 1, ?, ?, 0, 'b', ?, 'x', ?)",
                   [f"c{n}", n, n, status, f"2014-01-0{n + 1}"])
    db.close()
    store = Store.open(path)
    try:
        assert store.list_posts()[0].pending_count == 2
        assert (store.post_count(), store.inbox_count(), store.queue_count()) == (1, 1, 2)
        assert [e.comment_key for e in store.queue_page()] == ["c1", "c2"]
        assert store.db.execute("SELECT COUNT(*) FROM moderations").fetchone()[0] == 0
        _assert_totals(store)
    finally:
        store.close()
