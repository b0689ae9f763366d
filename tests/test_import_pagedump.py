"""The Blogger page dump: the sample's exact tree, labels, front matter and keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmreader.errors import ImportFailed
from cmreader.importers import detect_format, load
from cmreader.importers.pagedump import parse_pagedump
from cmreader.sample import sample_bytes

LABELS = ("Répondre", "Supprimer", "Reply", "Delete")


def _tree(batch):
    post = batch.posts[0]
    return post, [c for c in post.comments if c.parent_key is None], post.comments


def test_sample_is_the_tree_of_the_design(sample_path: Path) -> None:
    post, top, everything = _tree(parse_pagedump(str(sample_path), sample_path.read_bytes()))
    assert post.body.endswith("pour être un bon community manager ?")
    assert len(top) == 3 and len(everything) == 5
    first, second, third = top
    assert first.body.startswith("bonjour becky, je viens de découvrir")
    assert first.author == "boots38"
    replies = {t.key: [c for c in everything if c.parent_key == t.key] for t in top}
    assert [len(replies[t.key]) for t in top] == [1, 1, 0]
    becky = replies[first.key][0]
    assert becky.body.startswith('Salut "boots38",')
    assert becky.body.endswith("Bises !")
    assert becky.by_owner and becky.author == "Becky"
    assert second.body.startswith("Avec l'évolutivité de ce métier")
    assert replies[second.key][0].body.startswith("Tout à fait, il faut être autonome")
    assert third.body.startswith("Bonjour,") and third.body.endswith("cdlt")
    assert not third.by_owner


def test_no_label_survives_in_any_text(sample_path: Path, fixtures_dir: Path) -> None:
    for path in (sample_path, fixtures_dir / "page-dumps" / "bitsquid-2015-06-directx-sdk.md"):
        post, _, comments = _tree(parse_pagedump(str(path), path.read_bytes()))
        for text in [post.body] + [c.body for c in comments]:
            for line in text.split("\n"):
                assert not line.startswith(LABELS), (path.name, line)
                assert "RépondreSupprimer" not in line and "ReplyDelete" not in line


def test_text_that_starts_with_a_label_word_is_text() -> None:
    data = (
        "Article.\n"
        "Première question\n"
        "RépondreSupprimerSupprimer les doublons est facile\n"
        "Répondre à tous, voilà.\n"
        "SupprimerMerci !\n"
        "Supprimerait-on tout ?\n"
    ).encode()
    post = parse_pagedump("x.txt", data).posts[0]
    top = [c for c in post.comments if c.parent_key is None]
    assert len(top) == 1
    assert top[0].body == "Première question\n\nSupprimer les doublons est facile"
    # The lone label after "Répondre à tous" makes that line the first line of a reply.
    reply = [c for c in post.comments if c.parent_key][0]
    assert reply.body == "Répondre à tous, voilà.\n\nMerci !\n\nSupprimerait-on tout ?"


def test_english_dump_with_front_matter(fixtures_dir: Path) -> None:
    path = fixtures_dir / "page-dumps" / "bitsquid-2015-06-directx-sdk.md"
    batch = parse_pagedump(str(path), path.read_bytes())
    post = batch.posts[0]
    assert post.title == "Upgrading the DirectX SDK"
    assert post.author == "Amandine Coget"
    assert post.published == "2015-06-11T00:00:00Z"
    assert post.url == "https://bitsquid.blogspot.com/2015/06/when-i-joined-bitsquid-month-ago.html"
    assert post.body.endswith("[Cross-posted from personal blog]")
    bodies = [c.body for c in post.comments]
    assert bodies[0].startswith("That's a great post, thanks!")
    assert bodies[-1].startswith("A crucial first step")
    removed = [c for c in post.comments if c.body.startswith("This comment has been removed")]
    assert [c.status for c in removed] == ["trash"]
    assert len(post.comments) == 12


def test_labels_on_lines_of_their_own() -> None:
    data = (
        b"Article\n\nGreat post\n\nReply\n\nDelete\n\nThanks!\n\nDelete\n\n"
        b"Another one\nReplyDelete\n"
    )
    post = parse_pagedump("x.txt", data).posts[0]
    top = [c.body for c in post.comments if c.parent_key is None]
    assert top == ["Great post", "Another one"]
    assert [c.body for c in post.comments if c.parent_key] == ["Thanks!"]


def test_keys_are_stable_and_the_bundled_copy_is_the_same_episode(sample_path: Path) -> None:
    a = parse_pagedump(str(sample_path), sample_path.read_bytes())
    b = parse_pagedump("bundled", sample_bytes())
    assert a.posts[0].key == b.posts[0].key
    assert [c.key for c in a.posts[0].comments] == [c.key for c in b.posts[0].comments]
    assert len({c.key for c in a.posts[0].comments}) == 5


def test_bundled_sample_carries_its_facts() -> None:
    post = parse_pagedump("bundled", sample_bytes()).posts[0]
    assert "Vie ma vie de Community Manager" in post.title
    assert "3" in post.title and "débrouillardise" in post.title
    assert post.author == "Becky"
    assert post.comments[0].author == "boots38"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"just some text\nwith no labels\n", "unknown format"),
        (b"\xff\xfe\xfa not utf8 text", "unknown format"),
        (b"<html><body>hi</body></html>", "unknown format"),
    ],
)
def test_detection_refuses_what_is_not_an_export(tmp_path: Path, content: bytes, problem: str):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        load(str(path))
    assert str(path) in str(info.value) and problem in str(info.value)


def test_detection_by_content_not_name(tmp_path: Path, sample_path: Path) -> None:
    renamed = tmp_path / "export.xml"
    renamed.write_bytes(sample_path.read_bytes())
    assert detect_format(str(renamed), renamed.read_bytes()) == "pagedump"


@pytest.mark.parametrize("head", [b"<!-- never closed", b"<?xml never closed", b"<!DOCTYPE x"])
def test_detection_ends_on_unclosed_prologs(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(b"\n" * 10 + head)
    with pytest.raises(ImportFailed):
        load(str(path))
