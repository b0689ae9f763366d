"""Search a page at a time on real stores: the real count, every page, titles first, blogs."""

from __future__ import annotations

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store


def _import(store: Store, blog: str, *posts: PostRecord) -> int:
    record = BlogRecord(key=f"test:{blog}", kind="test", title=blog.title())
    store.import_batch(ImportBatch(source=blog, format="test", posts=posts, blog=record))
    return next(b.id for b in store.list_blogs() if b.key == record.key)


def _post(key: str, title: str, body: str = "Texte", comments: tuple = ()) -> PostRecord:
    return PostRecord(key, title, "Becky", "2014-03-01T08:00:00Z", body, comments=comments)


def _comments(prefix: str, n: int, body: str, status: str = "approved") -> tuple:
    return tuple(
        CommentRecord(f"{prefix}{i}", None, f"lecteur{i}", f"2014-03-02T{i % 24:02d}:00:00Z",
                      body, status=status)
        for i in range(n)
    )


def test_the_count_is_real_and_every_page_past_the_first_is_reachable(store: Store) -> None:
    store.import_batch(ImportBatch(source="t", format="test", posts=(
        _post("p1", "Premier", comments=_comments("a", 70, "merci pour tout")),
        _post("p2", "Merci à tous", comments=_comments("b", 60, "un grand merci")
              + _comments("s", 5, "merci spam", status="spam")),
    )))
    assert store.search_count("merci") == 130 + 1  # the spam is not searched
    pages = [store.search_page("merci", offset=o, limit=50) for o in (0, 50, 100, 150)]
    assert [len(p) for p in pages] == [50, 50, 31, 0]
    seen = [(h.post_id, h.comment_id) for page in pages for h in page]
    assert len(set(seen)) == 131
    assert pages[0][0].comment_id is None and pages[0][0].post_title == "Merci à tous"
    assert store.search("merci") == pages[0] and len(store.search("merci", 10)) == 10
    assert store.search_count("   ") == 0 and store.search_page("?!") == []


def test_a_word_in_a_title_ranks_above_a_passing_mention(store: Store) -> None:
    # Ordinary episodes and comments around, so that the word is rare, as it is in a real blog.
    ordinary = tuple(
        _post(f"o{i}", f"Épisode ordinaire {i}", body="Les réseaux sociaux et le reste.",
              comments=_comments(f"o{i}-", 1, "Merci pour ce billet très intéressant."))
        for i in range(20)
    )
    mention = "Une longue histoire où l'on parle de tout, de rien, et au passage de modération."
    store.import_batch(ImportBatch(source="t", format="test", posts=(
        *ordinary,
        _post("body", "Un épisode", body=mention,
              comments=_comments("c", 1, "Bravo pour la modération !")),
        _post("title", "La modération des trolls",
              body="Rien à voir avec le reste, un long texte qui parle d'autre chose."),
    )))
    hits = store.search_page("moderation")
    assert [(h.post_title, h.comment_id is None) for h in hits] == [
        ("La modération des trolls", True),  # the title, though its body never says it
        ("Un épisode", False),  # a short comment all about it
        ("Un épisode", True),  # the passing mention in an episode's body
    ]


def test_an_episode_comes_before_a_comment_at_equal_relevance(store: Store) -> None:
    # One episode and one comment with the very same text: the same score in each index.
    store.import_batch(ImportBatch(source="t", format="test", posts=(
        PostRecord("p", "", None, None, "zorglub",
                   comments=(CommentRecord("c", None, None, None, "zorglub"),)),
    )))
    ranked = store.db.execute(
        "SELECT (SELECT bm25(posts_fts, 10.0, 1.0) FROM posts_fts WHERE posts_fts MATCH 'zorglub'),"
        " (SELECT bm25(comments_fts) FROM comments_fts WHERE comments_fts MATCH 'zorglub')"
    ).fetchone()
    assert ranked[0] == ranked[1]
    assert [h.comment_id is None for h in store.search_page("zorglub")] == [True, False]


def test_one_blogs_search_and_where_each_hit_lives(store: Store) -> None:
    alpha = _import(store, "alpha", _post("a", "Chez alpha", comments=_comments("a", 3, "bonjour")))
    beta = _import(store, "beta", _post("b", "Chez beta", body="bonjour à tous",
                                        comments=_comments("b", 2, "bonjour")))
    assert store.search_count("bonjour") == 6
    assert store.search_count("bonjour", blog_id=alpha) == 3
    assert store.search_count("bonjour", blog_id=beta) == 3
    hits = store.search_page("bonjour", blog_id=beta)
    assert {(h.blog_id, h.blog_title) for h in hits} == {(beta, "Beta")}
    assert [h.comment_id is None for h in hits].count(True) == 1
    assert store.search_page("bonjour", blog_id=beta, offset=1, limit=1) == hits[1:2]


def test_a_huge_comment_gets_an_excerpt_not_a_snippet(store: Store) -> None:
    body = "mot " * 250_000 + "aiguille fin"
    store.import_batch(ImportBatch(source="t", format="test", posts=(
        _post("p", "Foin", comments=(CommentRecord("c", None, "x", None, body),)),
    )))
    (hit,) = store.search_page("aiguille")
    assert len(hit.snippet) < 200 and hit.snippet.startswith("mot mot")
