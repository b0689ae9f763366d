"""WordPress WXR importer on the public fixtures and on small hand-made exports."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES

from cmreader.errors import ImportFailed
from cmreader.importers.wxr import parse_wxr
from cmreader.records import ImportBatch, PostRecord

WORDPRESS = FIXTURES / "wordpress"
NOT_WELL_FORMED = {"crazy-cdata.xml", "malformed.xml"}
WELL_FORMED = sorted(
    p.name for p in WORDPRESS.glob("*") if p.is_file() and p.name not in NOT_WELL_FORMED
)
SITE = "wxr:https://wpthemetestdata.wordpress.com"


def load(name: str) -> ImportBatch:
    path = WORDPRESS / name
    return parse_wxr(str(path), path.read_bytes())


def by_title(batch: ImportBatch, title: str) -> PostRecord:
    return next(p for p in batch.posts if p.title == title)


def depth(parents: dict[str, str | None], key: str) -> int:
    level = 1
    while (parent := parents.get(key)) is not None:
        level, key = level + 1, parent
    return level


def wxr(items: str, ns: str = "http://wordpress.org/export/1.2/", channel: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>Cafe &amp;amp; co</title><link>https://cafe.example</link>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login>marie</wp:author_login>
<wp:author_email>marie@cafe.example</wp:author_email>
<wp:author_display_name><![CDATA[Marie &amp; Co]]></wp:author_display_name></wp:author>
{channel}{items}</channel></rss>""".encode()


def comment(cid: str, parent: str = "0", approved: str = "1", extra: str = "") -> str:
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {cid}]]></wp:comment_author>
<wp:comment_date>2020-01-0{cid[-1]} 10:00:00</wp:comment_date>
<wp:comment_content><![CDATA[<p>Text {cid}</p>]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved>
<wp:comment_parent>{parent}</wp:comment_parent>{extra}</wp:comment>"""


def item(body: str, post_id: str = "1", post_type: str = "post", extra: str = "") -> str:
    return f"""<item><title>Episode &amp;#8217;1  </title><link>https://cafe.example/e1</link>
<dc:creator>marie</dc:creator><guid>https://cafe.example/?p={post_id}</guid>
<content:encoded><![CDATA[<p>Body</p>]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_type>{post_type}</wp:post_type>{extra}
{body}</item>"""


# --- the public fixtures -------------------------------------------------------------------


def test_theme_unit_test_data_counts() -> None:
    batch = load("themeunittestdata.wordpress.xml")
    kinds = Counter(p.kind for p in batch.posts)
    assert kinds == {"post": 58, "page": 21}
    assert sum(len(p.comments) for p in batch.posts) == 33
    assert sum(len(p.comments) for p in batch.posts if p.kind == "page") == 5
    assert batch.skipped == {"attachment": 37, "nav_menu_item": 70}
    assert batch.blog_title == "Theme Unit Test Data"
    assert batch.owner == "Theme Buster"
    assert batch.format == "wxr"
    statuses = Counter(c.status for p in batch.posts for c in p.comments)
    assert statuses == {"approved": 30, "pending": 3}


def test_theme_unit_test_comment_thread_is_ten_levels_deep() -> None:
    post = by_title(load("themeunittestdata.wordpress.xml"), "Template: Comments")
    assert post.key == f"{SITE}:1148"
    assert len(post.comments) == 20
    parents = {c.key: c.parent_key for c in post.comments}
    assert all(p is None or p in parents for p in parents.values())
    assert max(depth(parents, k) for k in parents) == 10
    first = post.comments[0]
    assert first.key == f"{SITE}:1148:c881"
    assert first.author == "John Γιάννης Doe Κάποιος"
    assert first.published == "2012-09-03T17:18:04Z"
    assert first.parent_key is None
    # themedemos is the post author's login: those comments are the owner's.
    assert {c.author for c in post.comments if c.by_owner} == {"themedemos"}


def test_theme_unit_test_page_comments_and_reply() -> None:
    page = by_title(load("themeunittestdata.wordpress.xml"), "Page with comments")
    assert page.kind == "page"
    assert [(c.key.rsplit(":", 1)[1], c.author, c.status) for c in page.comments] == [
        ("c167", "Anon", "approved"),
        ("c168", "tellyworthtest2", "approved"),
        ("c169", "themedemos", "approved"),
        ("c1017", "themereviewteam", "pending"),
    ]
    assert page.comments[3].parent_key == page.comments[1].key


def test_pingbacks_and_trackbacks_are_kept_with_unescaped_names() -> None:
    post = by_title(load("themeunittestdata.wordpress.xml"), "Template: Pingbacks And Trackbacks")
    assert len(post.comments) == 5
    assert post.comments[0].author == "Ping 1 « What’s a tellyworth?"
    assert all(c.status == "approved" for c in post.comments)


def test_titles_are_unescaped_once_after_xml_decoding() -> None:
    batch = load("themeunittestdata.wordpress.xml")
    assert any(
        p.title == "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
        for p in batch.posts
    )


@pytest.mark.parametrize("name", WELL_FORMED)
def test_every_well_formed_wordpress_fixture_parses(name: str) -> None:
    batch = load(name)
    assert batch.source.endswith(name)
    keys = [p.key for p in batch.posts] + [c.key for p in batch.posts for c in p.comments]
    assert len(keys) == len(set(keys))
    assert load(name) == batch  # same file, same records: keys stable across imports


@pytest.mark.parametrize("name", WELL_FORMED)
def test_no_shortcode_or_block_comment_survives(name: str) -> None:
    # A shortcode, not a Markdown link named "caption"; code blocks may quote them as text.
    leftover = re.compile(r"\[/?(caption|gallery|embed|audio|video|playlist)\b[^\]]*\](?!\()|<!--")
    fenced = re.compile(r"```.*?```", re.S)
    batch = load(name)
    bodies = [p.body for p in batch.posts] + [c.body for p in batch.posts for c in p.comments]
    assert [b for b in bodies if leftover.search(fenced.sub("", b))] == []


@pytest.mark.parametrize("name", sorted(NOT_WELL_FORMED))
def test_not_well_formed_fixtures_fail_naming_the_file(name: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        load(name)
    assert name in str(failure.value)
    assert "\n" not in str(failure.value)
    assert failure.value.problem.startswith("not well-formed XML (line ")


def test_malformed_names_the_line() -> None:
    with pytest.raises(ImportFailed) as failure:
        load("malformed.xml")
    assert failure.value.problem == "not well-formed XML (line 90, column 2): mismatched tag"


def test_wordpress_com_2008_with_undeclared_excerpt_prefix() -> None:
    batch = load("wordpress-com-2008.wxr")
    assert batch.blog_title == "Data Portability Testbed"
    assert batch.owner == "jlueck"
    assert len(batch.posts) == 10
    assert batch.skipped == {"attachment": 1}
    drafts = batch.posts[:6]
    assert [p.title for p in drafts[:2]] == ["Four Generations", "The shot heard round the world"]
    # Drafts carry the epoch shifted to the blog's timezone (1969-12-31 16:00): not a real date.
    assert {p.published for p in drafts} == {None}
    history = by_title(batch, "A (somewhat) brief history")
    assert history.published == "2008-04-15T09:28:00Z"
    assert history.key == "wxr:http://jlueck.wordpress.com:" + history.key.rsplit(":", 1)[1]
    assert [c.author for c in history.comments] == ["journalseditor @ aol"]
    assert sum(len(p.comments) for p in batch.posts) == 3


def test_utf8_challenges_are_kept_exactly() -> None:
    batch = load("wxr-utf-8-challenges.xml")
    assert batch.blog_title == "My WordPress Website 🚀 \u202e\u202dمرحبا"
    post = batch.posts[0]
    assert (
        post.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
    assert post.author is not None and post.author.endswith("\u200b\u200d\u200c\u200e")
    assert "\u200b" in post.body and "\u202e" in post.body and "\ufeff" in post.body


def test_block_test_data_reply() -> None:
    post = by_title(load("64-block-test-data.xml"), "Comments")
    first, reply = post.comments
    assert reply.parent_key == first.key == f"{SITE}:261:c2"
    assert reply.body == "A reply to the example comment."


def test_slashes_are_not_unslashed() -> None:
    post = load("slashes.xml").posts[0]
    assert post.body == 'Slashes aren\\\'t \\"cool\\"'
    assert post.comments[0].body == "\\o/ ¯\\_(ツ)_/¯"


def test_namespace_edge_cases() -> None:
    batch = load("namespace-edge-cases.xml")
    assert [p.title for p in batch.posts] == [
        "Mixed Namespaces",
        "No Prefix",
        "Empty Namespace",
        "Unicode Namespace",
        "Hijacked Namespace",
        "Namespace Bomb",
    ]
    # Only real wp namespaces count: the fake author does not, the hijacked item has no wp:post_id.
    assert batch.posts[0].key.endswith(":1")
    assert batch.posts[4].key.endswith(":title:Hijacked Namespace")


def test_missing_version_tag_is_still_wxr() -> None:
    batch = load("missing-version-tag.xml")
    assert batch.posts == ()
    assert batch.blog_title == "WXR Test Data"


# --- hand-made exports ---------------------------------------------------------------------


def test_threads_parent_after_child_and_orphans() -> None:
    data = wxr(item(comment("3", parent="2") + comment("2") + comment("4", parent="99")))
    post = parse_wxr("x.xml", data).posts[0]
    by_id = {c.key.rsplit(":c", 1)[1]: c for c in post.comments}
    assert by_id["3"].parent_key == "wxr:https://cafe.example:1:c2"
    assert by_id["2"].parent_key is None
    assert by_id["4"].parent_key is None  # parent missing from the file: an orphan on top


def test_parent_cycle_is_cut_when_stored(store) -> None:  # type: ignore[no-untyped-def]
    data = wxr(item(comment("1", parent="2") + comment("2", parent="1")))
    store.import_batch(parse_wxr("x.xml", data))
    rows = store.comment_rows(store.list_posts()[0].id)
    assert len(rows) == 2 and [r.depth for r in rows] == [0, 1]


@pytest.mark.parametrize(
    ("approved", "status"),
    [("1", "approved"), ("0", "pending"), ("spam", "spam"), ("trash", "trash"), ("x", "pending")],
)
def test_statuses(approved: str, status: str) -> None:
    data = wxr(item(comment("1", approved=approved)))
    assert parse_wxr("x.xml", data).posts[0].comments[0].status == status


def test_names_dates_and_owner() -> None:
    extra = "<wp:post_date>2020-01-01 12:00:00</wp:post_date>"
    extra += "<wp:post_date_gmt>2020-01-01 11:00:00</wp:post_date_gmt>"
    owner = "<wp:comment_user_id>7</wp:comment_user_id>"
    gmt = "<wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt>"
    batch = parse_wxr(
        "x.xml", wxr(item(comment("1", extra=owner) + comment("2", extra=gmt), extra=extra))
    )
    post = batch.posts[0]
    assert batch.blog_title == "Cafe & co"
    assert batch.owner == post.author == "Marie & Co"
    assert post.title == "Episode \u20191"
    assert post.published == "2020-01-01T11:00:00Z"
    assert post.url == "https://cafe.example/e1"
    assert post.body == "Body"
    first, second = post.comments
    assert first.by_owner and not second.by_owner
    assert second.published == "2020-01-02T10:00:00Z"  # a zero GMT date falls back to local
    assert first.body == "Text 1"


def test_zero_dates_are_none() -> None:
    extra = "<wp:post_date>0000-00-00 00:00:00</wp:post_date>"
    extra += "<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>"
    post = parse_wxr("x.xml", wxr(item("", extra=extra))).posts[0]
    assert post.published is None


def test_owner_by_name_or_email() -> None:
    by_email = "<wp:comment_author_email>Marie@Cafe.example</wp:comment_author_email>"
    data = wxr(item(comment("1", extra=by_email)))
    assert parse_wxr("x.xml", data).posts[0].comments[0].by_owner


def test_custom_types_are_skipped_and_counted() -> None:
    items = item("", "1") + item("", "2", "attachment") + item("", "3", "wp_block")
    items += item("", "4", "page") + item("", "5", "product") + item("", "6", "attachment")
    batch = parse_wxr("x.xml", wxr(items))
    assert [p.kind for p in batch.posts] == ["post", "page"]
    assert batch.skipped == {"attachment": 2, "wp_block": 1, "product": 1}


@pytest.mark.parametrize(
    "ns",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_namespace_versions(ns: str) -> None:
    assert len(parse_wxr("x.xml", wxr(item(comment("1")), ns=ns)).posts[0].comments) == 1


def test_ids_missing_fall_back_to_guid() -> None:
    data = wxr(item("").replace("<wp:post_id>1</wp:post_id>", ""))
    assert (
        parse_wxr("x.xml", data).posts[0].key
        == "wxr:https://cafe.example:guid:https://cafe.example/?p=1"
    )


def test_plain_rss_is_not_wxr() -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    with pytest.raises(ImportFailed, match="not a WordPress WXR export"):
        parse_wxr("feed.xml", data)
    with pytest.raises(ImportFailed, match="not a WordPress WXR export"):
        parse_wxr("feed.xml", b"<html><body/></html>")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (
            b"<rss><channel>",
            "looks cut off: the XML stops at line 1, column 14, before its end (no element found)",
        ),
    ],
)
def test_empty_and_truncated(data: bytes, problem: str) -> None:
    with pytest.raises(ImportFailed) as failure:
        parse_wxr("x.xml", data)
    assert failure.value.problem == problem


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(entities) + "\n]>\n"
        "<rss><channel><title>&lol9;</title></channel></rss>\n"
    )
    start = time.monotonic()
    with pytest.raises(ImportFailed) as failure:
        parse_wxr(str(bomb), bomb.read_bytes())
    assert time.monotonic() - start < 1
    assert (
        failure.value.problem == "refused: the XML declares a DTD or entities (possible XML bomb)"
    )
    assert str(bomb) in str(failure.value)


def test_external_entity_is_refused(tmp_path: Path) -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><title>&x;</title></channel></rss>"
    )
    with pytest.raises(ImportFailed, match="refused"):
        parse_wxr("xxe.xml", data)


def test_unbound_prefix_retry_only_fixes_prefixes() -> None:
    good = wxr(item("<excerpt:encoded>x</excerpt:encoded>"))
    assert parse_wxr("x.xml", good).posts[0].title == "Episode \u20191"
    broken = good.replace(b"</item>", b"</itm>")
    with pytest.raises(ImportFailed, match="not well-formed XML"):
        parse_wxr("x.xml", broken)


def test_mutated_fixtures_only_ever_raise_import_failed() -> None:
    # A cheap stand-in for fuzzing: truncations and byte flips of a real export.
    data = (WORDPRESS / "valid-wxr-1.1.xml").read_bytes()
    variants = [data[:n] for n in range(0, len(data), 97)]
    variants += [data[:n] + b"\xff<&]" + data[n + 3 :] for n in range(0, len(data), 211)]
    for variant in variants:
        try:
            parse_wxr("m.xml", variant)
        except ImportFailed as failure:
            assert "\n" not in str(failure)


def test_the_fixtures_do_hold_shortcodes_and_block_comments() -> None:
    # Keeps the check above honest: the raw files carry what the bodies must not.
    raw = b"".join((WORDPRESS / name).read_bytes() for name in WELL_FORMED)
    assert b"<!-- wp:paragraph" in raw and b"[gallery" in raw and b"[/caption]" in raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008-04-15 09:28:00", "2008-04-15T09:28:00Z"),
        ("2008-11-11T16:10:36.775-08:00", "2008-11-12T00:10:36Z"),
        ("2016-05-03T08:00:00.000+02:00", "2016-05-03T06:00:00Z"),
        ("2021-09-06T09:15:00Z", "2021-09-06T09:15:00Z"),
        ("2021-09-06T09:15:00.1234567Z", "2021-09-06T09:15:00Z"),
        ("Tue, 15 Apr 2008 09:45:00 +0000", "2008-04-15T09:45:00Z"),
        ("Wed, 31 Dec 1969 16:00:00 -0800", "1970-01-01T00:00:00Z"),
        ("2014-03-10", "2014-03-10T00:00:00Z"),
        ("0000-00-00 00:00:00", None),
        ("2011-x09-30T22:48:43Z", None),
        ("0001-01-01T00:00:00+14:00", None),
        ("", None),
        (None, None),
        ("yesterday", None),
    ],
)
def test_dates(text: str | None, expected: str | None) -> None:
    from cmreader.importers.dates import to_utc_iso

    assert to_utc_iso(text) == expected


def test_items_in_another_wrapper_than_channel_import_the_same() -> None:
    """A hand-edited export with <items> for <channel> holds clear data: it imports alike."""
    original = (WORDPRESS / "valid-wxr-1.1.xml").read_bytes()
    edited = original.replace(b"<channel>", b"<items>").replace(b"</channel>", b"</items>")
    assert edited != original
    same = parse_wxr("edited.xml", edited)
    base = load("valid-wxr-1.1.xml")
    assert [(p.key, p.title, len(p.comments)) for p in same.posts] == [
        (p.key, p.title, len(p.comments)) for p in base.posts
    ]


def test_an_rss_with_no_item_at_all_says_so() -> None:
    with pytest.raises(ImportFailed, match="without a <channel> or any <item>"):
        bare = wxr("").replace(b"<channel>", b"<x>").replace(b"</channel>", b"</x>")
        parse_wxr("empty.xml", bare)
