"""Each paged read's query plan on a real store: pages read from an index, counts from totals.

The statements are the ones the Store runs (caught with SQLite's trace callback), explained
with EXPLAIN QUERY PLAN on the same connection.
"""

from __future__ import annotations

import re

import pytest
from stores import query_plans as _plans

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store
from cmreader.store import lists as lists_module

FULL_SCAN = re.compile(r"\bSCAN (comments|c|o|posts|p)\b(?! USING)")
SORT_ALL = "USE TEMP B-TREE FOR ORDER BY"


def _comments(prefix: str) -> tuple[CommentRecord, ...]:
    return tuple(
        CommentRecord(f"{prefix}{i}", None, "Zoé", f"2014-03-{i + 1:02d}T10:00:00Z",
                      "bonjour, une question sur le métier",
                      status="pending" if i % 3 == 0 else "approved")
        for i in range(6)
    )


@pytest.fixture
def desk(store: Store) -> Store:
    for blog in ("alpha", "beta"):
        posts = tuple(
            PostRecord(f"{blog}{n}", f"Épisode {n}", "Becky", f"2014-03-{n + 1:02d}T08:00:00Z",
                       "Le métier de community manager.", comments=_comments(f"{blog}{n}-"))
            for n in range(4)
        )
        store.import_batch(ImportBatch(source=blog, format="test", posts=posts, owner="Becky",
                                       blog=BlogRecord(key=f"test:{blog}", kind="test")))
    return store


def _assert_indexed(plans: list[str], index: str) -> None:
    assert any(index in plan for plan in plans), plans
    for plan in plans:
        assert not FULL_SCAN.search(plan), plan
        assert SORT_ALL not in plan, plan


def test_the_inbox_pages_read_their_order_from_an_index(desk: Store) -> None:
    blog = desk.list_blogs()[0].id
    _assert_indexed(_plans(desk, lambda: desk.inbox_page()), "SCAN c USING INDEX comments_inbox")
    _assert_indexed(_plans(desk, lambda: desk.inbox_page(offset=5, limit=3, blog_id=blog)),
                    "SCAN c USING INDEX comments_inbox")
    _assert_indexed(_plans(desk, lambda: desk.inbox_page(newest_first=True)),
                    "SCAN c USING INDEX comments_waiting")
    _assert_indexed(_plans(desk, lambda: desk.needs_answer()), "SCAN c USING INDEX comments_inbox")


def test_the_inbox_with_a_text_reads_the_fewer_of_matches_and_inbox(
    desk: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few matches: they are read from the search index, each comment by its key, and only
    # they are sorted (a sort is the price of reading so few rows).
    plans = _plans(desk, lambda: desk.inbox_page(text="metier"))
    page = plans[-1]
    assert "SCAN comments_fts VIRTUAL TABLE" in page
    assert "SEARCH c USING INTEGER PRIMARY KEY" in page and not FULL_SCAN.search(page)
    # Many: the inbox is read in its order and each comment looked up among the matches.
    monkeypatch.setattr(lists_module, "FEW_MATCHES", 0)
    for newest, index in ((False, "comments_inbox"), (True, "comments_waiting")):
        plans = _plans(desk, lambda n=newest: desk.inbox_page(text="metier", newest_first=n))
        _assert_indexed(plans, f"SCAN c USING INDEX {index}")


def test_the_queue_page_reads_its_order_from_an_index(desk: Store) -> None:
    blog = desk.list_blogs()[1].id
    _assert_indexed(_plans(desk, lambda: desk.queue_page()), "SCAN c USING INDEX comments_queue")
    _assert_indexed(_plans(desk, lambda: desk.queue_page(blog_id=blog, offset=2)),
                    "SCAN c USING INDEX comments_queue")


def test_the_episode_pages_read_their_order_from_an_index(desk: Store) -> None:
    blog = desk.list_blogs()[0].id
    _assert_indexed(_plans(desk, lambda: desk.list_posts(10)), "SCAN posts USING INDEX posts_order")
    _assert_indexed(_plans(desk, lambda: desk.list_posts(2, 1, blog)),
                    "SEARCH posts USING INDEX posts_blog_order (blog_id=?)")


def test_the_counts_read_the_totals_not_the_comments(desk: Store) -> None:
    blog = desk.list_blogs()[0].id
    calls = [
        lambda: desk.inbox_count(),
        lambda: desk.inbox_count(blog_id=blog),
        lambda: desk.queue_count(),
        lambda: desk.queue_count(blog_id=blog),
        lambda: desk.post_count(),
        lambda: desk.post_count(blog),
    ]
    for call in calls:
        for plan in _plans(desk, call):
            assert "blogs" in plan and "comments" not in plan and " c " not in plan, plan
            assert not FULL_SCAN.search(plan), plan


def test_search_reads_the_matches_from_the_index_and_only_the_pages_rows(desk: Store) -> None:
    blog = desk.list_blogs()[0].id
    for call in (
        lambda: desk.search_page("metier"),
        lambda: desk.search_page("metier", blog_id=blog, offset=3),
        lambda: desk.search_count("metier"),
        lambda: desk.search_count("metier", blog_id=blog),
        lambda: desk.inbox_count(text="metier"),
    ):
        plans = _plans(desk, call)
        # Relevance needs every match scored: the matches are sorted, never the tables.
        assert "SCAN comments_fts VIRTUAL TABLE" in " ".join(plans), plans
        for plan in plans:
            assert not FULL_SCAN.search(plan), plan
            assert "SEARCH p USING COVERING INDEX" not in plan, plan  # not every blog's post
