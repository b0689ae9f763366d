"""Shared footing for the benchmarks: data sets built once, a private tmux server, statistics."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
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
}

SCREEN = (120, 40)
TMUX_SOCKET = f"cmreader-bench-{os.getpid()}"


def cmreader_command() -> list[str]:
    """The installed `cmreader` beside this Python (what a user runs), else `python -m`."""
    script = Path(PYTHON).with_name("cmreader")
    return [str(script)] if script.exists() else [PYTHON, "-m", "cmreader"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data -----------------------------------------------------------------------------------


def dataset_xml(name: str) -> Path:
    """The generated WXR file of a data set, (re)built when missing or its arguments changed."""
    args = DATASETS[name]
    xml = OUT / f"{name}.xml"
    stamp = OUT / f"{name}.args.json"
    wanted = json.dumps(args, sort_keys=True)
    if xml.exists() and stamp.exists() and stamp.read_text() == wanted:
        return xml
    OUT.mkdir(parents=True, exist_ok=True)
    log(f"generating {xml.name} ...")
    cmd = [PYTHON, str(GENERATE), "-o", str(xml)]
    for key, value in args.items():
        cmd += [f"--{key}", str(value)]
    subprocess.run(cmd, check=True)
    stamp.write_text(wanted)
    (OUT / f"{name}.db").unlink(missing_ok=True)  # a store built from the old file is stale
    return xml


def dataset_store(name: str) -> Path:
    """A pristine store holding a data set, imported once with `cmreader import` and kept."""
    xml = dataset_xml(name)
    db = OUT / f"{name}.db"
    done = OUT / f"{name}.db.ok"
    if db.exists() and done.exists() and done.stat().st_mtime >= xml.stat().st_mtime:
        return db
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), done):
        stale.unlink(missing_ok=True)
    log(f"importing {xml.name} into {db.name} (once) ...")
    subprocess.run(
        [*cmreader_command(), "--db", str(db), "import", str(xml)],
        check=True,
        env=hermetic_env(),
        stdout=subprocess.DEVNULL,
    )
    done.touch()
    return db


def working_copy(db: Path, into: Path) -> Path:
    """A fresh copy of a pristine store (the app writes visits), so every run starts the same."""
    target = into / db.name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, target)
    return target


_HOME: Path | None = None


def hermetic_env() -> dict[str, str]:
    """The environment for runs: no user config, no user store, a fixed terminal."""
    global _HOME
    if _HOME is None:
        _HOME = Path(tempfile.mkdtemp(prefix="cmreader-bench-home-"))
        atexit.register(shutil.rmtree, _HOME, True)
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        folder = _HOME / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["HOME"] = str(_HOME)
    env["CMREADER_CONFIG"] = str(_HOME / "config.toml")
    env["CMREADER_DB"] = str(_HOME / "unused.db")
    env.pop("TMUX", None)
    env.pop("TEXTUAL", None)
    env["TERM"] = "xterm-256color"
    return env


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


class TmuxError(RuntimeError):
    pass


class Tmux:
    """A tmux server of our own (its own socket), so the user's sessions are never touched."""

    def __init__(self, width: int = SCREEN[0], height: int = SCREEN[1]) -> None:
        if shutil.which("tmux") is None:
            raise TmuxError("tmux is not installed (apt-get install tmux)")
        self.width, self.height = width, height
        self.env = hermetic_env()
        # A holder session keeps the server up between runs, so a run pays no server start.
        self._tmux("new-session", "-d", "-s", "holder", "-x", str(width), "-y", str(height))
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-g", "status", "off")
        self._tmux("set-option", "-g", "default-terminal", "tmux-256color")
        self._tmux("set-option", "-sg", "escape-time", "0")
        self._count = 0

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", TMUX_SOCKET, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def launch(self, argv: Sequence[str], cwd: Path | None = None) -> str:
        """Start argv in a new detached session of the fixed size; return the session name."""
        self._count += 1
        name = f"run{self._count}"
        self._tmux(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            *(["-c", str(cwd)] if cwd else []),
            "--",
            *argv,
        )
        return name

    def capture(self, session: str) -> str:
        done = self._tmux("capture-pane", "-p", "-t", session, check=False)
        return done.stdout if done.returncode == 0 else ""

    def pid(self, session: str) -> int:
        out = self._tmux("display-message", "-p", "-t", session, "#{pane_pid}").stdout.strip()
        return int(out)

    def dead(self, session: str) -> bool:
        out = self._tmux("display-message", "-p", "-t", session, "#{pane_dead}", check=False)
        return out.stdout.strip() == "1"

    def send(self, session: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", session, *keys)

    def kill(self, session: str) -> None:
        self._tmux("kill-session", "-t", session, check=False)

    def wait_for(
        self,
        session: str,
        ready: Callable[[str], bool],
        timeout: float = 30.0,
        interval: float = 0.005,
    ) -> tuple[float, str]:
        """Poll the screen until ready(screen); return (perf_counter at that moment, screen)."""
        deadline = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.capture(session)
            if ready(screen):
                return time.perf_counter(), screen
            if self.dead(session):
                raise TmuxError(f"the program in {session} ended early; screen:\n{screen}")
            time.sleep(interval)
        raise TmuxError(f"timed out after {timeout:.0f} s in {session}; screen:\n{screen}")

    def close(self) -> None:
        self._tmux("kill-server", check=False)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def has(text: str) -> Callable[[str], bool]:
    return lambda screen: text in screen


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
