"""Bad days: two writers at once, a killed import, foreign and corrupt files, huge inputs."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cmreader.exporters.json_export import export_json
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store

OWNER = "Becky"


def _post(key: str, comments: list[CommentRecord], title: str = "Episode") -> PostRecord:
    return PostRecord(
        key=key,
        title=title,
        author=OWNER,
        published="2024-01-01T08:00:00Z",
        body="An article.",
        comments=tuple(comments),
    )


def _batch(*posts: PostRecord, source: str = "test") -> ImportBatch:
    return ImportBatch(source=source, format="wxr", posts=posts, owner=OWNER)


def _comment(
    key: str, parent: str | None, n: int, body: str | None = None, by_owner: bool = False
) -> CommentRecord:
    return CommentRecord(
        key=key,
        parent_key=parent,
        author=OWNER if by_owner else f"reader{n % 97}",
        published=f"2024-01-{1 + n // 86400 % 28:02d}T{n // 3600 % 24:02d}:"
        f"{n // 60 % 60:02d}:{n % 60:02d}Z",
        body=body if body is not None else f"comment number {n}",
        by_owner=by_owner,
    )


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmreader", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _export(db: Path) -> str:
    store = Store.open(db, create=False)
    try:
        return export_json(store)
    finally:
        store.close()


def _check_nested_set(db: Path, post_id: int) -> None:
    """Thread order must stay a consistent nested set: ords 0..n-1, children inside parents."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT id, parent_id, ord, end_ord, depth FROM comments WHERE post_id = ?",
            [post_id],
        ).fetchall()
    finally:
        conn.close()
    by_id = {r[0]: r for r in rows}
    assert sorted(r[2] for r in rows) == list(range(len(rows))), "ord is not 0..n-1"
    for cid, parent, ord_, end, depth in rows:
        assert ord_ <= end, f"comment {cid}: end_ord {end} before ord {ord_}"
        if parent is None:
            assert depth == 0, f"top-level comment {cid} at depth {depth}"
            continue
        p = by_id[parent]
        assert p[2] < ord_ <= p[3], f"comment {cid} is outside its parent {parent}'s subtree"
        assert depth == p[4] + 1, f"comment {cid}: depth {depth}, parent's {p[4]}"


# -- two processes replying at once ---------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cmreader.store import Store

    db, who, post_id, anchor, go = sys.argv[1:6]
    store = Store.open(db, create=False)
    while not Path(go).exists():
        time.sleep(0.001)
    mine = None
    for i in range(50):
        # Top level, below a shared comment, or below my own last reply: every case shifts
        # the other writer's rows in the thread order.
        parent = (None, int(anchor), mine)[i % 3]
        mine = store.send_reply(int(post_id), parent, f"reply {who}-{i}").id
    store.close()
    """
)


def test_two_processes_replying_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    store = Store.open(db)
    store.import_batch(_batch(_post("p1", [_comment("c1", None, 1), _comment("c2", "c1", 2)])))
    post_id = store.list_posts()[0].id
    anchor = store.comment_rows(post_id)[0].id
    store.close()

    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), who, str(post_id), str(anchor), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("A", "B")
    ]
    time.sleep(0.5)  # both have imported and opened the store: start them together
    go.touch()
    for w in writers:
        out, err = w.communicate(timeout=60)
        assert w.returncode == 0, f"a writer failed:\n{err}"

    store = Store.open(db, create=False)
    try:
        local = [r for r in store.comment_rows(post_id) if r.origin == "local"]
    finally:
        store.close()
    bodies = sorted(r.body for r in local)
    expected = sorted(f"reply {who}-{i}" for who in "AB" for i in range(50))
    assert bodies == expected, "replies were lost or doubled"
    _check_nested_set(db, post_id)


# -- kill -9 in the middle of an import ------------------------------------------------------


def _write_wxr(path: Path, posts: int, per_post: int) -> None:
    """A plain WXR 1.2 export with nested comments and bodies big enough to spill to the WAL."""
    rng = random.Random(5)
    words = "bonjour merci métier communauté réponse the answer blog episode modération".split()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Big</title>'
        "<link>https://big.example.org</link><wp:wxr_version>1.2</wp:wxr_version>"
        "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>becky</wp:author_login>"
        "<wp:author_display_name>Becky</wp:author_display_name></wp:author>\n"
    ]
    cid = 0
    for p in range(posts):
        out.append(
            f"<item><title>Post {p}</title><dc:creator>becky</dc:creator>"
            f"<content:encoded><![CDATA[<p>{' '.join(rng.choices(words, k=300))}</p>]]>"
            f"</content:encoded><wp:post_id>{p + 1}</wp:post_id>"
            "<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>"
            "<wp:post_type>post</wp:post_type>\n"
        )
        first = cid + 1
        for _ in range(per_post):
            cid += 1
            parent = rng.randint(first, cid - 1) if cid > first and rng.random() < 0.6 else 0
            out.append(
                f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                f"<wp:comment_author>reader{cid % 50}</wp:comment_author>"
                f"<wp:comment_date_gmt>2020-01-02 10:{cid // 60 % 60:02d}:{cid % 60:02d}"
                "</wp:comment_date_gmt>"
                f"<wp:comment_content>{' '.join(rng.choices(words, k=120))}</wp:comment_content>"
                "<wp:comment_approved>1</wp:comment_approved>"
                f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
            )
        out.append("</item>\n")
    out.append("</channel></rss>\n")
    path.write_text("".join(out), encoding="utf-8")


def _wal_size(db: Path) -> int:
    try:
        return Path(f"{db}-wal").stat().st_size
    except FileNotFoundError:
        return 0


def test_kill_9_during_import_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    store.import_batch(_batch(_post("before", [_comment("b1", None, 1)], title="Before")))
    post_id = store.list_posts()[0].id
    store.send_reply(post_id, store.comment_rows(post_id)[0].id, "my answer")
    store.close()
    assert not Path(f"{db}-wal").exists()
    pristine = db.read_bytes()
    before = _export(db)

    export = tmp_path / "big.xml"
    _write_wxr(export, posts=20, per_post=300)  # 6,000 comments, about 6 MB

    killed_mid_write = 0
    for attempt in range(8):
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        db.write_bytes(pristine)
        proc = subprocess.Popen(
            [sys.executable, "-m", "cmreader", "--db", str(db), "import", str(export)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The importer parses first, then writes in one transaction: kill once that
        # transaction has spilled pages into the write-ahead log, a bit later on each attempt.
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            if _wal_size(db) > 0:
                time.sleep(0.03 * (attempt % 4))
                break
            time.sleep(0.001)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = proc.returncode == -signal.SIGKILL

        after = _export(db)
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        if after != before:
            # Only the whole import may have landed (when the kill came after the commit).
            data = json.loads(after)
            episodes = [p for p in data["posts"] if p["title"] != "Before"]
            total = _count_comments(data)
            assert len(episodes) == 20 and total == 6000 + 2, (
                f"a partial import survived a kill: {len(episodes)} episodes, {total} comments"
            )
        elif killed:
            killed_mid_write += 1
            if killed_mid_write >= 2:
                break
    assert killed_mid_write >= 1, "the import was never killed while writing"

    # It still opens, for the CLI as well.
    done = _cli("--db", str(db), "list")
    assert done.returncode == 0, done.stderr
    assert "Before" in done.stdout


def _count_comments(data: dict) -> int:
    total, stack = 0, [c for p in data["posts"] for c in p["comments"]]
    while stack:
        node = stack.pop()
        total += 1
        stack.extend(node["replies"])
    return total


# -- foreign and corrupt files ---------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecars(path: Path) -> dict[str, str | None]:
    return {
        suffix: (_sha256(Path(f"{path}{suffix}")) if Path(f"{path}{suffix}").exists() else None)
        for suffix in ("-wal", "-shm", "-journal")
    }


def _corrupt_after_header(tmp_path: Path) -> Path:
    """A valid 100-byte SQLite header followed by garbage pages."""
    real = tmp_path / "real.db"
    conn = sqlite3.connect(real)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    rng = random.Random(1)
    bad = tmp_path / "corrupt-header-only.db"
    bad.write_bytes(real.read_bytes()[:100] + rng.randbytes(4096 * 8 - 100))
    return bad


def _corrupt_store_pages(tmp_path: Path) -> Path:
    """A real cmreader store whose pages after the first are garbage."""
    path = tmp_path / "corrupt-store.db"
    store = Store.open(path)
    store.import_batch(_batch(_post("p", [_comment(f"c{i}", None, i) for i in range(300)])))
    store.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    rng = random.Random(2)
    data[page:] = rng.randbytes(len(data) - page)
    path.write_bytes(bytes(data))
    return path


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO customers (name) VALUES (?)", [("Ada",), ("Grace",)])
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("make", [_corrupt_after_header, _corrupt_store_pages, _foreign])
def test_corrupt_and_foreign_files_are_refused_and_untouched(tmp_path: Path, make) -> None:
    path = make(tmp_path)
    digest, sidecars = _sha256(path), _sidecars(path)
    export = tmp_path / "e.xml"
    _write_wxr(export, posts=1, per_post=3)
    for args in (
        ["list"],
        ["inbox"],
        ["export", "--format", "json"],
        ["import", str(export)],
        [],  # the reader itself must refuse before it draws anything
    ):
        done = _cli("--db", str(path), *args, timeout=30)
        what = f"cmreader {' '.join(args) or '(reader)'} on {path.name}"
        assert done.returncode != 0, f"{what} exited 0"
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, f"{what} said:\n{done.stderr}"
        assert str(path) in lines[0] or path.name in lines[0], lines[0]
        assert "Traceback" not in done.stderr
        assert done.stdout == "", f"{what} printed {done.stdout!r}"
        assert _sha256(path) == digest, f"{what} changed the file"
        assert _sidecars(path) == sidecars, f"{what} left -wal/-shm/-journal files"


# -- huge inputs ------------------------------------------------------------------------------


def test_a_10_mb_comment(store: Store) -> None:
    body = ("Un très long commentaire, " * 420_000)[: 10 * 1024 * 1024]
    store.import_batch(
        _batch(_post("huge", [_comment("big", None, 1, body), _comment("r", "big", 2)]))
    )
    post_id = store.list_posts()[0].id
    rows = store.comment_rows(post_id)
    assert len(rows[0].body) == len(body)
    assert [e.comment_id for e in store.needs_answer()] == [r.id for r in rows]
    assert len(export_json(store)) > len(body)


SEARCH = textwrap.dedent(
    """
    import sys
    from cmreader.store import Store

    store = Store.open(sys.argv[1], create=False)
    hits = store.search("commentaire")
    print(len(hits))
    """
)


def test_search_stays_quick_with_a_1_mb_comment(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    body = ("Un très long commentaire, " * 42_000)[: 1024 * 1024]
    store.import_batch(_batch(_post("huge", [_comment("big", None, 1, body)])))
    store.close()
    # In a process of its own: a search that runs away must fail the test, not hang it.
    try:
        done = subprocess.run(
            [sys.executable, "-c", SEARCH, str(db)], capture_output=True, text=True, timeout=4
        )
    except subprocess.TimeoutExpired:
        pytest.fail("searching a store holding one 1 MB comment took over 4 s")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"


DEEP = 10_000


def _deep_chain(store: Store) -> int:
    """A chain DEEP replies long, with the owner's answer halfway down; returns the post id."""
    owner_at = DEEP // 2
    comments = [
        _comment(f"d{i}", f"d{i - 1}" if i else None, i, by_owner=i == owner_at)
        for i in range(DEEP)
    ]
    store.import_batch(_batch(_post("deep", comments)))
    return store.list_posts()[0].id


def test_a_reply_chain_10000_deep(store: Store) -> None:
    post_id = _deep_chain(store)
    rows = store.comment_rows(post_id)
    assert [r.depth for r in rows] == list(range(DEEP))
    # Everyone above the owner's answer is answered; everyone below it waits.
    waiting = {e.comment_id for e in store.needs_answer()}
    assert waiting == {r.id for r in rows[DEEP // 2 + 1 :]}
    reply = store.send_reply(post_id, rows[-1].id, "the bottom of the chain")
    assert reply.depth == DEEP
    assert store.comment_rows(post_id)[-1].id == reply.id


def test_exporting_a_reply_chain_10000_deep(tmp_path: Path) -> None:
    db = tmp_path / "deep.db"
    store = Store.open(db)
    _deep_chain(store)
    store.close()
    # Through the command a user runs, in its own process: a runaway export fails the test
    # instead of hanging it.
    try:
        done = _cli("--db", str(db), "export", "--format", "json", timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("exporting a 10,000-deep reply chain did not finish in 8 s")
    assert done.returncode == 0, done.stderr
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 5 * DEEP))
    try:
        data = json.loads(done.stdout)
        assert _count_comments(data) == DEEP
    finally:
        sys.setrecursionlimit(old)


def test_100000_comments_on_one_episode(store: Store) -> None:
    n = 100_000
    rng = random.Random(3)
    comments = []
    for i in range(n):
        parent = f"m{rng.randrange(i)}" if i and rng.random() < 0.7 else None
        comments.append(_comment(f"m{i}", parent, i, by_owner=i % 10 == 9))
    store.import_batch(_batch(_post("many", comments)))
    post_id = store.list_posts()[0].id
    assert store.list_posts()[0].comment_count == n
    rows = store.comment_rows(post_id)
    assert len(rows) == n
    waiting = store.needs_answer()
    assert 0 < len(waiting) < n
    assert sum(r.needs_answer for r in rows) == len(waiting)
    data = json.loads(export_json(store))
    assert _count_comments(data) == n
