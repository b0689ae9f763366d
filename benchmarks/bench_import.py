"""Import: `cmreader --db NEW import FILE` on a 12,000-comment WXR export, whole process.

Each run imports into a new, empty store; the time is the process's wall time, start to exit.
With --breakdown, also times parsing and writing in this process (not part of the metric).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import Figures, Result, cmreader_command, dataset_xml, emit, hermetic_env, log

TARGET_MS = 2000.0


def one_import(xml: Path, db: Path) -> float:
    env = hermetic_env()
    start = time.perf_counter()
    done = subprocess.run(
        [*cmreader_command(), "--db", str(db), "import", str(xml)],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0 or "added" not in done.stdout:
        raise RuntimeError(f"import failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed


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
    args = parser.parse_args(argv)

    xml = dataset_xml("import-12k")
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="cmreader-bench-") as tmp:
        one_import(xml, Path(tmp) / "warmup.db")
        for n in range(args.runs):
            figures.values.append(one_import(xml, Path(tmp) / f"run{n}.db"))
        detail = figures.line()
        if args.breakdown:
            split = breakdown(xml, Path(tmp) / "split.db")
            log(f"in process: {split}")
            detail += f"; in process: {split}"
    log(f"import of 12,000 comments: {figures.line()} (target < {TARGET_MS:.0f} ms)")
    emit(
        [
            Result(
                "import 12,000-comment WXR (whole process)",
                figures.median,
                "ms",
                f"< {TARGET_MS:.0f} ms",
                figures.median < TARGET_MS,
                f"{xml.name}: 101 episodes, 12,000 comments, {xml.stat().st_size / 1e6:.0f} MB",
                detail,
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
