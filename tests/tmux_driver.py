"""A small driver for running the installed `cmreader` in a real tmux terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path


def cmreader_command() -> str:
    """The installed console script beside this Python, as a user would run it."""
    script = Path(sys.executable).parent / "cmreader"
    found = str(script) if script.exists() else shutil.which("cmreader")
    if not found:
        raise RuntimeError("the cmreader command is not installed (pip install -e .)")
    return found


class Tmux:
    """One detached tmux server and session of a fixed size, killed on close."""

    def __init__(self, tmp: Path, width: int = 80, height: int = 24) -> None:
        self.socket = f"cmreader-test-{uuid.uuid4().hex[:8]}"
        self.tmp = tmp
        self.width, self.height = width, height
        self.session = "t"

    def _tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True,
                                text=True, timeout=20)
        return result.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{k}={_quote(v)}" for k, v in env.items())
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session,
                   "-x", str(self.width), "-y", str(self.height),
                   f"env {exports} TERM=xterm-256color {command}; sleep 30")
        # Let applications write the clipboard (OSC 52), so a leak would show in list-buffers.
        self._tmux("set-option", "-g", "set-clipboard", "on")

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", self.session]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never showed; the screen was:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} stayed; the screen was:\n{screen}")

    def pane_title(self) -> str:
        return self._tmux("display-message", "-p", "-t", self.session, "#{pane_title}").strip()

    def buffers(self) -> str:
        return self._tmux("list-buffers")

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())

    def close(self) -> None:
        self._tmux("kill-server")


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


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
