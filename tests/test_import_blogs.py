"""Blogs, owners, post statuses, pingbacks and keys on a real store, from the real fixtures."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

from conftest import FIXTURES, SAMPLE

from cmreader.exporters.json_export import export_data, export_json
from cmreader.importers import load
from cmreader.store import Store

WORDPRESS = FIXTURES / "wordpress"
THEME = WORDPRESS / "themeunittestdata.wordpress.xml"
WXR11 = WORDPRESS / "valid-wxr-1.1.xml"
BLOGGER = FIXTURES / "blogger" / "blogger-threaded-example.xml"
DISQUS = FIXTURES / "disqus" / "disqus-example.xml"


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def comments(export: dict) -> list[dict]:
    out, stack = [], [c for p in export["posts"] for c in p["comments"]]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(c["replies"])
    return out


def test_pingbacks_and_unpublished_posts_never_wait(store: Store) -> None:
    store.import_batch(load(str(THEME)))
    data = export_data(store)
    by_type = Counter(c["type"] for c in comments(data))
    assert by_type == {"comment": 29, "pingback": 2, "trackback": 2}
    assert not [c for c in comments(data) if c["type"] != "comment" and c["needs_answer"]]
    statuses = Counter(p["status"] for p in data["posts"])
    assert statuses == {"publish": 77, "draft": 1, "future": 1}
    waiting = {e.comment_id for e in store.needs_answer()}
    posts = {p.id: p for p in store.list_posts()}
    rows = [store.get_comment(cid) for cid in waiting]
    assert rows and all(r is not None and r.type == "comment" for r in rows)
    assert all(posts[r.post_id].status == "publish" for r in rows if r is not None)
    assert sum(p.waiting_count for p in posts.values()) == len(waiting)


def test_comments_on_a_draft_never_wait(tmp_path: Path, store: Store) -> None:
    data = WXR11.read_bytes()
    draft = data.replace(b"<wp:status>publish</wp:status>", b"<wp:status>draft</wp:status>", 1)
    assert draft != data
    store.import_batch(load(write(tmp_path, "draft.xml", draft)))
    (post,) = [p for p in store.list_posts() if p.comment_count]
    assert post.status == "draft" and post.waiting_count == 0 and store.needs_answer() == []


def test_the_inbox_reads_the_waiting_index(store: Store) -> None:
    store.import_batch(load(str(THEME)))
    plan = " ".join(
        str(row)
        for row in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id "
            "WHERE c.deleted_at IS NULL AND c.status = 'approved' AND c.by_owner = 0 "
            "AND c.type = 'comment' AND p.status = 'publish' ORDER BY c.published"
        )
    )
    assert "comments_waiting" in plan


def test_a_never_published_draft_has_no_date(tmp_path: Path, store: Store) -> None:
    data = THEME.read_bytes()
    # How WordPress exports a draft never published: zero GMT date, pubDate in the year -1.
    start = data.index(b"<title>Draft</title>")
    end = data.index(b"</item>", start)
    item = data[start:end]
    never = re.sub(rb"<wp:post_date_gmt>[^<]*<", b"<wp:post_date_gmt>0000-00-00 00:00:00<", item)
    never = re.sub(rb"<pubDate>[^<]*<", b"<pubDate>Mon, 30 Nov -0001 00:00:00 +0000<", never)
    assert never != item
    batch = load(write(tmp_path, "draft.xml", data[:start] + never + data[end:]))
    (post,) = [p for p in batch.posts if p.title == "Draft"]
    assert post.status == "draft" and post.published is None
    store.import_batch(batch)
    (exported,) = [p for p in export_data(store)["posts"] if p["title"] == "Draft"]
    assert exported["published"] is None


def test_comments_on_an_attachment_page_are_kept_on_it(tmp_path: Path, store: Store) -> None:
    data = THEME.read_bytes()
    comment = re.search(rb"<wp:comment>.*?</wp:comment>", data, re.S)
    assert comment is not None
    at = data.index(b"<wp:post_type>attachment</wp:post_type>")
    at = data.index(b"</item>", at)
    moved = data[:at] + comment.group(0) + data[at:]
    batch = load(write(tmp_path, "attachment.xml", moved))
    (page,) = [p for p in batch.posts if p.kind == "attachment"]
    assert len(page.comments) == 1 and page.status == "publish"
    assert batch.skipped["attachment"] == load(str(THEME)).skipped["attachment"] - 1
    store.import_batch(batch)
    (stored,) = [p for p in store.list_posts() if p.kind == "attachment"]
    assert stored.comment_count == 1


def test_wxr_owner_by_user_id_then_email_then_name(tmp_path: Path) -> None:
    data = WXR11.read_bytes()
    # The owner's name typed by a visitor logged in as someone else is not the owner.
    other = data.replace(b"<![CDATA[Mr WordPress]]>", b"<![CDATA[John Doe]]>", 1).replace(
        b"<wp:comment_user_id>0</wp:comment_user_id>",
        b"<wp:comment_user_id>9</wp:comment_user_id>", 1
    )
    mine = other.replace(b"<wp:comment_user_id>9<", b"<wp:comment_user_id>2<", 1)
    by_mail = data.replace(b"<wp:comment_author_email></wp:comment_author_email>",
                           b"<wp:comment_author_email>JohnDoe@Example.org</wp:comment_author_email>")
    named = data.replace(b"<![CDATA[Mr WordPress]]>", b"<![CDATA[John Doe]]>", 1)
    verdicts = {}
    for name, variant in [("other", other), ("mine", mine), ("mail", by_mail), ("name", named)]:
        batch = load(write(tmp_path, f"{name}.xml", variant))
        verdicts[name] = [c.by_owner for p in batch.posts for c in p.comments]
    assert verdicts == {"other": [False], "mine": [True], "mail": [True], "name": [True]}
    assert load(str(WXR11)).blog.owner_user_id == "2"  # type: ignore[union-attr]


def test_blogger_owner_is_the_profile_not_the_name(tmp_path: Path, store: Store) -> None:
    data = BLOGGER.read_bytes()
    # A commenter without a profile signing with the owner's name is not the owner.
    impostor = data.replace(b"<name>Anonyme</name>", b"<name>Marie</name>")
    assert impostor != data
    batch = load(write(tmp_path, "impostor.xml", impostor))
    flags = {c.author_url: c.by_owner for p in batch.posts for c in p.comments}
    assert flags == {None: False, "https://www.blogger.com/profile/42": True}
    store.import_batch(batch)
    rows = store.comment_rows(store.list_posts()[0].id)
    assert [r.by_owner for r in rows] == [False, True]


def test_disqus_moderator_flag_marks_the_owner(tmp_path: Path) -> None:
    data = DISQUS.read_bytes()
    flagged = data.replace(
        b"<name>Zo\xc3\xa9</name><isAnonymous>true</isAnonymous>",
        b"<name>Zo\xc3\xa9</name><isAnonymous>false</isAnonymous><isModerator>true</isModerator>",
    )
    assert flagged != data
    batch = load(write(tmp_path, "mod.xml", flagged))
    assert [c.by_owner for p in batch.posts for c in p.comments] == [True, True]
    assert [c.by_owner for p in load(str(DISQUS)).posts for c in p.comments] == [False, True]


def test_every_importer_names_its_blog(store: Store) -> None:
    dump = FIXTURES / "page-dumps" / "bitsquid-2015-06-directx-sdk.md"
    for path in (THEME, BLOGGER, DISQUS, dump):
        store.import_batch(load(str(path)))
    blogs = {b.kind: b for b in store.list_blogs()}
    assert (blogs["wxr"].title, blogs["wxr"].url) == (
        "Theme Unit Test Data", "https://wpthemetestdata.wordpress.com"
    )
    assert blogs["blogger"].owner_uri == "https://www.blogger.com/profile/42"
    assert (blogs["disqus"].title, blogs["disqus"].owner_user_id) == ("cafe", "marie")
    assert blogs["pagedump"].url == "https://bitsquid.blogspot.com"
    assert sum(b.post_count for b in blogs.values()) == len(store.list_posts())
    posts = {p["id"]: p for p in export_data(store)["posts"]}
    assert all(p["blog"] is not None for p in posts.values())


# --- the export contract -----------------------------------------------------------------------


def test_export_2_keeps_every_field_and_adds_status_blog_type(store: Store) -> None:
    store.import_batch(load(str(THEME)))
    data = export_data(store)
    assert data["format"] == "cmreader-export/2"
    post = data["posts"][0]
    assert set(post) == {
        "id", "title", "author", "published", "source", "body", "comments", "status", "blog"
    }
    assert post["blog"] == {"title": "Theme Unit Test Data",
                            "url": "https://wpthemetestdata.wordpress.com"}
    assert set(comments(data)[0]) == {
        "id", "author", "published", "body", "status", "origin", "by_owner", "needs_answer",
        "replies", "type",
    }


def test_json_export_escapes_what_a_terminal_runs_and_keeps_the_text(
    tmp_path: Path, store: Store
) -> None:
    sample = SAMPLE.read_text(encoding="utf-8")
    hostile = "Avec l'évolutivité\x1b]52;c;aGk=\x07\x1b[2J\u009b31m\u202eevil\u2066x\u2069\u200f"
    assert "Avec l'évolutivité" in sample
    store.import_batch(load(write(tmp_path, "dump.txt", sample.replace(
        "Avec l'évolutivité", hostile, 1).encode("utf-8"))))
    text = export_json(store)
    unsafe = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    assert not unsafe.search(text)
    assert "\\u001b]52;c;aGk=\\u0007" in text and "\\u202e" in text and "\\u009b" in text
    bodies = [c["body"] for c in comments(json.loads(text))]
    assert any(hostile in b for b in bodies)
    stored = [r.body for r in store.comment_rows(store.list_posts()[0].id)]
    assert sorted(bodies) == sorted(stored)


# --- keys that tell sources apart ----------------------------------------------------------------


def _linkless(data: bytes) -> bytes:
    out = re.sub(rb"<channel>(.*?)<link>[^<]*</link>", rb"<channel>\1", data, count=1, flags=re.S)
    out = re.sub(rb"<wp:base_(site|blog)_url>[^<]*</wp:base_\1_url>", b"", out)
    assert b"<wp:base_site_url>" not in out and out != data
    return out


def test_two_linkless_wxr_blogs_do_not_share_keys(tmp_path: Path, store: Store) -> None:
    first = _linkless(WXR11.read_bytes())
    second = first.replace(b"Export Datasets", b"Another blog").replace(
        b"http://localhost/", b"https://another.example/"
    )
    # And two with no address anywhere: told apart by what the channel says of itself.
    bare = re.sub(rb"<(link|guid)[^>]*>[^<]*</\1>", b"", first)
    bare_other = bare.replace(b"Export Datasets", b"Another blog")
    files = {name: write(tmp_path, f"{name}.xml", data) for name, data in
             [("first", first), ("second", second), ("bare", bare), ("bare_other", bare_other)]}
    added = {name: store.import_batch(load(path)).posts_added for name, path in files.items()}
    n = len(load(files["first"]).posts)
    assert added == {"first": n, "second": n, "bare": n, "bare_other": n}
    again = [store.import_batch(load(path)) for path in files.values()]
    assert sum(r.posts_added + r.comments_added for r in again) == 0


def test_an_old_store_keeps_its_linkless_posts_on_reimport(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path, "linkless.xml", _linkless(WXR11.read_bytes()))
    batch = load(path)
    store.import_batch(batch)
    # What an older cmreader stored for this file: keys with an empty site, "wxr::1".
    for post in batch.posts:
        assert post.legacy_key is not None and post.legacy_key.startswith("wxr::")
        store.db.execute("UPDATE comments SET key = ? || substr(key, ?) WHERE key LIKE ? || '%'",
                         [post.legacy_key, len(post.key) + 1, post.key])
        store.db.execute("UPDATE posts SET key = ? WHERE key = ?", [post.legacy_key, post.key])
    result = store.import_batch(load(path))
    assert (result.posts_added, result.comments_added) == (0, 0)
    assert {p.key for p in store.list_posts()} == {p.key for p in batch.posts}


def test_page_dumps_with_different_front_matter_are_two_episodes(
    tmp_path: Path, store: Store
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    retitled = text.replace("épisode 3 : la débrouillardise", "épisode 3 (copie)", 1)
    moved = text.replace("author: Becky\n", "author: Becky\nurl: https://becky.example/e3\n", 1)
    assert retitled != text and moved != text
    paths = [write(tmp_path, f"{n}.txt", t.encode()) for n, t in
             enumerate([text, retitled, moved])]
    assert [store.import_batch(load(p)).posts_added for p in paths] == [1, 1, 1]
    assert [store.import_batch(load(p)).comments_added for p in paths] == [0, 0, 0]


# --- stores made before blogs ----------------------------------------------------------------


def test_a_store_from_before_blogs_migrates_and_reimports_cleanly(tmp_path: Path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from cmreader.store import schema
    from cmreader.store.versions import MIGRATION_SET

    path = tmp_path / "old.db"
    old = Migrations(MIGRATION_SET)
    old()(schema.m001_initial)
    db = sqlite3.connect(path, isolation_level=None)
    old.apply(Database(db))
    batch = load(str(THEME))
    # Rows as the first schema held them: no blog, no status, no comment type.
    for n, post in enumerate(batch.posts):
        db.execute("INSERT INTO posts (key, title, source, format, added_at) "
                   "VALUES (?, ?, ?, 'wxr', '2024-01-01T00:00:00Z')",
                   [post.key, post.title or "", batch.source])
        for m, c in enumerate(post.comments):
            db.execute("INSERT INTO comments (key, post_id, ord, end_ord, depth, body, status, "
                       "added_at) VALUES (?, ?, ?, ?, 0, ?, ?, '2024-01-01T00:00:00Z')",
                       [c.key, n + 1, m, m, c.body, c.status])
    db.close()
    store = Store.open(path)
    try:
        (placeholder,) = store.list_blogs()
        assert placeholder.kind == "wxr" and placeholder.post_count == len(batch.posts)
        result = store.import_batch(batch)
        assert (result.posts_added, result.comments_added) == (0, 0)
        (blog,) = store.list_blogs()
        assert blog.key == "wxr:https://wpthemetestdata.wordpress.com"
        assert blog.post_count == len(batch.posts)
        data = export_data(store)
        assert Counter(c["type"] for c in comments(data)) == {
            "comment": 29, "pingback": 2, "trackback": 2
        }
        assert Counter(p["status"] for p in data["posts"])["draft"] == 1
    finally:
        store.close()
