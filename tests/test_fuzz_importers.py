"""Mutated exports: every importer either parses or fails with ImportFailed, never anything else."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmreader.errors import ImportFailed
from cmreader.importers import FORMATS, load
from cmreader.records import ImportBatch
from cmreader.store import Store

# The big theme-test exports make each example slow; their small siblings cover the same code.
_SKIP_LARGER_THAN = 200_000


def _all_files() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md")
    return [*files, SAMPLE]


ALL_FILES = _all_files()
SEEDS = [p for p in ALL_FILES if p.stat().st_size <= _SKIP_LARGER_THAN]
SEED_BYTES = {p: p.read_bytes() for p in SEEDS if p.is_file()}

NASTY = [b"<", b"&", b"]]>", b"\x00", b"<![CDATA[", b"</", b"&amp;", b"&#0;", b"\xff\xfe", b"\n"]
# Values that keep the XML well-formed but are odd where a field is expected.
ODD_VALUES = [
    b"",
    b" ",
    b"0",
    b"-1",
    b"1",
    b"99999999999999999999",
    b"0000-00-00 00:00:00",
    b"2014-02-30 25:61:61",
    b"Mon, 32 Foo 2014",
    b"spam",
    b"trash",
    b"&lt;p&gt;hi &amp;amp; &lt;b&gt;bold",
    b"&#x202E;evil&#x202C;",
    b"\xe2\x80\xae\xe2\x80\x8b",
    b"\x1b[31mred",
    b"Reply\nDelete",
    b"R\xc3\xa9pondre",
    b"x" * 5000,
]
KINDS = ["flip", "truncate", "insert", "duplicate", "delete", "dup_element", "odd_text"]


def _tag_starts(data: bytearray) -> list[int]:
    starts, at = [], data.find(b"<")
    while at != -1 and len(starts) < 5000:
        starts.append(at)
        at = data.find(b"<", at + 1)
    return starts


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A fixture's bytes with a few random mutations: some break the syntax, some the data."""
    path = draw(st.sampled_from(sorted(SEED_BYTES, key=str)))
    data = bytearray(SEED_BYTES[path])
    # Half the examples keep the syntax intact, so they reach the importers' field handling.
    kinds = KINDS if draw(st.booleans()) else ["dup_element", "odd_text"]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if not data:
            data = bytearray(draw(st.sampled_from(NASTY)))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            chunk = draw(st.one_of(st.sampled_from(NASTY), st.binary(min_size=1, max_size=8)))
            data[at:at] = chunk
        elif kind == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 4096)))
            data[at:at] = data[at:end]
        elif kind == "delete":
            end = min(len(data), at + draw(st.integers(1, 256)))
            del data[at:end]
        else:
            starts = _tag_starts(data)
            if len(starts) < 2:
                continue
            i = draw(st.integers(0, len(starts) - 2))
            if kind == "dup_element":
                # From one tag to a later one: often a whole element, sometimes half of one.
                j = min(len(starts) - 1, i + draw(st.integers(1, 12)))
                data[starts[i] : starts[i]] = data[starts[i] : starts[j]]
            else:
                # Replace the text between a tag and the next one: the syntax stays intact.
                close = data.find(b">", starts[i], starts[i + 1])
                if close != -1:
                    data[close + 1 : starts[i + 1]] = draw(st.sampled_from(ODD_VALUES))
    return path.name, bytes(data)


def _check(name: str, data: bytes, fmt: str | None) -> None:
    folder = tempfile.mkdtemp(prefix="cmreader-fuzz-")
    try:
        path = os.path.join(folder, name)
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            batch = load(path, fmt)
        except ImportFailed as exc:
            assert str(exc).startswith(path), f"the message does not name the file: {exc}"
            assert "\n" not in str(exc).strip(), f"not one line: {exc!r}"
            return
        assert isinstance(batch, ImportBatch)
        store = Store.open(Path(folder) / "store.db")
        try:
            store.import_batch(batch)
            store.import_batch(batch)  # and a second time: nothing added, nothing raised
            for post in store.list_posts():
                store.comment_rows(post.id, show_hidden=True)
            store.needs_answer()
        finally:
            store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_fixtures_are_there() -> None:
    """Without them the tests below would run on nothing: that must fail, not pass."""
    assert ALL_FILES, f"the public fixtures are missing: {FIXTURES} (set CMREADER_FIXTURES)"

_SETTINGS = settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no .hypothesis folder in the checkout; failures print their example
)


@_SETTINGS
@given(mutated())
def test_mutated_exports_detected_format(sample: tuple[str, bytes]) -> None:
    _check(*sample, None)


@_SETTINGS
@given(mutated(), st.sampled_from(FORMATS))
def test_mutated_exports_forced_format(sample: tuple[str, bytes], fmt: str) -> None:
    _check(*sample, fmt)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", [None, *FORMATS])
def test_every_fixture_in_every_format(path: Path, fmt: str | None) -> None:
    """The unmutated files too, each forced through every importer."""
    _check(path.name, path.read_bytes(), fmt)
