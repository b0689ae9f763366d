"""The store's side of writing answers: saved replies, signatures, drafts, commenter history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stores import episode, make_store, query_plans

from cmreader.errors import StoreError
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store

FULL_SCAN = re.compile(r"\bSCAN (comments|c|d|o|posts|p)\b(?! USING)")
SORT_ALL = "USE TEMP B-TREE FOR ORDER BY"


def _blog(store: Store, name: str, posts: tuple[PostRecord, ...]) -> None:
    store.import_batch(ImportBatch(source=f"{name}.xml", format="wxr", posts=posts,
                                   owner="Becky",
                                   blog=BlogRecord(f"https://{name}.example.org", "wxr",
                                                   title=name.title(), owner_name="Becky")))


@pytest.fixture
def desk(tmp_path: Path) -> Store:
    """Two blogs. Zoé (one e-mail, two spellings of it) writes on both; "Anonymous" writes
    on both too (two people); Marc writes twice on one blog, once marked spam."""
    store = make_store(tmp_path / "s.db")
    zoe = dict(author_email="Zoe@Example.org")
    _blog(store, "alpha", (
        PostRecord("a1", "Alpha un", "Becky", "2015-01-01T08:00:00Z", "Texte", comments=(
            CommentRecord("a1-1", None, "Zoé", "2015-01-01T10:00:00Z", "Première", **zoe),
            CommentRecord("a1-2", "a1-1", "Becky", "2015-01-01T11:00:00Z", "Merci",
                          by_owner=True),
            CommentRecord("a1-3", None, "Anonymous", "2015-01-02T10:00:00Z", "Anonyme A"),
            CommentRecord("a1-4", None, "Marc", "2015-01-03T10:00:00Z", "Question"),
            CommentRecord("a1-5", None, "Marc", "2015-01-04T10:00:00Z", "Pub", status="spam"),
        )),
    ))
    _blog(store, "beta", (
        PostRecord("b1", "Beta un", "Becky", "2015-02-01T08:00:00Z", "Texte", comments=(
            CommentRecord("b1-1", None, "Zoe", "2015-02-01T10:00:00Z", "Deuxième",
                          author_email=" zoe@example.org"),
            CommentRecord("b1-2", None, "Anonymous", "2015-02-02T10:00:00Z", "Anonyme B"),
            CommentRecord("b1-3", None, "Marc", "2015-02-03T10:00:00Z", "Autre Marc"),
        )),
    ))
    return store


def _comment(store: Store, key: str) -> int:
    return int(store.db.execute("SELECT id FROM comments WHERE key = ?", [key]).fetchone()[0])


def test_saved_replies_are_kept_by_name_changed_and_deleted(store: Store) -> None:
    first = store.save_saved_reply(None, "  merci   livre ", "Merci {first_name} !")
    store.save_saved_reply(None, "Abonnement", "Abonnez-vous sur {link}")
    assert first.name == "merci livre"
    assert [r.name for r in store.saved_replies()] == ["Abonnement", "merci livre"]
    assert store.saved_reply_count() == 2
    store.save_saved_reply(first.id, "Merci", "Merci {author}")
    assert [(r.name, r.body) for r in store.saved_replies(offset=1)] == [("Merci",
                                                                          "Merci {author}")]
    store.delete_saved_reply(first.id)
    assert [r.name for r in store.saved_replies()] == ["Abonnement"]
    with pytest.raises(StoreError):
        store.save_saved_reply(None, " ", "texte")
    with pytest.raises(StoreError):
        store.save_saved_reply(None, "vide", "  ")


def test_a_blogs_signature_and_the_reply_context(desk: Store) -> None:
    alpha = next(b for b in desk.list_blogs() if b.title == "Alpha")
    desk.set_signature(alpha.id, "  Becky, pour Alpha  ")
    assert desk.signatures() == [(alpha.id, "Becky, pour Alpha")]
    post = desk.find_post("a1")
    assert post is not None
    context = desk.reply_context(post.id, _comment(desk, "a1-4"))
    assert (context.author, context.title, context.blog) == ("Marc", "Alpha un", "Alpha")
    assert context.signature == "Becky, pour Alpha" and context.blog_id == alpha.id
    assert desk.reply_context(post.id, None).author is None
    desk.set_signature(alpha.id, "")
    assert desk.signatures() == []


def test_drafts_newest_first_across_blogs_with_their_parent(desk: Store) -> None:
    a1, b1 = desk.find_post("a1"), desk.find_post("b1")
    assert a1 is not None and b1 is not None
    desk.save_draft(a1.id, _comment(desk, "a1-4"), "Pour Marc")
    desk.save_draft(b1.id, None, "Sur Beta")
    assert [(d.body, d.parent_author) for d in desk.drafts_page()] == [("Sur Beta", None),
                                                                       ("Pour Marc", "Marc")]
    assert desk.drafts_count() == 2
    beta = next(b for b in desk.list_blogs() if b.title == "Beta")
    assert [d.body for d in desk.drafts_page(blog_id=beta.id)] == ["Sur Beta"]
    assert desk.drafts_count(blog_id=beta.id) == 1
    desk.send_reply(a1.id, _comment(desk, "a1-4"), "Pour Marc")
    assert [d.body for d in desk.drafts_page()] == ["Sur Beta"]
    marks = {p.title: p.has_draft for p in desk.list_posts()}
    assert marks["Beta un"] and not marks["Alpha un"]


def test_the_history_is_one_person_by_email_across_blogs_by_name_on_one_blog(
    desk: Store,
) -> None:
    zoe = desk.author_key(_comment(desk, "a1-1"))
    assert zoe == desk.author_key(_comment(desk, "b1-1")) == "email:zoe@example.org"
    assert [e.body for e in desk.history_page(zoe)] == ["Deuxième", "Première"]
    assert [e.answered for e in desk.history_page(zoe)] == [False, True]
    who = desk.commenter(zoe)
    assert (who.comments, who.answered, who.spam, who.episodes, who.blogs) == (2, 1, 0, 2, 2)
    assert who.first_at == "2015-01-01T10:00:00Z" and who.name == "Zoe"
    # "Anonymous" on two blogs is two people; Marc's spam counts on his own blog only.
    anon = desk.author_key(_comment(desk, "a1-3"))
    assert anon != desk.author_key(_comment(desk, "b1-2"))
    assert desk.history_count(anon) == 1
    marc = desk.commenter(desk.author_key(_comment(desk, "a1-4")))
    assert (marc.comments, marc.spam, marc.answered, marc.blogs) == (2, 1, 0, 1)
    # A draft is in no history.
    a1 = desk.find_post("a1")
    assert a1 is not None
    desk.save_draft(a1.id, _comment(desk, "a1-4"), "brouillon")
    assert desk.history_count(desk.author_key(_comment(desk, "a1-4"))) == 2


def test_the_history_and_the_drafts_are_read_from_their_indexes(desk: Store) -> None:
    a1 = desk.find_post("a1")
    assert a1 is not None
    desk.save_draft(a1.id, None, "brouillon")
    key = desk.author_key(_comment(desk, "a1-1"))
    for call, index in (
        (lambda: desk.history_page(key, offset=1, limit=5), "comments_author"),
        (lambda: desk.history_count(key), "comments_author"),
        (lambda: desk.commenter(key), "comments_author"),
        (lambda: desk.drafts_page(), "comments_drafts"),
        (lambda: desk.drafts_count(), "comments_drafts"),
        (lambda: desk.drafts_page(blog_id=1), "comments_drafts"),
        (lambda: desk.list_posts(10), "comments_post_drafts"),
    ):
        plans = query_plans(desk, call)
        assert any(index in plan for plan in plans), plans
        for plan in plans:
            assert not FULL_SCAN.search(plan), plan
            assert SORT_ALL not in plan, plan


def test_an_older_store_gets_its_commenters_keys_when_migrated(tmp_path: Path) -> None:
    store = make_store(tmp_path / "old.db", episode())
    store.db.execute("UPDATE comments SET author_key = NULL")
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_writing_answers'")
    for name in ("comments_author_key", "posts_blog_author_keys"):
        store.db.execute(f"DROP TRIGGER {name}")
    for name in ("comments_author", "comments_drafts", "comments_post_drafts",
                 "saved_replies_name"):
        store.db.execute(f"DROP INDEX {name}")
    store.db.execute("DROP TABLE saved_replies")
    store.db.execute("ALTER TABLE comments DROP COLUMN author_key")
    store.db.execute("ALTER TABLE blogs DROP COLUMN signature")
    store.close()
    again = Store.open(tmp_path / "old.db")
    keys = {r[0] for r in again.db.execute("SELECT author_key FROM comments")}
    assert "name:1:Marie" in keys and None not in keys
    again.close()


def test_the_json_export_carries_the_saved_replies_and_signatures(desk: Store) -> None:
    from cmreader.exporters.json_export import export_data, export_json

    alpha = next(b for b in desk.list_blogs() if b.title == "Alpha")
    desk.save_saved_reply(None, "Merci", "Merci {author}\x1b[31m")
    desk.set_signature(alpha.id, "Becky")
    data = export_data(desk)
    assert data["format"] == "cmreader-export/2"
    assert data["saved_replies"] == [{"name": "Merci", "body": "Merci {author}\x1b[31m"}]
    assert data["signatures"] == [{"blog": {"title": "Alpha", "url": alpha.url},
                                   "signature": "Becky"}]
    assert "\x1b" not in export_json(desk)  # written as \\u001b: printed, it runs nothing
