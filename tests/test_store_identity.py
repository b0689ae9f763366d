"""The commenter's identity by platform user id (m009): kept on import, first in the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stores import make_store, query_plans
from test_import_wxr import comment, item, wxr

from cmreader.importers.wxr import parse_wxr
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store

FULL_SCAN = re.compile(r"\bSCAN (comments|c|d|o|posts|p)\b(?! USING)")


def _blog(store: Store, name: str, *comments: CommentRecord) -> None:
    post = PostRecord(f"{name}-1", f"{name.title()} un", "Becky", "2015-01-01T08:00:00Z",
                      "Texte", comments=comments)
    store.import_batch(ImportBatch(source=f"{name}.xml", format="wxr", posts=(post,),
                                   owner="Becky",
                                   blog=BlogRecord(f"https://{name}.example.org", "wxr",
                                                   title=name.title(), owner_name="Becky",
                                                   owner_user_id="1")))


def _key(store: Store, comment_key: str) -> str:
    row = store.db.execute("SELECT id FROM comments WHERE key = ?", [comment_key]).fetchone()
    return store.author_key(int(row[0]))


@pytest.fixture
def accounts(tmp_path: Path) -> Store:
    """Account 7 on alpha writes under two e-mails and two names; account 7 on beta is someone
    else, though one comment there shares an e-mail with alpha's; a guest has no account."""
    store = make_store(tmp_path / "s.db")
    _blog(store, "alpha",
          CommentRecord("a-1", None, "Zoé", "2015-01-01T10:00:00Z", "Première",
                        author_email="zoe@old.example", author_user_id="7"),
          CommentRecord("a-2", None, "Zoé M.", "2015-01-02T10:00:00Z", "Deuxième",
                        author_email="zoe@new.example", author_user_id=" 7 "),
          CommentRecord("a-3", None, "Invité", "2015-01-03T10:00:00Z", "Sans compte",
                        author_email="guest@example.org"))
    _blog(store, "beta",
          CommentRecord("b-1", None, "Paul", "2015-02-01T10:00:00Z", "Autre blog",
                        author_email="paul@example.org", author_user_id="7"),
          CommentRecord("b-2", None, "Invité", "2015-02-02T10:00:00Z", "Même e-mail",
                        author_email="guest@example.org"))
    return store


def test_a_user_id_is_one_person_on_its_blog_whatever_their_email(accounts: Store) -> None:
    zoe = _key(accounts, "a-1")
    alpha = accounts.db.execute("SELECT id FROM blogs WHERE title = 'Alpha'").fetchone()[0]
    assert zoe == _key(accounts, "a-2") == f"user:{alpha}:7"
    assert [e.body for e in accounts.history_page(zoe)] == ["Deuxième", "Première"]
    who = accounts.commenter(zoe)
    assert (who.comments, who.blogs, who.name) == (2, 1, "Zoé M.")
    # The same id on another site is another account: Paul is not Zoé.
    paul = _key(accounts, "b-1")
    assert paul != zoe and paul.startswith("user:") and accounts.history_count(paul) == 1
    # Without a user id, the e-mail still joins a guest across blogs.
    guest = _key(accounts, "a-3")
    assert guest == _key(accounts, "b-2") == "email:guest@example.org"
    assert accounts.history_count(guest) == 2
    stored = dict(accounts.db.execute("SELECT key, author_user_id FROM comments "
                                      "WHERE key IN ('a-2', 'a-3')").fetchall())
    assert stored == {"a-2": "7", "a-3": None}


def test_the_history_by_user_id_is_read_from_its_index(accounts: Store) -> None:
    key = _key(accounts, "a-1")
    for call in (lambda: accounts.history_page(key, offset=1, limit=5),
                 lambda: accounts.history_count(key), lambda: accounts.commenter(key)):
        plans = query_plans(accounts, call)
        assert any("comments_author" in plan for plan in plans), plans
        assert not any(FULL_SCAN.search(plan) for plan in plans), plans


def test_a_wxr_import_keeps_the_user_id_and_a_visitors_zero_is_none(tmp_path: Path) -> None:
    account = "<wp:comment_user_id>3</wp:comment_user_id>"
    visitor = "<wp:comment_user_id>0</wp:comment_user_id>"
    data = wxr(item(comment("11", extra=account) + comment("12", extra=visitor)))
    store = Store.open(tmp_path / "s.db")
    store.import_batch(parse_wxr("cafe.xml", data))
    rows = store.db.execute("SELECT author, author_user_id, author_key FROM comments "
                            "ORDER BY id").fetchall()
    assert [(name, uid) for name, uid, _ in rows] == [("Reader 11", "3"), ("Reader 12", None)]
    assert rows[0][2].startswith("user:") and rows[0][2].endswith(":3")
    assert rows[1][2].startswith("name:")
    store.close()


def test_a_store_of_m008_is_migrated_and_keys_new_comments_by_user_id(tmp_path: Path) -> None:
    from cmreader.store.author_keys import m008_author_key_sql

    store = make_store(tmp_path / "old.db")
    before = dict(store.db.execute("SELECT id, author_key FROM comments").fetchall())
    # Back to what m008 left: its triggers, no user id column, no m009 in the table.
    for name in ("comments_author_key", "comments_user_author_key", "posts_blog_author_keys"):
        store.db.execute(f"DROP TRIGGER {name}")
    store.db.execute("ALTER TABLE comments DROP COLUMN author_user_id")
    old_key = m008_author_key_sql("new", "new.post_id")
    store.db.execute("CREATE TRIGGER comments_author_key AFTER INSERT ON comments WHEN "
                     f"new.author_key IS NULL BEGIN UPDATE comments SET author_key = {old_key} "
                     "WHERE id = new.id; END")
    store.db.execute("CREATE TRIGGER posts_blog_author_keys AFTER UPDATE OF blog_id ON posts "
                     "BEGIN SELECT 1; END")
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_commenter_user_ids'")
    store.close()
    again = Store.open(tmp_path / "old.db")
    assert dict(again.db.execute("SELECT id, author_key FROM comments").fetchall()) == before
    _blog(again, "gamma", CommentRecord("g-1", None, "Léa", "2016-01-01T10:00:00Z", "Salut",
                                        author_email="lea@example.org", author_user_id="42"))
    assert _key(again, "g-1").endswith(":42")
    # A user id learnt later (set by hand here) moves the comment to that account.
    again.db.execute("UPDATE comments SET author_user_id = '43' WHERE key = 'g-1'")
    assert _key(again, "g-1").endswith(":43")
    again.close()


def test_an_import_keys_its_comments_as_the_trigger_would(tmp_path: Path) -> None:
    """The bulk insert works the key out itself (one write a comment): the same key the
    insert trigger gives a reply or any other comment."""
    from cmreader.store.author_keys import author_key_sql

    store = make_store(tmp_path / "keys.db")
    rows = store.db.execute(
        f"SELECT c.author_key, {author_key_sql('c', 'c.post_id')} FROM comments c"
    ).fetchall()
    assert rows and all(stored == expected for stored, expected in rows)
    assert any(stored is not None for stored, _ in rows)
    store.close()
