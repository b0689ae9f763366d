"""Shared footing for the benchmarks: data sets built once, a private tmux server, statistics."""

from __future__ import annotations

import atexit
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# The environment builder and the tmux driver are the end-to-end tests' own: one of each.
sys.path.insert(0, str(REPO / "tests"))

import generate  # noqa: E402
import terminal  # noqa: E402

# The benchmarks import these from here.
from terminal import TmuxError, cmreader_command, has  # noqa: E402, F401

OUT = HERE / "out"
PYTHON = sys.executable
GENERATE = HERE / "generate.py"

# The data sets: name -> generator arguments. Changing the arguments rebuilds the files.
DATASETS: dict[str, dict[str, int]] = {
    # 1,000 episodes, ~100,000 comments: a 10,000-comment thread on top, a 5-comment one second.
    "big": {
        "posts": 998,
        "comments-per-post": 90,
        "big-thread": 10000,
        "small-thread": 5,
        "seed": 1,
    },
    # 12,000 comments for the import benchmark.
    "import-12k": {
        "posts": 100,
        "comments-per-post": 100,
        "big-thread": 2000,
        "small-thread": 0,
        "seed": 2,
    },
    # Growth of the first screen, each beside big: the same two threads on top, with ten times
    # the episodes (10,000 episodes, 99,987 comments) ...
    "wide": {
        "posts": 9998,
        "comments-per-post": 9,
        "big-thread": 10000,
        "small-thread": 5,
        "seed": 3,
    },
    # ... or ten times the comments (1,000 episodes, 1,000,021 comments). About 1 GB of WXR:
    # written as 10 files of ~100 MB (the importer refuses files over 512 MB), each imported
    # with its own `cmreader import`, as big is.
    "deep": {
        "posts": 998,
        "comments-per-post": 992,
        "big-thread": 10000,
        "small-thread": 5,
        "seed": 4,
        "parts": 10,
    },
}

SCREEN = (120, 40)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data -----------------------------------------------------------------------------------


def dataset_files(name: str) -> list[Path]:
    """The generated WXR file(s) of a data set, (re)built when missing or its arguments
    changed: one file, or the numbered parts of a data set with "parts"."""
    args = DATASETS[name]
    xml = OUT / f"{name}.xml"
    files = generate.part_paths(xml, args.get("parts", 1))
    stamp = OUT / f"{name}.args.json"
    wanted = json.dumps(args, sort_keys=True)
    if all(f.exists() for f in files) and stamp.exists() and stamp.read_text() == wanted:
        return files
    OUT.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for stale in [xml, *OUT.glob(f"{name}.[0-9][0-9].xml")]:
        stale.unlink(missing_ok=True)
    log(f"generating {name} ...")
    cmd = [PYTHON, str(GENERATE), "-o", str(xml)]
    for key, value in args.items():
        cmd += [f"--{key}", str(value)]
    subprocess.run(cmd, check=True)
    stamp.write_text(wanted)
    (OUT / f"{name}.db").unlink(missing_ok=True)  # a store built from the old file is stale
    return files


def dataset_xml(name: str) -> Path:
    """The generated WXR file of a one-file data set."""
    files = dataset_files(name)
    if len(files) != 1:
        raise ValueError(f"data set {name} is in {len(files)} files")
    return files[0]


def dataset_store(name: str) -> Path:
    """A pristine store holding a data set, imported once with `cmreader import` and kept
    (a data set in parts: one `cmreader import` per file, in order, into the same store)."""
    files = dataset_files(name)
    db = OUT / f"{name}.db"
    done = OUT / f"{name}.db.ok"
    newest = max(f.stat().st_mtime for f in files)
    if db.exists() and done.exists() and done.stat().st_mtime >= newest:
        _migrate(db)
        return db
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), done):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    for n, xml in enumerate(files, 1):
        part = f" ({n}/{len(files)})" if len(files) > 1 else ""
        log(f"importing {xml.name} into {db.name}{part} (once) ...")
        subprocess.run(
            [*cmreader_command(), "--db", str(db), "import", str(xml)],
            check=True,
            env=hermetic_env(),
            stdout=subprocess.DEVNULL,
        )
    log(f"{db.name}: imported in {time.perf_counter() - started:.1f} s")
    done.touch()
    return db


def _migrate(db: Path) -> None:
    """Bring a store imported by an older cmreader up to this one's schema, once: otherwise
    every run on a fresh copy of it would time that migration too (users pay it once)."""
    subprocess.run(
        [*cmreader_command(), "--db", str(db), "list"],
        check=True,
        env=hermetic_env(),
        stdout=subprocess.DEVNULL,
    )


def store_counts(db: Path) -> tuple[int, int]:
    """(episodes, comments) in a pristine store, read straight from its tables (immutable: a
    closed store has no -wal, and reading it this way leaves none, nor an -shm, beside it)."""
    with closing(sqlite3.connect(f"{db.as_uri()}?mode=ro&immutable=1", uri=True)) as con:
        posts = int(con.execute("SELECT COUNT(*) FROM posts").fetchone()[0])
        comments = int(con.execute("SELECT COUNT(*) FROM comments").fetchone()[0])
    return posts, comments


def working_copy(db: Path, into: Path) -> Path:
    """A fresh copy of a pristine store (the app writes visits), so every run starts the same."""
    target = into / db.name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, target)
    return target


_HOME: Path | None = None


def hermetic_env() -> dict[str, str]:
    """The environment for runs: no user config, no user store, a fixed terminal (one home,
    made on first use and removed at exit), and cmreader compiled to bytecode before the first
    run of it (compile_package)."""
    global _HOME
    if _HOME is None:
        compile_package()
        _HOME = Path(tempfile.mkdtemp(prefix="cmreader-bench-home-"))
        atexit.register(shutil.rmtree, _HOME, True)
    return terminal.hermetic_env(_HOME)


# -- statistics -----------------------------------------------------------------------------


@dataclass
class Figures:
    """Repeated measurements of one metric, in milliseconds (or MB)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def line(self, unit: str = "ms") -> str:
        v = self.values
        return (
            f"median {self.median:8.1f} {unit}   min {min(v):8.1f}   max {max(v):8.1f}   "
            f"(n={len(v)})"
        )


@dataclass
class Result:
    """One row of the summary table."""

    metric: str
    value: float
    unit: str
    target: str
    passed: bool | None
    data: str
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def emit(results: Sequence[Result]) -> None:
    """Print results as JSON lines on stdout for run_all.py to collect."""
    for r in results:
        print("RESULT " + json.dumps(r.as_dict(), ensure_ascii=False), flush=True)


# -- a private tmux server ------------------------------------------------------------------


def compile_package() -> None:
    """Compile cmreader's modules to bytecode, as a regular install leaves them (Textual's come
    compiled in site-packages). With PYTHONDONTWRITEBYTECODE set (some machines set it), an
    editable install would otherwise compile every cmreader module from source at each start:
    the first screen would be timed against a bare app that reads its bytecode."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("cmreader")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cmreader is not installed in this Python")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


class Tmux(terminal.Tmux):
    """The tests' tmux driver at the benchmarks' screen size and in their home, polling fast
    (the moment a screen shows is what is measured)."""

    def __init__(self, width: int = SCREEN[0], height: int = SCREEN[1]) -> None:
        super().__init__(hermetic_env(), width, height, timeout=30.0, poll=0.005)


def vm_hwm_mb(pid: int) -> float:
    """Peak resident memory of a process so far, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


def python_pid(pid: int) -> int:
    """The pane's process, or its first child when a shell wraps the command."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return pid
    if comm in ("sh", "bash", "dash"):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if children:
            return int(children[0])
    return pid
