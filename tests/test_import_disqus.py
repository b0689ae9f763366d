"""Disqus importer: threads as episodes, posts as comments joined by dsq:id."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from cmreader.errors import ImportFailed
from cmreader.importers.disqus import parse_disqus
from cmreader.records import ImportBatch

DISQUS = FIXTURES / "disqus"


def load(name: str) -> ImportBatch:
    path = DISQUS / name
    return parse_disqus(str(path), path.read_bytes())


def test_example_reply_under_its_parent() -> None:
    batch = load("disqus-example.xml")
    assert batch.format == "disqus"
    assert batch.owner == "Marie"
    assert batch.skipped == {}
    (post,) = batch.posts
    assert post.key == "disqus:cafe:20"
    assert post.title == "Episode 12"
    assert post.url == "https://cafe.example/2021/09/episode-12"  # trailing slash dropped
    assert post.published == "2021-09-06T08:00:00Z"
    first, reply = post.comments
    assert first.key == "disqus:cafe:p30" and first.parent_key is None
    assert (first.author, first.body, first.published) == (
        "Zoé",
        "Super épisode !",
        "2021-09-06T09:15:00Z",
    )
    assert reply.key == "disqus:cafe:p31"
    assert reply.parent_key == first.key
    assert reply.by_owner and not first.by_owner


def test_isso_orphans_deleted_and_empty_threads() -> None:
    batch = load("isso-disqus.xml")
    # Thread 3 has neither a comment nor an article: Disqus made it when a page loaded its
    # script, it is no episode.
    assert batch.skipped == {"orphan comments": 1, "empty threads": 1}
    assert [p.key for p in batch.posts] == ["disqus:disqusdev:2", "disqus:redacted:7"]
    hello, redacted = batch.posts
    assert (hello.title, hello.url, hello.author) == ("Hello, World!", "http://example.org", "Baz")
    assert redacted.title is None
    assert [c.body for c in redacted.comments] == ["Message from thread with empty title and id"]
    comments = {c.key.rsplit(":p", 1)[1]: c for c in hello.comments}
    assert list(comments) == ["4", "5", "9", "11"]
    assert comments["5"].parent_key == comments["4"].key
    # The reply to a deleted post stays under it; the deleted one is kept, as trash.
    assert comments["9"].status == "trash"
    assert comments["11"].parent_key == comments["9"].key
    assert comments["11"].status == "approved"
    assert all("where am I?" != c.author for p in batch.posts for c in p.comments)


def test_broken_remark42_export_is_not_well_formed() -> None:
    # It starts with a stray backtick and has an unquoted attribute: not XML at all.
    with pytest.raises(ImportFailed) as failure:
        load("remark42-disqus-broken.xml")
    assert "remark42-disqus-broken.xml" in str(failure.value)
    assert (
        failure.value.problem
        == "not well-formed XML (line 1, column 0): not well-formed (invalid token)"
    )


def test_remark42_bad_data_once_well_formed() -> None:
    # With the two syntax faults mended, the bad data left (a bad date, isSpam "123", a post
    # without dsq:id) imports what is clear.
    text = (DISQUS / "remark42-disqus-broken.xml").read_text(encoding="utf-8")
    text = text.lstrip("`").replace("dsq:id=247937687/>", 'dsq:id="247937687"/>')
    batch = parse_disqus("fixed.xml", text.encode())
    assert [p.title for p in batch.posts] == ["Радио-Т: Радио-Т 229"] * 2
    assert batch.posts[0].url == "http://radio-t.umputun.com/2011/03/229_8880.html"
    assert batch.owner == "Umputun"
    first, second = batch.posts
    assert [c.author for c in first.comments] == ["No Username", "Blah Noname"]
    no_id = first.comments[1]
    assert no_id.key.startswith("disqus:radiot:p~")
    assert no_id.body == "This comment had no ID"
    statuses = {c.author: (c.status, c.published) for c in second.comments}
    assert statuses["Spam Noname"] == ("spam", "2011-09-30T22:48:43Z")
    assert statuses["Noname"] == ("approved", None)
    assert parse_disqus("fixed.xml", text.encode()) == batch  # the hash key is stable


def disqus(posts: str, threads: str = "") -> bytes:
    return f"""<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><forum>f</forum><link>https://b.example/post/#comments</link>
<title>T &amp;amp; U</title><author><name>Owner</name><username>own</username></author></thread>
{threads}{posts}</disqus>""".encode()


def post(pid: str, parent: str = "", extra: str = "") -> str:
    parent_ref = f'<parent dsq:id="{parent}"/>' if parent else ""
    return f"""<post dsq:id="{pid}"><message>m{pid}</message><thread dsq:id="1"/>{parent_ref}
<author><name>A{pid}</name></author>{extra}</post>"""


def test_missing_parent_goes_to_top_level_and_flags() -> None:
    extra = "<isDeleted>TRUE</isDeleted>"
    batch = parse_disqus("d.xml", disqus(post("1") + post("2", "404") + post("3", "1", extra)))
    (episode,) = batch.posts
    assert episode.url == "https://b.example/post"
    assert episode.title == "T & U"
    assert [(c.parent_key, c.status) for c in episode.comments] == [
        (None, "approved"),
        (None, "approved"),
        ("disqus:f:p1", "trash"),
    ]


def test_parent_cycle_is_cut_when_stored(store) -> None:  # type: ignore[no-untyped-def]
    store.import_batch(parse_disqus("d.xml", disqus(post("1", "2") + post("2", "1"))))
    rows = store.comment_rows(store.list_posts()[0].id)
    assert len(rows) == 2 and [r.depth for r in rows] == [0, 1]


def test_owner_only_by_account_or_signed_in_name() -> None:
    anonymous = "<author><name>Owner</name><isAnonymous>true</isAnonymous></author>"
    signed = "<author><name>X</name><username>own</username></author>"
    data = disqus(
        f'<post dsq:id="1"><message>a</message><thread dsq:id="1"/>{anonymous}</post>'
        f'<post dsq:id="2"><message>b</message><thread dsq:id="1"/>{signed}</post>'
    )
    assert [c.by_owner for c in parse_disqus("d.xml", data).posts[0].comments] == [False, True]


def test_not_disqus() -> None:
    with pytest.raises(ImportFailed, match="not a Disqus export"):
        parse_disqus("x.xml", b"<rss><channel/></rss>")


@pytest.mark.parametrize("name", ["isso-disqus.xml", "disqus-example.xml"])
def test_mutated_fixtures_only_ever_raise_import_failed(name: str) -> None:
    data = (DISQUS / name).read_bytes()
    step = max(len(data) // 80, 1)
    variants = [data[:n] for n in range(0, len(data), step)]
    variants += [data[:n] + b'"/>' + data[n + 3 :] for n in range(0, len(data), step)]
    for variant in variants:
        try:
            parse_disqus("m.xml", variant)
        except ImportFailed as failure:
            assert "\n" not in str(failure)
