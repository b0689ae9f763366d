"""Real small and read-only file systems for the store's bad-day tests (tmpfs mounts, as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A fresh tmpfs of `size` mounted at where, unmounted afterwards whatever happens."""
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8); neither is available here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        # Lazy: a process a failed test left behind must not keep the mount alive.
        subprocess.run(["umount", "-l", str(where)], check=False)


def remount_read_only(where: Path) -> None:
    """Make a mounted tmpfs read-only: writes then fail with EROFS, for root too."""
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


def fill(where: Path, leave: int) -> Path:
    """Fill the file system at where until only about `leave` bytes are free."""
    filler = where / "filler"
    free = shutil.disk_usage(where).free
    with filler.open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))
    return filler

