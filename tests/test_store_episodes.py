"""The episode list's own reads on real stores: a post's place in it, and the next that waits."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from stores import query_plans as _plans

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store

FULL_SCAN = re.compile(r"\bSCAN posts\b")
SORT_ALL = "USE TEMP B-TREE"


def _post(key: str, published: str | None, waiting: bool) -> PostRecord:
    # A question from a reader waits for the owner's answer; an owner's own comment never does.
    comment = CommentRecord(f"{key}-c", None, "Zoé" if waiting else "Becky",
                            "2014-05-01T10:00:00Z", "Une question ?", by_owner=not waiting)
    return PostRecord(key, f"Épisode {key}", "Becky", published, "Texte", comments=(comment,))


def _import(store: Store, blog: str, posts: list[PostRecord]) -> None:
    store.import_batch(ImportBatch(source=blog, format="test", posts=tuple(posts), owner="Becky",
                                   blog=BlogRecord(key=f"test:{blog}", kind="test",
                                                   title=blog.title())))


@pytest.fixture
def episodes(store: Store) -> Store:
    """Two blogs; posts of the same date (the id decides), undated ones at the end."""
    _import(store, "alpha", [
        _post("a1", "2014-03-01T08:00:00Z", waiting=True),
        _post("a2", "2014-03-02T08:00:00Z", waiting=False),
        _post("a3", "2014-03-02T08:00:00Z", waiting=True),  # same date as a2, a higher id
        _post("a4", None, waiting=True),
        _post("a5", None, waiting=False),
    ])
    _import(store, "beta", [
        _post("b1", "2014-03-03T08:00:00Z", waiting=False),
        _post("b2", "2014-02-01T08:00:00Z", waiting=True),
        _post("b3", None, waiting=True),
    ])
    return store


def _ids(store: Store, blog_id: int | None = None) -> list[int]:
    return [p.id for p in store.list_posts(blog_id=blog_id)]


def _key(store: Store, post_id: int) -> str:
    return store.get_post(post_id).key


def _blog(store: Store, title: str) -> int:
    return next(b.id for b in store.list_blogs() if b.title == title)


def test_each_post_s_position_is_its_index_in_the_list(episodes: Store) -> None:
    for blog_id in (None, _blog(episodes, "Alpha"), _blog(episodes, "Beta")):
        ids = _ids(episodes, blog_id)
        assert [episodes.post_position(i, blog_id) for i in ids] == list(range(len(ids)))


def test_a_post_outside_the_list_has_no_position(episodes: Store) -> None:
    beta_post = _ids(episodes, _blog(episodes, "Beta"))[0]
    assert episodes.post_position(beta_post, _blog(episodes, "Alpha")) is None
    assert episodes.post_position(10_000) is None


def test_n_goes_to_the_next_waiting_episode_in_list_order_round_the_end(episodes: Store) -> None:
    ids = _ids(episodes)
    order = [_key(episodes, i) for i in ids]
    assert order == ["b1", "a3", "a2", "a1", "b2", "b3", "a5", "a4"]
    waiting = {"a3", "a1", "b2", "b3", "a4"}

    def expected(here: int, step: int) -> str:
        for n in range(1, len(ids)):
            key = order[(here + step * n) % len(ids)]
            if key in waiting:
                return key
        raise AssertionError

    for here, post_id in enumerate(ids):
        forward = episodes.next_waiting_post(post_id)
        backward = episodes.next_waiting_post(post_id, forward=False)
        assert forward is not None and backward is not None
        assert _key(episodes, forward) == expected(here, 1), order[here]
        assert _key(episodes, backward) == expected(here, -1), order[here]


def test_n_from_nowhere_starts_at_the_top_and_n_back_at_the_end(episodes: Store) -> None:
    for start in (None, 10_000):
        first = episodes.next_waiting_post(start)
        last = episodes.next_waiting_post(start, forward=False)
        assert first is not None and _key(episodes, first) == "a3"
        assert last is not None and _key(episodes, last) == "a4"


def test_n_within_one_blog_stays_in_it(episodes: Store) -> None:
    beta = _blog(episodes, "Beta")
    b1, b2, b3 = _ids(episodes, beta)
    assert episodes.next_waiting_post(b1, blog_id=beta) == b2
    assert episodes.next_waiting_post(b2, blog_id=beta) == b3
    assert episodes.next_waiting_post(b3, blog_id=beta) == b2  # round the end
    assert episodes.next_waiting_post(b2, forward=False, blog_id=beta) == b3
    # From an episode of another blog (opened from the inbox): its place in the order counts.
    a3 = next(i for i in _ids(episodes) if _key(episodes, i) == "a3")
    assert episodes.next_waiting_post(a3, blog_id=beta) == b2


def test_nothing_else_waiting_is_none(store: Store) -> None:
    _import(store, "alpha", [_post("only", "2014-03-01T08:00:00Z", waiting=True),
                             _post("calm", "2014-03-02T08:00:00Z", waiting=False)])
    only, calm = _ids(store)[1], _ids(store)[0]
    assert store.next_waiting_post(only) is None
    assert store.next_waiting_post(only, forward=False) is None
    assert store.next_waiting_post(calm) == only


def test_an_answer_takes_the_episode_out_of_what_n_finds(episodes: Store) -> None:
    ids = _ids(episodes)
    a3 = ids[1]
    question = next(r for r in episodes.comment_rows(a3) if r.needs_answer)
    episodes.send_reply(a3, question.id, "Merci !")
    assert episodes.next_waiting_post(ids[0]) == ids[3]  # a1: a3 and a2 wait no more


@pytest.mark.parametrize("blog", [False, True])
def test_both_read_an_index_never_the_table_in_order(episodes: Store, blog: bool) -> None:
    blog_id = _blog(episodes, "Alpha") if blog else None
    ids = _ids(episodes, blog_id)
    waiting_index = "posts_blog_waiting_order" if blog else "posts_waiting_order"
    for post_id in ids:
        for plan in _plans(episodes, lambda p=post_id: episodes.post_position(p, blog_id)):
            assert not FULL_SCAN.search(plan) and SORT_ALL not in plan, plan
        for forward in (True, False):
            plans = _plans(episodes, lambda p=post_id, f=forward: episodes.next_waiting_post(
                p, f, blog_id))
            ranges = [p for p in plans if "PRIMARY KEY" not in p]  # not the post's own row
            assert ranges, plans
            for plan in ranges:
                assert f"USING INDEX {waiting_index}" in plan or \
                    f"USING COVERING INDEX {waiting_index}" in plan, plan
                assert SORT_ALL not in plan, plan


def test_a_store_from_before_gets_the_waiting_order_on_upgrade(tmp_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from cmreader.store import schema
    from cmreader.store.versions import MIGRATION_SET

    path = tmp_path / "old.db"
    old = Migrations(MIGRATION_SET)
    for step in (schema.m001_initial, schema.m002_blogs_statuses_types,
                 schema.m003_episode_order, schema.m004_moderation,
                 schema.m005_list_orders_and_totals):
        old()(step)
    db = sqlite3.connect(path, isolation_level=None)
    old.apply(Database(db))
    db.execute("INSERT INTO blogs (key, kind, added_at) VALUES ('b', 'test', 'x')")
    for n, waiting in enumerate([0, 2, 0]):
        db.execute("INSERT INTO posts (key, title, added_at, blog_id, published, waiting_count) "
                   "VALUES (?, 'P', 'x', 1, ?, ?)", [f"p{n}", f"2014-01-0{n + 1}", waiting])
    db.close()
    store = Store.open(path)
    try:
        newest, middle, oldest = _ids(store)
        assert store.next_waiting_post(newest) == middle
        assert store.next_waiting_post(oldest, forward=False) == middle
        assert store.post_position(oldest) == 2
    finally:
        store.close()
