"""The `cmreader` command on a bad day: hostile file names, full disks, newer, damaged and
read-only stores, two imports at once. Real files, real mounts, the installed command."""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from mounts import fill, remount_read_only, tmpfs
from terminal import cmreader_command

from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store

# What must never reach a terminal from cmreader's own output: ESC, BEL, the 8-bit CSI and OSC
# (raw, and as UTF-8 C1 characters), and the right-to-left override.
FORBIDDEN = [b"\x1b", b"\x07", b"\x9b", b"\x9d", "\x9b".encode(), "\x9d".encode()]
FORBIDDEN += ["\u202e".encode()]
OSC52 = "\x1b]52;c;aGFja2Vk\x07"  # would set the clipboard to "hacked"


def run(*args: str | Path, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    """The installed command, bytes in and out, never reading the terminal."""
    return subprocess.run(
        [*cmreader_command(), *(os.fsencode(a) if isinstance(a, Path) else a for a in args)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        timeout=120,
        **kw,
    )


def assert_harmless(done: subprocess.CompletedProcess) -> None:
    for stream in (done.stdout, done.stderr):
        for bad in FORBIDDEN:
            assert bad not in stream, f"{bad!r} reached the terminal: {stream!r}"


def export_json(db: Path) -> dict:
    done = run("--db", db, "export", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(done: subprocess.CompletedProcess) -> str:
    text = done.stderr.decode("utf-8", "replace")
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


def write_wxr(path: Path, posts: int, per_post: int, site: str = "big.example.org") -> None:
    """A plain WXR 1.2 export with bodies big enough to make the write long and spill pages."""
    rng = random.Random(7)
    words = "bonjour merci métier communauté réponse the answer blog modération".split()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Big</title>'
        f"<link>https://{site}</link><wp:wxr_version>1.2</wp:wxr_version>\n"
    ]
    cid = 0
    for p in range(posts):
        out.append(
            f"<item><title>Post {p}</title><dc:creator>becky</dc:creator>"
            "<content:encoded><![CDATA[<p>An article.</p>]]></content:encoded>"
            f"<wp:post_id>{p + 1}</wp:post_id><wp:post_type>post</wp:post_type>"
            "<wp:status>publish</wp:status>\n"
        )
        for _ in range(per_post):
            cid += 1
            out.append(
                f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                f"<wp:comment_author>reader{cid % 50}</wp:comment_author>"
                "<wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>"
                f"<wp:comment_content>{' '.join(rng.choices(words, k=120))}</wp:comment_content>"
                "<wp:comment_approved>1</wp:comment_approved>"
                "<wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
            )
        out.append("</item>\n")
    out.append("</channel></rss>\n")
    path.write_text("".join(out), encoding="utf-8")


# -- 7.3: paths and values in messages ----------------------------------------------------------


def test_hostile_file_names_are_spelled_out_never_run(tmp_path: Path, sample_path: Path) -> None:
    name = f"ep{OSC52}\x1b[2J\u202e\x9d0;t\x07"
    raw_name = os.fsencode(name) + b"\x9b31m.txt"  # and a byte that is not UTF-8: 8-bit CSI
    hostile = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + raw_name))
    shutil.copy(sample_path, hostile)
    db = Path(os.fsdecode(os.fsencode(tmp_path) + b"/store" + raw_name + b".db"))
    unknown = tmp_path / f"unknown{OSC52}.json"
    unknown.write_text('{"posts": []}')
    foreign = tmp_path / f"notes{OSC52}.db"
    foreign.write_text("not a database")
    folder = tmp_path / f"folder{OSC52}"
    folder.mkdir()

    runs = {
        "import summary": run("--db", db, "import", hostile),
        "no such file": run("--db", db, "import", tmp_path / f"missing{OSC52}.xml"),
        "unknown format": run("--db", db, "import", unknown),
        "--db foreign": run("--db", foreign, "list"),
        "--db folder": run("--db", folder, "list"),
        "--format": run("--db", db, "import", "--format", f"x{OSC52}", hostile),
        "export error": run("--db", db, "export", "-o", folder / "no" / f"e{OSC52}.json"),
        "no episode": run("--db", db, "export", "--post", f"p{OSC52}"),
        "missing store": run("--db", tmp_path / f"none{OSC52}.db", "list"),
    }
    for what, done in runs.items():
        assert_harmless(done)
        shown = (done.stdout + done.stderr).decode("utf-8")
        if what != "--format":
            assert "\\x1b]52;c;aGFja2Vk\\x07" in shown, f"{what}: the name is not shown: {shown}"
    assert runs["import summary"].returncode == 0
    summary = runs["import summary"].stdout.decode()
    assert "\\x9b31m.txt: pagedump: added 1 episode" in summary, summary
    for what in ("no such file", "unknown format", "--db foreign", "no episode", "export error"):
        assert runs[what].returncode == 1, what
        one_line(runs[what])


# -- 7.2: the Markdown export is a display document ---------------------------------------------


def test_markdown_export_holds_no_escape_sequence(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    evil = f"{OSC52}\x1b]0;owned\x1b\\\x9b2J\x9d0;t\x9c\u202etxet\x85"
    post = PostRecord(
        key="evil",
        title=f"Title {evil}",
        author=f"Becky{evil}",
        published=f"2024-01-01{evil}",
        body=f"Article {evil}\nsecond line",
        url=f"https://example.org/{evil}",
        comments=(
            CommentRecord("c1", None, f"Zoé{evil}", None, f"A comment {evil}\n> quoted {evil}"),
            CommentRecord("c2", "c1", f"Léo{evil}", None, f"A reply {evil}"),
        ),
    )
    store = Store.open(db)
    store.import_batch(ImportBatch(source="evil", format="test", posts=(post,)))
    store.close()
    done = run("--db", db, "export", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert_harmless(done)
    text = done.stdout.decode()
    assert "\x85" not in text and "\x9c" not in text
    assert "A comment" in text and "> > **Léo" in text and "second line" in text
    out = tmp_path / "e.md"
    assert run("--db", db, "export", "--format", "markdown", "-o", out).returncode == 0
    assert out.read_text() == text


# -- 7.7: disk full -----------------------------------------------------------------------------


def _assert_untouched(db: Path, before: dict) -> None:
    assert export_json(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_import_on_a_full_disk_says_so_and_changes_nothing(
    tmp_path: Path, sample_path: Path
) -> None:
    big = tmp_path / "big.xml"
    write_wxr(big, posts=10, per_post=300)  # about 3 MB of comments: more than the disk holds
    with tmpfs(tmp_path / "mnt", "6m") as mnt:
        db = mnt / "store.db"
        assert run("--db", db, "import", sample_path).returncode == 0
        before = export_json(db)
        filler = fill(mnt, leave=400_000)
        done = run("--db", db, "import", big)
        line = one_line(done)
        assert done.returncode == 1
        assert "disk full" in line and str(db) in line, line
        assert "rollback" not in line
        filler.unlink()
        _assert_untouched(db, before)


def _file_size_limit(limit: int):
    def set_limit() -> None:
        # Ignored, SIGXFSZ no longer kills the process: the write fails instead (EFBIG).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return set_limit


def test_import_past_the_file_size_limit_says_so_and_changes_nothing(
    tmp_path: Path, sample_path: Path
) -> None:
    """The same without mounting anything: ulimit -f makes SQLite's writes fail (it reports
    SQLITE_IOERR_WRITE, or SQLITE_FULL for a short write)."""
    db = tmp_path / "store.db"
    assert run("--db", db, "import", sample_path).returncode == 0
    before = export_json(db)
    big = tmp_path / "big.xml"
    write_wxr(big, posts=10, per_post=300)
    done = run("--db", db, "import", big, preexec_fn=_file_size_limit(2_000_000))
    line = one_line(done)
    assert done.returncode == 1
    assert "file size limit" in line and str(db) in line and "nothing was written" in line, line
    _assert_untouched(db, before)


# -- 7.9: a store from a newer cmreader ---------------------------------------------------------


def _sidecars(path: Path) -> dict[str, str | None]:
    return {
        s: sha256(Path(f"{path}{s}")) if Path(f"{path}{s}").exists() else None
        for s in ("-wal", "-shm", "-journal")
    }


def test_a_newer_store_is_refused_untouched(tmp_path: Path, sample_path: Path) -> None:
    db = tmp_path / "newer.db"
    assert run("--db", db, "import", sample_path).returncode == 0
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('cmreader', 'm007_from_the_future', '2031-01-01')"
    )
    conn.commit()
    conn.close()
    digest, sidecars = sha256(db), _sidecars(db)
    for args in (["list"], ["inbox"], ["export"], ["import", str(sample_path)], []):
        done = run("--db", db, *args)
        line = one_line(done)
        assert done.returncode == 1, args
        assert done.stdout == b""
        assert str(db) in line and "newer cmreader" in line, line
        assert "m007_from_the_future" in line and "0.1.0" in line, line
        assert sha256(db) == digest, f"cmreader {args} changed the file"
        assert _sidecars(db) == sidecars, f"cmreader {args} left -wal/-shm files"


# -- 7.10: a damaged store ----------------------------------------------------------------------


def _damage(db: Path, table: str, which: str) -> None:
    """Overwrite pages of one b-tree of a real store with garbage, as a bad disk would: every
    page of it ("all"), or one leaf in the middle ("middle leaf")."""
    conn = sqlite3.connect(db)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype != 'overflow' "
                "ORDER BY pageno",
                [table],
            )
        ]
        leaves = [
            r[0]
            for r in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
                [table],
            )
        ]
    finally:
        conn.close()
    chosen = pages if which == "all" else [leaves[len(leaves) // 2]]
    assert chosen and 1 not in chosen and len(leaves) > 4
    rng = random.Random(11)
    with db.open("r+b") as fh:
        for page in chosen:
            fh.seek((page - 1) * page_size)
            fh.write(rng.randbytes(page_size))


def _store_with_comments(db: Path, n: int) -> None:
    store = Store.open(db)
    comments = tuple(
        CommentRecord(f"c{i}", f"c{i - 1}" if i % 3 else None, f"r{i % 9}", None, f"text {i}")
        for i in range(n)
    )
    post = PostRecord("p", "Episode", "Becky", None, "An article.", comments=comments)
    store.import_batch(ImportBatch(source="t", format="t", posts=(post,), owner="Becky"))
    store.close()


@pytest.mark.parametrize(
    ("table", "which"), [("comments", "middle leaf"), ("comments_parent", "all")]
)
def test_import_into_a_damaged_store_is_refused(tmp_path: Path, table: str, which: str) -> None:
    """A damaged leaf of the comments table is one an import never reads (it appends): before
    the check, the import wrote into the damaged file and the damage grew."""
    db = tmp_path / "store.db"
    _store_with_comments(db, 3000)
    _damage(db, table, which)
    digest = sha256(db)
    new = tmp_path / "new.xml"
    write_wxr(new, posts=2, per_post=5)
    done = run("--db", db, "import", new)
    line = one_line(done)
    assert done.returncode == 1
    assert line.startswith(f"cmreader: {db} is damaged ("), line
    assert "nothing was written" in line
    assert sha256(db) == digest, "the import wrote into a damaged store"
    # Reading goes on where SQLite can: the episode list lives elsewhere in the file. A new
    # owner in the config (which a read command writes to the store) is not written here.
    Path(os.environ["CMREADER_CONFIG"]).write_text('owner = "r3"\n')
    listing = run("--db", db, "list")
    assert listing.returncode == 0 and b"(3000 comments" in listing.stdout, listing.stderr
    assert sha256(db) == digest, "a read command wrote its owner into a damaged store"
    exported = run("--db", db, "export", "--format", "json")
    if which == "all":  # an index the export does not need: everything can still be saved
        data = json.loads(exported.stdout)
        assert sum(1 for p in data["posts"] for _ in p["comments"]) == 1000  # the top-level ones
    else:  # the rows themselves are lost: one line, no traceback
        assert exported.returncode == 1 and str(db) in one_line(exported)
    assert sha256(db) == digest


# -- 7.11: read-only ----------------------------------------------------------------------------


def test_a_store_in_a_read_only_folder_is_read_and_never_written(
    tmp_path: Path, sample_path: Path
) -> None:
    with tmpfs(tmp_path / "ro", "4m") as mnt:
        db = mnt / "store.db"
        assert run("--db", db, "import", sample_path).returncode == 0
        before = export_json(db)
        remount_read_only(mnt)
        assert (mnt / "x").exists() is False
        with pytest.raises(OSError):
            (mnt / "x").write_text("root cannot write here either")
        listing = run("--db", db, "list")
        assert listing.returncode == 0 and b"(5 comments, 1 waiting)" in listing.stdout, (
            listing.stderr
        )
        inbox = run("--db", db, "inbox")
        assert inbox.returncode == 0 and b"Bonjour, m'informant" in inbox.stdout
        assert export_json(db) == before
        md = run("--db", db, "export", "--format", "markdown")
        assert md.returncode == 0 and b"**boots38**" in md.stdout
        done = run("--db", db, "import", sample_path)
        assert done.returncode == 1
        assert one_line(done) == f"cmreader: {db} is read-only: nothing was written"
        assert sorted(p.name for p in mnt.iterdir()) == ["store.db"]


def test_a_read_only_store_file_opens_for_an_ordinary_user(
    tmp_path: Path, sample_path: Path
) -> None:
    """Permission bits stop an ordinary user (not root): run the command as nobody."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv(1) to run the command as another user")
    folder = Path("/tmp") / f"cmreader-ro-{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir(mode=0o777)
    try:
        folder.chmod(0o777)  # writable folder: SQLite may create -shm; the file is not
        db = folder / "store.db"
        assert run("--db", db, "import", sample_path).returncode == 0
        db.chmod(0o444)
        digest = sha256(db)
        home = folder / "home"
        home.mkdir(mode=0o777)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        env = {
            **os.environ,
            "HOME": str(home),
            "CMREADER_CONFIG": str(home / "none.toml"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }

        def as_nobody(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [*nobody, *cmreader_command(), "--db", str(db), *args],
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=env,
                timeout=60,
            )

        probe = as_nobody("--version")
        if probe.returncode != 0:
            pytest.skip(f"the user nobody cannot run this cmreader: {probe.stderr[-200:]!r}")
        listing = as_nobody("list")
        assert listing.returncode == 0 and b"(5 comments, 1 waiting)" in listing.stdout, (
            listing.stderr
        )
        assert as_nobody("export").returncode == 0
        done = as_nobody("import", str(sample_path))
        assert done.returncode == 1
        assert one_line(done) == f"cmreader: {db} is read-only: nothing was written"
        assert sha256(db) == digest
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- 7.12: two writers --------------------------------------------------------------------------

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cmreader.store import Store

    store = Store.open(sys.argv[1])
    with store._transaction() as db:  # a long write, as a big import makes
        db.execute("INSERT INTO cmreader_meta (name, value) VALUES ('held', 'yes')")
        Path(sys.argv[2]).touch()
        time.sleep(float(sys.argv[3]))
    store.close()
    """
)


def test_two_imports_during_a_long_write_wait_and_both_land(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    Store.open(db).close()
    files = [tmp_path / "a.xml", tmp_path / "b.xml"]
    write_wxr(files[0], posts=3, per_post=400, site="a.example.org")
    write_wxr(files[1], posts=3, per_post=400, site="b.example.org")
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(ready), "3"])
    try:
        while not ready.exists():
            assert holder.poll() is None, "the holder died"
            time.sleep(0.01)
        env = {**os.environ, "CMREADER_BUSY_TIMEOUT": "0.5"}
        imports = [
            subprocess.Popen(
                [*cmreader_command(), "--db", str(db), "import", str(f)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=env,
            )
            for f in files
        ]
        results = [p.communicate(timeout=120) for p in imports]
    finally:
        holder.wait(timeout=60)
    for proc, (out, err) in zip(imports, results, strict=True):
        assert proc.returncode == 0, err
        assert b"added 3 episodes, 1200 comments" in out, out
        assert b"waiting for another cmreader to finish writing" in err, err
    data = export_json(db)
    assert len(data["posts"]) == 6
