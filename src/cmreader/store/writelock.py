"""Taking SQLite's write lock up front: our writes in turn, other processes' waited out."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from sqlite3 import Connection

from cmreader.errors import StoreLocked
from cmreader.sanitize import visible
from cmreader.store.failures import is_busy

# How long a write waits for another process's write to finish before it gives up. Long: a big
# import holds the lock for many seconds, and a reply must land after it, not fail.
WRITE_WAIT = 600.0
# The first try for the write lock is short, so a wait is announced early; later tries are
# short too, with pauses between them in which other threads may read.
_FIRST_TRY_MS = 250
_RETRY_MS = 100
_PAUSE_S = 0.1


class WriteTurn:
    """One write of this process at a time, each holding SQLite's write lock from its start."""

    def __init__(self, lock: threading.RLock, busy_ms: int) -> None:
        # A write waiting for another process lets go of lock between tries (see begin);
        # _writing keeps this process's other writes behind it meanwhile.
        self._idle = threading.Condition(lock)
        self._writing = False
        self._busy_ms = busy_ms

    def begin(
        self,
        db: Connection,
        path: Path,
        *,
        write_wait: float,
        on_wait: Callable[[str], None] | None,
    ) -> None:
        """BEGIN IMMEDIATE: take the write lock up front, waiting as long as another process
        writes (up to write_wait), so a write never fails half-way with "database is locked".

        While it waits, the store's lock is let go between tries, so other threads go on
        reading (the reader stays usable during another process's long import); other writes
        of this process wait their turn behind this one. The caller holds the store's lock.
        """
        while self._writing:
            self._idle.wait()
        self._writing = True
        start = time.monotonic()
        try:
            _set_busy_timeout(db, min(_FIRST_TRY_MS, self._busy_ms))
            if _try_begin(db):
                return
            if on_wait is not None:
                on_wait(f"waiting for another cmreader to finish writing {visible(str(path))}...")
            _set_busy_timeout(db, min(_RETRY_MS, self._busy_ms))
            while not _try_begin(db):
                waited = time.monotonic() - start
                if waited >= write_wait:
                    raise StoreLocked(path, waited)
                self._idle.wait(_PAUSE_S)  # lets other threads read meanwhile
        except BaseException:
            self.end()
            raise
        finally:
            _set_busy_timeout(db, self._busy_ms)

    def end(self) -> None:
        """The write is over (committed or not): let the next one of this process begin."""
        self._writing = False
        self._idle.notify_all()


def _try_begin(db: Connection) -> bool:
    try:
        db.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        return False


def _set_busy_timeout(db: Connection, ms: int) -> None:
    db.execute(f"PRAGMA busy_timeout = {ms}")
