"""Import: `cmreader --db NEW import FILE` on a 12,000-comment WXR export, beside its floor.

Each run imports into a new, empty store; the time is the process's wall time, start to exit.
The floor is what no importer can beat: a process that parses the same file with ElementTree
and writes the same rows with one `executemany` into bare tables (no index, no search). The
two run in turn, so the ratio of their medians is taken within one run of the machine.
With --breakdown, also times parsing and writing in this process (not part of the metric).
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from common import PYTHON, Figures, Result, cmreader_command, dataset_xml, emit, hermetic_env, log

TARGET_MS = 2000.0
TARGET_RATIO = 3.0
_WP = "{http://wordpress.org/export/1.2/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_COMMENT_FIELDS = (
    "comment_id",
    "comment_parent",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_date_gmt",
    "comment_approved",
    "comment_type",
    "comment_user_id",
    "comment_content",
)


def floor_import(xml: Path, db: Path) -> None:
    """The floor: parse, pick the fields cmreader stores, one executemany per table."""
    root = ET.parse(xml).getroot()
    posts, comments = [], []
    for item in root.iter("item"):
        post_id = item.findtext(f"{_WP}post_id") or ""
        posts.append((post_id, item.findtext("title"), item.findtext(_CONTENT)))
        for el in item.iter(f"{_WP}comment"):
            comments.append((post_id, *(el.findtext(f"{_WP}{f}") for f in _COMMENT_FIELDS)))
    con = sqlite3.connect(db)
    with con:
        con.execute("CREATE TABLE posts (key, title, body)")
        con.execute(f"CREATE TABLE comments (post_key, {', '.join(_COMMENT_FIELDS)})")
        con.executemany("INSERT INTO posts VALUES (?, ?, ?)", posts)
        con.executemany(f"INSERT INTO comments VALUES ({', '.join('?' * 11)})", comments)
    con.close()


def _timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=hermetic_env(), capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed


def one_import(xml: Path, db: Path) -> float:
    return _timed([*cmreader_command(), "--db", str(db), "import", str(xml)])


def one_floor(xml: Path, db: Path) -> float:
    return _timed([PYTHON, __file__, "--floor-run", str(xml), str(db)])


def breakdown(xml: Path, db: Path) -> str:
    """Parse and write timed apart, in process."""
    from cmreader.importers import load
    from cmreader.store import Store

    t0 = time.perf_counter()
    batch = load(str(xml))
    t1 = time.perf_counter()
    store = Store.open(db)
    try:
        store.import_batch(batch)
    finally:
        store.close()
    t2 = time.perf_counter()
    return f"parse {1000 * (t1 - t0):.0f} ms, write {1000 * (t2 - t1):.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--breakdown", action="store_true")
    parser.add_argument("--floor-run", nargs=2, metavar=("XML", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_run:
        floor_import(Path(args.floor_run[0]), Path(args.floor_run[1]))
        return 0

    xml = dataset_xml("import-12k")
    figures, floor = Figures(), Figures()
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp:
        one_floor(xml, Path(tmp) / "warmup-floor.db")
        one_import(xml, Path(tmp) / "warmup.db")
        for n in range(args.runs):
            floor.values.append(one_floor(xml, Path(tmp) / f"floor{n}.db"))
            figures.values.append(one_import(xml, Path(tmp) / f"run{n}.db"))
        ratio = figures.median / floor.median
        detail = f"cmreader {figures.line()}; floor {floor.line()}"
        if args.breakdown:
            split = breakdown(xml, Path(tmp) / "split.db")
            log(f"in process: {split}")
            detail += f"; in process: {split}"
    log(f"floor (ElementTree + executemany): {floor.line()}")
    log(f"cmreader import:                   {figures.line()} (target < {TARGET_MS:.0f} ms)")
    log(
        f"import / floor, medians: {figures.median:.0f} / {floor.median:.0f} ms = {ratio:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x)"
    )
    data = f"{xml.name}: 101 episodes, 12,000 comments, {xml.stat().st_size / 1e6:.0f} MB"
    emit(
        [
            Result(
                "import 12,000-comment WXR (whole process)",
                figures.median,
                "ms",
                f"< {TARGET_MS:.0f} ms",
                figures.median < TARGET_MS,
                data,
                detail,
            ),
            Result(
                f"import / parse floor ({figures.median:.0f} / {floor.median:.0f} ms)",
                ratio,
                "x",
                f"<= {TARGET_RATIO:.0f}x",
                ratio <= TARGET_RATIO,
                data,
                detail,
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
