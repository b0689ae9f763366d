"""The Store on a bad day, on real files and processes: replaced, newer, read-only, damaged,
full and locked stores each give their own StoreError and write nothing."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from mounts import fill, remount_read_only, tmpfs

from cmreader.errors import (
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
    StoreNewer,
    StoreReadOnly,
    StoreReplaced,
)
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.sanitize import visible
from cmreader.store import CommentRow, Store


def _batch(n: int = 3, key: str = "p") -> ImportBatch:
    comments = tuple(
        CommentRecord(f"{key}c{i}", None, f"reader{i}", None, f"text {i}") for i in range(n)
    )
    post = PostRecord(key, "Episode", "Becky", None, "An article.", comments=comments)
    return ImportBatch(source=key, format="test", posts=(post,), owner="Becky")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(path: Path, n: int = 3) -> tuple[int, int]:
    """A store at path with one episode of n comments; returns (post id, first comment id)."""
    store = Store.open(path)
    store.import_batch(_batch(n))
    post_id = store.list_posts()[0].id
    first = store.comment_rows(post_id)[0].id
    store.close()
    return post_id, first


WRITES = [
    ("save_draft", lambda s, p, c: s.save_draft(p, c, "un brouillon")),
    ("send_reply", lambda s, p, c: s.send_reply(p, c, "Merci !")),
    ("mark_visited", lambda s, p, c: s.mark_visited(p)),
    ("mark_answered", lambda s, p, c: s.mark_answered(c, True)),
    ("set_owner", lambda s, p, c: s.set_owner("Rebecca")),
    ("set_blog_owner", lambda s, p, c: s.set_blog_owner(1, "Rebecca")),
    ("moderate", lambda s, p, c: s.moderate(c, "spam")),
    ("undo_moderation", lambda s, p, c: s.undo_moderation(1)),
    ("import_batch", lambda s, p, c: s.import_batch(_batch(2, key="q"))),
]


# -- deleted or replaced while running ----------------------------------------------------------


@pytest.mark.parametrize("how", ["replaced", "deleted"])
def test_a_store_deleted_or_replaced_is_never_written(tmp_path: Path, how: str) -> None:
    db = tmp_path / "store.db"
    post_id, first = _filled(db)
    store = Store.open(db)
    store.save_draft(post_id, first, "before")
    other = tmp_path / "other.db"
    _filled(other)
    if how == "replaced":
        os.replace(other, db)  # what a restore from a backup or a sync tool does
        digest = _sha256(db)
    else:
        db.unlink()
    try:
        for name, write in WRITES:
            with pytest.raises(StoreReplaced) as info:
                write(store, post_id, first)
            assert str(info.value) == (
                f"the store file {db} was deleted or replaced while cmreader ran; "
                "nothing was written"
            ), name
    finally:
        store.close()
    if how == "replaced":
        assert _sha256(db) == digest
        fresh = Store.open(db)
        assert fresh.get_draft(post_id, first) is None  # nothing landed in the new file
        fresh.close()
    else:
        assert not db.exists()


# -- a newer store ------------------------------------------------------------------------------


def test_a_store_with_an_unknown_migration_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    _filled(db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('cmreader', 'm009_new_columns', '2031-01-01')"
    )
    conn.commit()
    conn.close()
    digest = _sha256(db)
    for check in (False, True):
        with pytest.raises(StoreNewer) as info:
            Store.open(db, check=check)
        assert str(info.value) == (
            f"{db} was written by a newer cmreader (migration m009_new_columns unknown to "
            "cmreader 0.1.0); refusing to touch it"
        )
    assert _sha256(db) == digest
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


# -- read-only ----------------------------------------------------------------------------------


def _assert_read_only(store: Store, post_id: int, first: int) -> None:
    assert store.read_only
    assert store.list_posts()[0].comment_count == 3
    assert len(store.comment_rows(post_id)) == 3 and len(store.needs_answer()) == 3
    assert store.search("text")
    for name, write in WRITES:
        with pytest.raises(StoreReadOnly) as info:
            write(store, post_id, first)
        assert str(info.value) == f"{store.path} is read-only: nothing was written", name


def test_a_store_on_a_read_only_mount_is_read_not_written(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "4m") as mnt:
        db = mnt / "store.db"
        post_id, first = _filled(db)
        writable = Store.open(db)
        assert not writable.read_only
        writable.close()
        remount_read_only(mnt)
        digest = _sha256(db)
        store = Store.open(db, check=True)
        try:
            _assert_read_only(store, post_id, first)
        finally:
            store.close()
        assert _sha256(db) == digest
        with pytest.raises(StoreError, match="cannot create the store"):
            Store.open(mnt / "new.db")


READER_LEFT_OPEN = textwrap.dedent(
    """
    import shutil, sys
    from cmreader.store import CommentRow, Store

    src, dst = sys.argv[1:3]
    store = Store.open(src)
    store.save_draft(1, None, "only in the write-ahead log")
    for suffix in ("", "-wal", "-shm"):  # a copy taken while cmreader was running
        shutil.copy(src + suffix, dst + suffix)
    """
)


def test_a_read_only_copy_with_its_write_ahead_log_shows_the_last_writes(tmp_path: Path) -> None:
    """With a -wal beside it, a read-only store is read through the log (never immutable=1,
    which would skip what the log holds)."""
    src = tmp_path / "src.db"
    _filled(src)
    with tmpfs(tmp_path / "ro", "4m") as mnt:
        db = mnt / "store.db"
        subprocess.run([sys.executable, "-c", READER_LEFT_OPEN, str(src), str(db)], check=True)
        assert Path(f"{db}-wal").stat().st_size > 0
        remount_read_only(mnt)
        store = Store.open(db)
        try:
            assert store.read_only
            draft = store.get_draft(1, None)
            assert draft is not None and draft.body == "only in the write-ahead log"
            with pytest.raises(StoreReadOnly):
                store.save_draft(1, None, "more")
        finally:
            store.close()


# -- damaged ------------------------------------------------------------------------------------


def _garble_index(db: Path, index: str) -> None:
    conn = sqlite3.connect(db)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [index])]
    finally:
        conn.close()
    rng = random.Random(3)
    with db.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(rng.randbytes(size))


def test_damage_found_by_a_write_stops_every_later_write(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    post_id, first = _filled(db, n=3)
    _garble_index(db, "comments_parent")
    with pytest.raises(StoreCorrupt):
        Store.open(db, check=True)
    store = Store.open(db)  # the reader's cheap open: no check
    try:
        assert not store.read_only
        with pytest.raises(StoreCorrupt) as info:
            store.send_reply(post_id, first, "Merci !")
        assert str(info.value).startswith(f"{db} is damaged (")
        assert store.read_only
        digest = _sha256(db)
        for _name, write in WRITES:
            with pytest.raises(StoreCorrupt):
                write(store, post_id, first)
        assert _sha256(db) == digest
        assert store.list_posts()[0].comment_count == 3  # reading goes on
    finally:
        store.close()


# -- disk full ----------------------------------------------------------------------------------


def test_a_full_disk_is_named_and_the_store_writes_again_once_there_is_room(
    tmp_path: Path,
) -> None:
    with tmpfs(tmp_path / "full", "4m") as mnt:
        db = mnt / "store.db"
        post_id, first = _filled(db)
        store = Store.open(db)
        try:
            filler = fill(mnt, leave=200_000)
            with pytest.raises(StoreFull) as info:
                store.save_draft(post_id, first, "x" * 3_000_000)
            assert str(info.value) == f"{db}: disk full: nothing was written"
            assert not store.db.in_transaction
            assert store.get_draft(post_id, first) is None
            filler.unlink()
            store.save_draft(post_id, first, "short, once there is room")
            draft = store.get_draft(post_id, first)
            assert draft is not None and draft.body == "short, once there is room"
        finally:
            store.close()


# -- another process writing --------------------------------------------------------------------

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cmreader.store import CommentRow, Store

    store = Store.open(sys.argv[1])
    with store._transaction() as db:
        db.execute("INSERT INTO cmreader_meta (name, value) VALUES ('held', 'yes')")
        Path(sys.argv[2]).touch()
        time.sleep(float(sys.argv[3]))
    store.close()
    """
)


def _hold_lock(tmp_path: Path, db: Path, seconds: float) -> subprocess.Popen:
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(ready), str(seconds)])
    while not ready.exists():
        assert holder.poll() is None, "the process holding the lock died"
        time.sleep(0.01)
    return holder


def test_a_reply_during_a_write_longer_than_the_busy_timeout_lands(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    post_id, first = _filled(db)
    store = Store.open(db, busy_timeout=1)
    said: list[str] = []
    store.on_wait = said.append
    holder = _hold_lock(tmp_path, db, 3)
    replies: list[object] = []
    reads: list[float] = []
    try:
        start = time.monotonic()
        # As the reader does: the reply in a worker thread, reading goes on in another.
        worker = threading.Thread(
            target=lambda: replies.append(store.send_reply(post_id, first, "Merci !"))
        )
        worker.start()
        while not said:
            time.sleep(0.01)
        for _ in range(5):
            t = time.monotonic()
            assert len(store.comment_rows(post_id)) == 3
            reads.append(time.monotonic() - t)
        assert worker.is_alive(), "the reply did not wait for the other process"
        worker.join(timeout=30)
        waited = time.monotonic() - start
    finally:
        holder.wait(timeout=30)
    try:
        assert waited > 2, "the other process did not hold the lock"
        assert max(reads) < 0.5, f"reads were blocked while the reply waited: {reads}"
        (reply,) = replies
        assert isinstance(reply, CommentRow) and reply.body == "Merci !"
        assert said == [f"waiting for another cmreader to finish writing {db}..."]
        assert store.get_setting("held") == "yes"
        assert len(store.comment_rows(post_id)) == 4
    finally:
        store.close()


def test_a_write_that_waits_past_its_limit_says_locked_and_writes_nothing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.db"
    post_id, first = _filled(db)
    store = Store.open(db, busy_timeout=0.5, write_wait=1)
    holder = _hold_lock(tmp_path, db, 3)
    try:
        with pytest.raises(StoreLocked) as info:
            store.save_draft(post_id, first, "un brouillon")
        assert str(info.value) == (
            f"{db} is locked by another cmreader for 1 s: nothing was written"
        )
    finally:
        holder.wait(timeout=30)
    try:
        assert store.get_draft(post_id, first) is None
        store.save_draft(post_id, first, "un brouillon")  # once the other is done, it lands
        assert store.get_draft(post_id, first) is not None
    finally:
        store.close()


# -- the one helper that spells out what a message quotes ---------------------------------------


def test_visible_spells_out_controls_escapes_bidi_and_odd_bytes() -> None:
    raw = "ep\x1b]52;c;aGk=\x07\x1b[2J\u202e\x9b\x85\t\n" + os.fsdecode(b"\x9d.xml")
    shown = visible(raw)
    assert shown == "ep\\x1b]52;c;aGk=\\x07\\x1b[2J\\u202e\\x9b\\x85\\x09\\x0a\\x9d.xml"
    assert shown.encode("utf-8").isascii()
    assert visible("évolutivité ☕ /home/zoé/blog.xml") == "évolutivité ☕ /home/zoé/blog.xml"
    assert visible(shown) == shown
