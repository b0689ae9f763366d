"""The installed `cmreader` in a real terminal: one hermetic environment and one tmux driver.

Shared by the end-to-end tests and the benchmarks (benchmarks/common.py puts this folder on
sys.path). Every server has its own socket, so the user's tmux sessions are never touched, and
is killed on close; every run gets its own HOME, XDG folders, config and store.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

XDG_FOLDERS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def cmreader_command(*, installed: bool = False) -> list[str]:
    """The `cmreader` console script beside this Python, as a user runs it.

    Without one, `python -m cmreader`; or, with installed=True (the end-to-end tests are about
    the installed command), an error.
    """
    script = Path(sys.executable).with_name("cmreader")
    if script.exists():
        return [str(script)]
    if installed:
        raise RuntimeError("the cmreader command is not installed (pip install -e .)")
    return [sys.executable, "-m", "cmreader"]


def hermetic_vars(home: Path, db: Path) -> dict[str, str]:
    """The variables that keep cmreader inside home: HOME, every XDG folder (created), the
    config file and the store (db)."""
    found = {"HOME": str(home)}
    for name in XDG_FOLDERS:
        folder = home / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        found[name] = str(folder)
    found["CMREADER_CONFIG"] = str(home / "config.toml")
    found["CMREADER_DB"] = str(db)
    return found


def hermetic_env(home: Path, db: Path | None = None) -> dict[str, str]:
    """This process's environment for a run of cmreader: no user config, no user store (db,
    else an unused file in home), not inside the user's tmux, a fixed terminal type."""
    env = {**os.environ, **hermetic_vars(home, db if db is not None else home / "unused.db")}
    env.pop("TMUX", None)
    env.pop("TEXTUAL", None)
    env["TERM"] = "xterm-256color"
    return env


def app_pids(store: Path) -> list[int]:
    """Processes running cmreader on this store (found by their command line)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"cmreader" in part for part in cmdline) and str(store).encode() in cmdline:
            pids.append(int(proc.name))
    return [p for p in pids if p != os.getpid()]


class TmuxError(AssertionError):
    """What a terminal did not show in time, or a program that ended early (a test failure)."""


def has(text: str) -> Callable[[str], bool]:
    return lambda screen: text in screen


class Tmux:
    """A tmux server of our own (its own socket, no config file), killed on close.

    Each launch is a detached session of the fixed size running argv directly, in env (the
    server's environment). A pane stays after its program ends (remain-on-exit), so its last
    screen can still be read.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        width: int = 80,
        height: int = 24,
        *,
        timeout: float = 15.0,
        poll: float = 0.05,
    ) -> None:
        if shutil.which("tmux") is None:
            raise TmuxError("tmux is not installed (apt-get install tmux)")
        self.env = dict(env)
        self.width, self.height = width, height
        self.timeout, self.poll = timeout, poll
        self.socket = f"cmreader-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._count = 0
        # A holder session keeps the server up between runs, so a run pays no server start.
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "holder",
                   "-x", str(width), "-y", str(height))
        self._tmux("set-option", "-g", "remain-on-exit", "on")
        self._tmux("set-option", "-g", "status", "off")
        self._tmux("set-option", "-g", "default-terminal", "tmux-256color")
        self._tmux("set-option", "-sg", "escape-time", "0")
        # Let applications write the clipboard (OSC 52), so a leak would show in list-buffers.
        self._tmux("set-option", "-g", "set-clipboard", "on")
        self._socket_path = Path(self._show("holder", "#{socket_path}"))

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=20,
        )

    def launch(self, argv: Sequence[str], cwd: Path | None = None) -> str:
        """Start argv in a new detached session of the fixed size; return the session name."""
        self._count += 1
        name = f"run{self._count}"
        self._tmux(
            "new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height),
            *(["-c", str(cwd)] if cwd else []),
            "--", *argv,
        )
        return name

    def capture(self, session: str) -> str:
        done = self._tmux("capture-pane", "-p", "-t", session, check=False)
        return done.stdout if done.returncode == 0 else ""

    def _show(self, session: str, what: str, check: bool = True) -> str:
        done = self._tmux("display-message", "-p", "-t", session, what, check=check)
        return done.stdout.strip()

    def pid(self, session: str) -> int:
        return int(self._show(session, "#{pane_pid}"))

    def dead(self, session: str) -> bool:
        return self._show(session, "#{pane_dead}", check=False) == "1"

    def title(self, session: str) -> str:
        return self._show(session, "#{pane_title}")

    def buffers(self) -> str:
        """The server's paste buffers: where a program's OSC 52 clipboard write would land."""
        return self._tmux("list-buffers").stdout

    def send(self, session: str, *keys: str) -> None:
        """tmux send-keys: key names ("C-s", "Enter"), or "-l" then literal text."""
        self._tmux("send-keys", "-t", session, *keys)

    def kill(self, session: str) -> None:
        self._tmux("kill-session", "-t", session, check=False)

    def wait_for(
        self,
        session: str,
        ready: str | Callable[[str], bool],
        timeout: float | None = None,
        interval: float | None = None,
    ) -> tuple[float, str]:
        """Poll the screen until ready(screen) (or the text shows); return (perf_counter at
        that moment, screen)."""
        test = has(ready) if isinstance(ready, str) else ready
        timeout = self.timeout if timeout is None else timeout
        interval = self.poll if interval is None else interval
        deadline = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.capture(session)
            if test(screen):
                return time.perf_counter(), screen
            if self.dead(session):
                raise TmuxError(f"the program in {session} ended early; screen:\n{screen}")
            time.sleep(interval)
        shown = f"{ready!r} never showed" if isinstance(ready, str) else "never ready"
        raise TmuxError(f"{shown} after {timeout:.0f} s in {session}; screen:\n{screen}")

    def wait_gone(self, session: str, text: str, timeout: float | None = None) -> str:
        """Poll until text is no longer on the screen (a dead pane counts); return the screen."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.perf_counter() + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = self.capture(session)
            if text not in screen:
                return screen
            time.sleep(self.poll)
        raise TmuxError(f"{text!r} stayed after {timeout:.0f} s in {session}; screen:\n{screen}")

    def close(self) -> None:
        self._tmux("kill-server", check=False)
        self._socket_path.unlink(missing_ok=True)  # tmux leaves it behind

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
