"""Files people really have, built from the real fixtures: gzipped, re-encoded, prefixed,
split, holding an HTML entity or a stray control character; and those still refused."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from cmreader.errors import ImportFailed
from cmreader.exporters.json_export import export_json
from cmreader.importers import load
from cmreader.records import ImportBatch
from cmreader.store import Store

WORDPRESS = FIXTURES / "wordpress"
THEME = WORDPRESS / "themeunittestdata.wordpress.xml"
UTF8_CHALLENGES = WORDPRESS / "wxr-utf-8-challenges.xml"
DISQUS = FIXTURES / "disqus" / "disqus-example.xml"
SAMPLE_CJK = {
    "GBK": "评论很好，谢谢！",
    "Shift_JIS": "コメントありがとう",
    "EUC-KR": "좋은 댓글 감사합니다",
}


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def records(batch: ImportBatch) -> tuple:
    """What a file says, whatever it was called."""
    return (batch.format, batch.posts, batch.blog, batch.owner)


def with_cjk_comment(data: bytes, text: str) -> bytes:
    """valid-wxr-1.1 with its one comment written in another script."""
    out = data.replace(b"Hi, this is a comment.", text.encode("utf-8"), 1)
    assert out != data
    return out


def declared(data: bytes, encoding: str) -> bytes:
    out = re.sub(rb'encoding="[^"]*"', f'encoding="{encoding}"'.encode(), data, count=1)
    assert out != data
    return out


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CMREADER_DB=str(db))
    return subprocess.run(
        [sys.executable, "-m", "cmreader", *args], capture_output=True, text=True, env=env,
        timeout=60,
    )


# --- read like their originals ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["export.xml.gz", "export.xml"])
@pytest.mark.parametrize("original", [DISQUS, THEME])
def test_gzipped_exports_import_like_their_originals(
    tmp_path: Path, original: Path, name: str
) -> None:
    packed = write(tmp_path, name, gzip.compress(original.read_bytes()))
    assert records(load(packed)) == records(load(str(original)))


def test_utf16_xml_imports_like_its_original(tmp_path: Path) -> None:
    text = UTF8_CHALLENGES.read_text(encoding="utf-8")
    for codec, label in (("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16")):
        data = declared(text.encode("utf-8"), label).decode("utf-8").encode(codec)
        path = write(tmp_path, f"{codec}.xml", data)
        assert records(load(path)) == records(load(str(UTF8_CHALLENGES))), codec


@pytest.mark.parametrize("encoding", sorted(SAMPLE_CJK))
def test_declared_multibyte_encodings_import(tmp_path: Path, encoding: str) -> None:
    utf8 = with_cjk_comment((WORDPRESS / "valid-wxr-1.1.xml").read_bytes(), SAMPLE_CJK[encoding])
    reference = load(write(tmp_path, "utf8.xml", utf8))
    encoded = declared(utf8, encoding).decode("utf-8").encode(encoding)
    batch = load(write(tmp_path, f"{encoding}.xml", encoded))
    assert records(batch) == records(reference)
    assert any(SAMPLE_CJK[encoding] in c.body for p in batch.posts for c in p.comments)


@pytest.mark.parametrize("junk", [b"\n\n   ", b"\xef\xbb\xbf\n", b"\r\n\xef\xbb\xbf  \t"])
def test_whitespace_or_bom_before_the_declaration(tmp_path: Path, junk: bytes) -> None:
    path = write(tmp_path, "prefixed.xml", junk + THEME.read_bytes())
    assert records(load(path)) == records(load(str(THEME)))


def test_html_entities_in_wordpress_fields(tmp_path: Path) -> None:
    data = THEME.read_bytes()
    # A plugin wrote the title outside CDATA with HTML's entities, which XML does not know.
    bumped = data.replace(b"<title>Template: Comments</title>",
                          b"<title>Template:&nbsp;Comments &hellip; &eacute;t&eacute;</title>", 1)
    assert bumped != data
    batch = load(write(tmp_path, "entities.xml", bumped))
    titles = {p.title for p in batch.posts}
    assert "Template:\xa0Comments … été" in titles
    assert len(batch.posts) == len(load(str(THEME)).posts)


def test_one_stray_control_character_is_dropped_and_said(tmp_path: Path, store: Store) -> None:
    data = THEME.read_bytes()
    at = data.index(b"<wp:comment_content>", len(data) // 2)
    line = data.count(b"\n", 0, at) + 1
    stray = data[: at + 30] + b"\x0b" + data[at + 30 :]
    batch = load(write(tmp_path, "stray.xml", stray))
    original = load(str(THEME))
    assert batch.posts == original.posts
    assert batch.skipped == {
        **original.skipped,
        f"control character XML forbids (dropped; first at line {line})": 1,
    }
    result = store.import_batch(batch)
    assert result.comments_added == sum(len(p.comments) for p in original.posts)


def _split(data: bytes) -> tuple[bytes, bytes]:
    """Two WordPress.com-style parts: the channel head (authors too), half the items each."""
    first_item = data.index(b"<item>")
    last_item_end = data.rindex(b"</item>") + len(b"</item>")
    head, body, tail = data[:first_item], data[first_item:last_item_end], data[last_item_end:]
    items = re.findall(rb"<item>.*?</item>", body, re.S)
    half = len(items) // 2
    return head + b"\n".join(items[:half]) + tail, head + b"\n".join(items[half:]) + tail


def _without_sources(export: str) -> str:
    return re.sub(r'"source": "[^"]*"', '"source": ""', export)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_split_exports_import_one_by_one_like_the_whole(
    tmp_path: Path, order: tuple[int, int]
) -> None:
    whole = Store.open(tmp_path / "whole.db")
    whole.import_batch(load(str(THEME)))
    parts = _split(THEME.read_bytes())
    names = [write(tmp_path, f"blog.00{n}.xml", part) for n, part in enumerate(parts)]
    split = Store.open(tmp_path / "split.db")
    for n in order:
        split.import_batch(load(names[n]))
    try:
        assert _without_sources(export_json(split)) == _without_sources(export_json(whole))
        again = [split.import_batch(load(name)) for name in names]
        assert sum(r.posts_added + r.comments_added for r in again) == 0
    finally:
        whole.close()
        split.close()


# --- still refused, whole, the store unchanged -----------------------------------------------


def _refused_leaves_the_store(tmp_path: Path, name: str, data: bytes) -> str:
    db = tmp_path / "store.db"
    assert run_cli("import", str(UTF8_CHALLENGES), db=db).returncode == 0
    before = run_cli("export", "--format", "json", db=db).stdout
    path = write(tmp_path, name, data)
    result = run_cli("import", path, db=db)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and path in lines[0] and "Traceback" not in result.stderr
    assert run_cli("export", "--format", "json", db=db).stdout == before
    return lines[0]


def test_truncated_file_is_refused_saying_it_looks_cut_off_and_where(tmp_path: Path) -> None:
    data = THEME.read_bytes()
    cut = data[: int(len(data) * 0.6)]
    line = cut.count(b"\n") + 1
    message = _refused_leaves_the_store(tmp_path, "cut.xml", cut)
    assert "looks cut off" in message and f"line {line}, column" in message


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    packed = gzip.compress(THEME.read_bytes())
    message = _refused_leaves_the_store(tmp_path, "cut.xml.gz", packed[: len(packed) // 2])
    assert "looks cut off" in message


def test_utf8_declared_as_latin1_is_refused(tmp_path: Path) -> None:
    data = declared(UTF8_CHALLENGES.read_bytes(), "ISO-8859-1")
    message = _refused_leaves_the_store(tmp_path, "mislabelled.xml", data)
    assert "ISO-8859-1" in message and "UTF-8" in message


def test_refusals_keep_their_cause_for_debugging(tmp_path: Path) -> None:
    data = THEME.read_bytes()
    with pytest.raises(ImportFailed) as failure:
        load(write(tmp_path, "cut.xml", data[: len(data) // 3]))
    assert failure.value.__cause__ is not None
    assert failure.value.__cause__.__traceback__ is not None
