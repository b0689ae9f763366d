"""The WordPress sync against the real local site: connect, pull, statuses, and the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cmreader.config import SyncSettings
from cmreader.store import Store
from cmreader.sync.client import AuthRefused, SiteProblem
from cmreader.sync.connect import connect
from sync.helpers import SETTINGS, all_rows, connected, on_site, remote_id, row_by_body, sync


def test_connect_pulls_every_episode_and_comment_with_its_status(wordpress, tmp_path: Path):
    post = wordpress.add_post("Débrouillardise", "<p>Être <em>autonome</em>.</p>")
    page = wordpress.add_post("À propos", "<p>La page</p>")
    first = wordpress.add_comment(post, "Bonjour Becky", author="boots38", email="b@example.org")
    wordpress.add_comment(post, "Salut boots38", parent=first, user="admin")
    wordpress.add_comment(post, "held for review", author="Ann", status="hold")
    wordpress.add_comment(post, "buy pills", author="Spammer", status="spam")
    wordpress.add_comment(post, "binned", author="Old", status="trash")
    wordpress.add_comment(page, "on a page", author="Zed")

    store = connected(tmp_path, wordpress.url, wordpress)

    titles = {p.title for p in store.list_posts()}
    assert {"Débrouillardise", "À propos"} <= titles
    statuses = {row.body: row.status for row in all_rows(store)}
    assert statuses == {
        "Bonjour Becky": "approved", "Salut boots38": "approved", "held for review": "pending",
        "buy pills": "spam", "binned": "trash", "on a page": "approved",
    }
    answer = row_by_body(store, "Salut boots38")
    assert answer.by_owner and answer.parent_id == row_by_body(store, "Bonjour Becky").id
    # The owner is the account that connected: its answer answers; the page's comment waits.
    assert not row_by_body(store, "Bonjour Becky").needs_answer
    assert row_by_body(store, "on a page").needs_answer
    body = store.get_post(answer.post_id).body
    assert "*autonome*" in body
    # Nothing is added twice by the next sync.
    before = len(all_rows(store))
    result = sync(store)
    assert result.problem is None and result.pulled is not None
    assert result.pulled.comments_added == 0 and len(all_rows(store)) == before


def test_reply_and_approval_reach_the_site_once(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "<p>text</p>")
    question = wordpress.add_comment(post, "A question?", author="Ann")
    held = wordpress.add_comment(post, "Please approve me", author="Bob", status="hold")
    store = connected(tmp_path, wordpress.url, wordpress)
    asked = row_by_body(store, "A question?")
    store.send_reply(asked.post_id, asked.id, "Yes, **gladly**.")
    store.moderate(row_by_body(store, "Please approve me").id, "approved")
    assert store.sites.summary().to_publish == 2
    assert row_by_body(store, "Yes, **gladly**.").sync_state == "queued"

    result = sync(store)
    assert result.problem is None and result.published == 2
    replies = on_site(wordpress, "gladly")
    assert len(replies) == 1
    assert replies[0]["parent"] == question and replies[0]["user_id"] == 1
    assert "<strong>gladly</strong>" in replies[0]["content"]
    assert {c["id"]: c["status"] for c in wordpress.comments()}[held] == "approved"
    mine = row_by_body(store, "Yes, **gladly**.")
    assert mine.sync_state == "published" and remote_id(mine) == replies[0]["id"]
    assert store.sites.summary().to_publish == 0

    for _ in range(2):
        sync(store)
    assert len(on_site(wordpress, "gladly")) == 1
    assert len([r for r in all_rows(store) if "gladly" in r.body]) == 1


def test_moderation_done_on_the_site_comes_back(wordpress, tmp_path: Path):
    old = wordpress.add_post("Old episode", "", date=datetime.now(UTC) - timedelta(days=400))
    new = wordpress.add_post("New episode", "")
    on_old = wordpress.add_comment(old, "old comment", author="Ann")
    on_new = wordpress.add_comment(new, "new comment", author="Bob")
    settings = SyncSettings(timeout=3.0, full_every=3, recent=1)
    store = connected(tmp_path, wordpress.url, wordpress, settings=settings)  # sync 1: full
    wordpress.set_comment_status(on_new, "spam")
    wordpress.set_comment_status(on_old, "trash")
    sync(store, settings=settings)  # sync 2: the newest episode's statuses only
    assert row_by_body(store, "new comment").status == "spam"
    assert row_by_body(store, "old comment").status == "approved"
    sync(store, settings=settings)  # sync 3: recent again
    sync(store, settings=settings)  # sync 4: every status (4th: count 3 % 3 == 0)
    assert row_by_body(store, "old comment").status == "trash"
    # Deleted for good on the site: hidden here, never lost.
    wordpress.delete_comment(on_new)
    for _ in range(3):
        sync(store, settings=settings)
    assert row_by_body(store, "new comment").status == "trash"


def test_new_comments_and_changed_posts_arrive_on_the_next_sync(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "<p>first version</p>")
    store = connected(tmp_path, wordpress.url, wordpress)
    wordpress.add_comment(post, "came later", author="Late")
    wordpress.update_post(post, title="Episode, edited", content="<p>second version</p>")
    result = sync(store)
    assert result.pulled is not None and result.pulled.comments_added == 1
    (episode,) = store.list_posts()
    assert episode.title == "Episode, edited"
    assert "second version" in store.get_post(episode.id).body
    assert row_by_body(store, "came later").needs_answer


def test_edit_and_delete_of_a_published_reply_follow(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "Hello", author="Ann")
    store = connected(tmp_path, wordpress.url, wordpress)
    hello = row_by_body(store, "Hello")
    store.send_reply(hello.post_id, hello.id, "first words")
    sync(store)
    mine = row_by_body(store, "first words")
    store.edit_reply(mine.id, "better words")
    sync(store)
    (published,) = on_site(wordpress, "words")
    assert "better words" in published["content"] and published["status"] == "approved"
    store.delete_reply(mine.id)
    sync(store)
    assert on_site(wordpress, "words")[0]["status"] == "trash"


def test_a_reply_never_sent_is_edited_or_dropped_before_it_goes(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "Hello", author="Ann")
    store = connected(tmp_path, wordpress.url, wordpress)
    hello = row_by_body(store, "Hello")
    store.send_reply(hello.post_id, hello.id, "draft words")
    mine = row_by_body(store, "draft words")
    store.edit_reply(mine.id, "final words")
    other = store.send_reply(hello.post_id, hello.id, "never mind")
    store.delete_reply(other.id)
    result = sync(store)
    assert result.published == 1
    assert [c["content"] for c in on_site(wordpress, "words")] == ["<p>final words</p>"]
    assert on_site(wordpress, "never mind") == []


def test_a_reply_to_a_comment_trashed_on_the_site_is_a_conflict_with_its_text_kept(
    wordpress, tmp_path: Path
):
    post = wordpress.add_post("Episode", "")
    doomed = wordpress.add_comment(post, "soon trashed", author="Ann")
    store = connected(tmp_path, wordpress.url, wordpress)
    target = row_by_body(store, "soon trashed")
    wordpress.set_comment_status(doomed, "trash")
    store.send_reply(target.post_id, target.id, "my careful answer")
    result = sync(store)
    assert result.problem is None
    mine = row_by_body(store, "my careful answer")
    assert mine.sync_state == "conflict"
    assert "trash" in (mine.sync_note or "")
    assert on_site(wordpress, "careful answer") == []
    assert store.sites.summary().conflicts == 1
    # Put back on the site: the reply goes, once.
    wordpress.set_comment_status(doomed, "approved")
    sync(store)
    assert len(on_site(wordpress, "careful answer")) == 1
    assert row_by_body(store, "my careful answer").sync_state == "published"


def test_an_answer_to_your_own_unpublished_reply_waits_for_it(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "Hello", author="Ann")
    store = connected(tmp_path, wordpress.url, wordpress)
    hello = row_by_body(store, "Hello")
    mine = store.send_reply(hello.post_id, hello.id, "level one")
    store.send_reply(hello.post_id, mine.id, "level two")
    sync(store)
    one, two = on_site(wordpress, "level one"), on_site(wordpress, "level two")
    assert len(one) == 1 and len(two) == 1 and two[0]["parent"] == one[0]["id"]


def _imported(tmp_path: Path, site: str, post: int, comment: int) -> Store:
    """A new store holding a WXR export of `site` with one post and one comment."""
    from cmreader.importers import load

    export = tmp_path / "export.xml"
    export.write_text(_wxr(site, post, comment), encoding="utf-8")
    store = Store.open(tmp_path / "store.db")
    store.import_batch(load(str(export)))
    return store


def test_connect_merges_with_an_import_of_the_same_site(wordpress, tmp_path: Path):
    post = wordpress.add_post("Imported first", "<p>body</p>")
    comment = wordpress.add_comment(post, "from the export", author="Ann")
    store = _imported(tmp_path, wordpress.url, post, comment)
    assert len(all_rows(store)) == 1
    wordpress.add_comment(post, "after the export", author="Bob")
    user, password = wordpress.credentials()
    connect(store, wordpress.url, user, password, SETTINGS)
    assert len(store.list_blogs()) == 1
    assert len(store.list_posts()) == 1
    assert sorted(r.body for r in all_rows(store)) == ["after the export", "from the export"]


def test_wrong_password_is_refused_and_nothing_is_stored(wordpress, tmp_path: Path):
    wordpress.add_post("Episode", "")
    store = Store.open(tmp_path / "store.db")
    with pytest.raises(AuthRefused, match="Application Password"):
        connect(store, wordpress.url, "admin", "wrong wrong wrong", SETTINGS)
    assert store.sites.all() == [] and store.list_posts() == []


def test_plain_http_is_refused_for_a_remote_site(tmp_path: Path):
    store = Store.open(tmp_path / "store.db")
    with pytest.raises(SiteProblem, match="plain http"):
        connect(store, "http://blog.example.org", "admin", "x", SETTINGS)


def _wxr(site: str, post: int, comment: int) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>cmreader test blog</title>
  <link>{site}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login>admin</wp:author_login>
    <wp:author_display_name>Admin</wp:author_display_name></wp:author>
  <item>
    <title>Imported first</title>
    <link>{site}/?p={post}</link>
    <dc:creator>admin</dc:creator>
    <content:encoded><![CDATA[<p>body</p>]]></content:encoded>
    <wp:post_id>{post}</wp:post_id>
    <wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    <wp:comment>
      <wp:comment_id>{comment}</wp:comment_id>
      <wp:comment_author>Ann</wp:comment_author>
      <wp:comment_date_gmt>2024-01-02 10:00:00</wp:comment_date_gmt>
      <wp:comment_content>from the export</wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_parent>0</wp:comment_parent>
      <wp:comment_user_id>0</wp:comment_user_id>
    </wp:comment>
  </item>
</channel>
</rss>
"""


def test_a_change_the_site_refuses_waits_alone_with_the_reason(wordpress, tmp_path: Path):
    draft = wordpress.add_post("Not published yet", "", status="draft")
    public = wordpress.add_post("Published", "")
    wordpress.add_comment(draft, "on the draft", author="Ann")
    wordpress.add_comment(public, "on the post", author="Bob")
    store = connected(tmp_path, wordpress.url, wordpress)
    for text, answer in (("on the draft", "to the draft"), ("on the post", "to the post")):
        row = row_by_body(store, text)
        store.send_reply(row.post_id, row.id, answer)
    result = sync(store)
    assert result.problem is None and result.published == 1
    refused = row_by_body(store, "to the draft")
    assert refused.sync_state == "failed"
    assert (refused.sync_note or "").startswith("refused by the site: 403")
    assert len(on_site(wordpress, "to the post")) == 1 and on_site(wordpress, "to the draft") == []


def test_replies_from_before_the_connection_stay_local(wordpress, tmp_path: Path):
    post = wordpress.add_post("Episode", "")
    comment = wordpress.add_comment(post, "from the export", author="Ann")
    store = _imported(tmp_path, wordpress.url, post, comment)
    asked = row_by_body(store, "from the export")
    early = store.send_reply(asked.post_id, asked.id, "written before connecting")
    user, password = wordpress.credentials()
    connect(store, wordpress.url, user, password, SETTINGS)
    # Changing it later sends nothing: the site never had it.
    store.edit_reply(early.id, "written before connecting, edited")
    assert store.sites.summary().to_publish == 0
    # Answering it is a conflict, said beside the answer, instead of waiting for ever.
    store.send_reply(asked.post_id, early.id, "an answer to the local reply")
    sync(store)
    answer = row_by_body(store, "an answer to the local reply")
    assert answer.sync_state == "conflict"
    assert "not on the site" in (answer.sync_note or "")
    assert on_site(wordpress, "local reply") == [] and on_site(wordpress, "before") == []


def test_an_account_that_cannot_moderate_is_refused(wordpress, tmp_path: Path):
    store = Store.open(tmp_path / "store.db")
    with pytest.raises(SiteProblem, match="cannot moderate comments"):
        connect(store, wordpress.url, "author", wordpress.password("author"), SETTINGS)
    assert store.sites.all() == []


def test_a_site_naming_another_blogs_address_is_not_merged_into_it(wordpress, tmp_path: Path):
    wordpress.add_post("Episode of the live site", "")
    store = _imported(tmp_path, "https://other.example.org", 5, 7)
    wordpress.set_option("home", "https://other.example.org")
    user, password = wordpress.credentials()
    site, _ = connect(store, wordpress.url, user, password, SETTINGS)
    assert site.home_url == wordpress.url
    assert len(store.list_blogs()) == 2
    titles = {p.title: p.blog_id for p in store.list_posts()}
    assert titles["Imported first"] != titles["Episode of the live site"]


def test_what_the_site_says_is_cleaned_like_an_import(wordpress, tmp_path: Path):
    post = wordpress.add_post("Evil \x1b[31mred\x1b[0m [bold]title[/bold]", "<p>body</p>")
    wordpress.add_comment(
        post, "hi \x1b[2J\x1b]52;c;cGF5bG9hZA==\x07there \u202eevil",
        author="\x1b]0;pwned\x07Mallory [link=x]", email="m@example.org",
    )
    store = connected(tmp_path, wordpress.url, wordpress)
    (episode,) = store.list_posts()
    (row,) = all_rows(store)
    for text in (episode.title, row.body, row.author or ""):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text
    assert episode.title == "Evil red [bold]title[/bold]"  # markup stays text, never styles
    assert row.author == "Mallory [link=x]" and row.body.startswith("hi")
