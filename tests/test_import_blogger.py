"""Blogger importer: the classic Atom backup and the Takeout feed.atom."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from cmreader.errors import ImportFailed
from cmreader.importers.blogger import parse_blogger
from cmreader.records import ImportBatch

BLOGGER = FIXTURES / "blogger"
BLOG = "blogger:3113891067179933828"


def load(name: str) -> ImportBatch:
    path = BLOGGER / name
    return parse_blogger(str(path), path.read_bytes())


def test_export_2008_posts_and_comments() -> None:
    batch = load("blogger-export-2008.xml")
    assert batch.format == "blogger"
    assert batch.blog_title == "JJ's Favorite Things"
    assert batch.owner == "JJ"
    assert batch.skipped == {"settings": 47, "template": 1}
    assert [p.title for p in batch.posts] == [
        "A (somewhat) brief history",
        "About Me",
        "Rolling in Hawaii",
        "This about sums up my life.",
    ]
    assert sum(len(p.comments) for p in batch.posts) == 3
    history = batch.posts[0]
    assert history.key == f"{BLOG}:720686382913388888"
    assert history.published == "2008-04-15T16:28:00Z"
    assert history.url == (
        "http://www.blogger.com/blogspot/jjsfavoritethings/2008/04/somewhat-brief-history.html"
    )
    assert history.author == "JJ"
    assert history.body.startswith("I'd like to give you all now a brief history")
    (nice,) = history.comments
    assert nice.key == f"{BLOG}:720686382913388888:c8841580313327712653"
    assert nice.body == "Nice picture!!!\n\nI mean **NICE** picture."
    assert nice.author == "journalseditor @ aol"
    assert nice.published == "2008-11-12T00:09:00Z"
    assert nice.parent_key is None and not nice.by_owner


def test_export_2008_owner_comment() -> None:
    post = load("blogger-export-2008.xml").posts[3]
    assert [(c.author, c.by_owner) for c in post.comments] == [
        ("JJ", True),
        ("journalseditor @ aol", False),
    ]
    assert all(c.author_email is None for c in post.comments)  # noreply@blogger.com hidden


def test_threaded_reply_sits_under_its_parent() -> None:
    batch = load("blogger-threaded-example.xml")
    (post,) = batch.posts
    assert post.key == "blogger:111:222"
    assert post.published == "2016-05-03T06:00:00Z"
    assert post.url == "https://ex.blogspot.com/2016/05/episode-3.html"
    first, reply = post.comments
    assert first.key == "blogger:111:222:c333" and first.parent_key is None
    assert reply.key == "blogger:111:222:c444"
    assert reply.parent_key == first.key
    assert reply.by_owner and not first.by_owner
    assert first.body == "Salut !\\\nDeuxième ligne."


def test_takeout_example() -> None:
    batch = load("blogger-takeout-example.atom")
    assert batch.blog_title == "Cafe des tests"
    assert batch.owner == "Marie"
    (post,) = batch.posts
    assert (post.key, post.title, post.body) == ("blogger:111:222", "Episode 3", "Corps du billet")
    assert post.published == "2016-05-03T06:00:00Z"
    (salut,) = post.comments
    assert salut.key == "blogger:111:222:c333"
    assert (salut.author, salut.body, salut.status) == ("Anonyme", "Salut !", "approved")


def takeout_with_replies(tmp_path: Path) -> Path:
    """The Takeout example plus a reply, a reply to the reply, a spam, a deleted and a draft."""
    text = (BLOGGER / "blogger-takeout-example.atom").read_text(encoding="utf-8")
    entries = """
  <entry>
    <id>tag:blogger.com,1999:blog-111.post-555</id>
    <blogger:parent>tag:blogger.com,1999:blog-111.post-333</blogger:parent>
    <blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>
    <author><name>Marie</name><uri>https://www.blogger.com/profile/42</uri></author>
    <content type='html'>Merci&lt;br&gt;!</content><published>2016-05-03T08:00:00Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-111.post-666</id>
    <blogger:parent>tag:blogger.com,1999:blog-111.post-555</blogger:parent>
    <blogger:type>COMMENT</blogger:type><blogger:status>DELETED</blogger:status>
    <author><name>Zoe</name></author><content type='html'>x</content>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-111.post-777</id>
    <blogger:parent>tag:blogger.com,1999:blog-111.post-222</blogger:parent>
    <blogger:type>COMMENT</blogger:type><blogger:status>SPAM</blogger:status>
    <author><name>Buy</name></author><content type='html'>cheap</content>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-111.post-888</id>
    <blogger:parent>tag:blogger.com,1999:blog-111.post-999999</blogger:parent>
    <blogger:type>COMMENT</blogger:type><blogger:status>LIVE</blogger:status>
    <author><name>Lost</name></author><content type='html'>where?</content>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-111.post-1234567890123456789</id>
    <blogger:type>POST</blogger:type><blogger:status>DRAFT</blogger:status>
    <author><name>Marie</name></author><title>Brouillon</title>
    <content type='html'>&lt;p&gt;à venir&lt;/p&gt;</content>
  </entry>
</feed>"""
    path = tmp_path / "feed.atom"
    path.write_text(text.replace("</feed>", entries), encoding="utf-8")
    return path


def test_takeout_replies_statuses_and_drafts(tmp_path: Path) -> None:
    path = takeout_with_replies(tmp_path)
    batch = parse_blogger(str(path), path.read_bytes())
    episode, draft = batch.posts
    assert draft.key == "blogger:111:1234567890123456789"
    assert (draft.title, draft.body, draft.published) == ("Brouillon", "à venir", None)
    comments = {c.key.rsplit(":c", 1)[1]: c for c in episode.comments}
    assert list(comments) == ["333", "555", "666", "777"]
    assert comments["555"].parent_key == comments["333"].key
    assert comments["666"].parent_key == comments["555"].key
    assert comments["777"].parent_key is None
    assert [c.status for c in comments.values()] == ["approved", "approved", "trash", "spam"]
    assert comments["555"].by_owner and comments["555"].body == "Merci\\\n!"
    assert batch.skipped == {"orphan comments": 1}


def test_ids_stay_text() -> None:
    keys = [c.key for p in load("blogger-export-2008.xml").posts for c in p.comments]
    assert f"{BLOG}:7031156583478223661:c1066271041639903470" in keys


def test_plain_atom_feed_is_not_blogger() -> None:
    data = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id></entry></feed>'
    with pytest.raises(ImportFailed, match="not a Blogger export"):
        parse_blogger("feed.atom", data)
    with pytest.raises(ImportFailed, match="not a Blogger export"):
        parse_blogger("x.xml", b"<rss/>")


def test_reply_cycle_is_cut_when_stored(store) -> None:  # type: ignore[no-untyped-def]
    text = (BLOGGER / "blogger-threaded-example.xml").read_text(encoding="utf-8")
    # Make 333 claim 444 as its parent while 444 already claims 333.
    reply_to = "<thr:in-reply-to ref='tag:blogger.com,1999:blog-111.post-222'"
    first = text.index(reply_to)  # the first comment's (333) thread link
    related = (
        "<link rel='related' href='https://www.blogger.com/feeds/111/222/comments/default/444'/>"
    )
    cyclic = text[:first] + related + text[first:]
    assert cyclic != text
    store.import_batch(parse_blogger("c.xml", cyclic.encode()))
    rows = store.comment_rows(store.list_posts()[0].id)
    assert len(rows) == 2 and [r.depth for r in rows] == [0, 1]


@pytest.mark.parametrize("name", ["blogger-export-2008.xml", "blogger-threaded-example.xml"])
def test_mutated_fixtures_only_ever_raise_import_failed(name: str) -> None:
    data = (BLOGGER / name).read_bytes()
    step = max(len(data) // 60, 1)
    variants = [data[:n] for n in range(0, len(data), step)]
    variants += [data[:n] + b"\x00<'" + data[n + 3 :] for n in range(0, len(data), step * 3)]
    for variant in variants:
        try:
            parse_blogger("m.xml", variant)
        except ImportFailed as failure:
            assert "\n" not in str(failure)
