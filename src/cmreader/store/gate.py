"""The way every Store call reaches SQLite: a thread at a time, writes only while allowed."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import wraps
from pathlib import Path
from sqlite3 import Connection
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from cmreader.errors import StoreCorrupt, StoreError, StoreReadOnly, StoreReplaced
from cmreader.store.failures import SQLITE_READONLY, is_damage, primary_code, store_failure
from cmreader.store.writelock import WriteTurn

T = TypeVar("T")
P = ParamSpec("P")


class Gate:
    """The lock, the right to write (Store.read_only) and the transactions of one connection."""

    def __init__(
        self,
        db: Connection,
        path: Path,
        *,
        read_only: bool,
        identity: tuple[int, int] | None,
        busy_ms: int,
    ) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self.lock = threading.RLock()
        self._identity = identity
        self._damage: str | None = None
        self._turn = WriteTurn(self.lock, busy_ms)

    def stop(self, damage: str) -> None:
        """The store is damaged: no write from now on."""
        self._damage = damage
        self.read_only = True

    def failure(self, exc: sqlite3.DatabaseError, waited: float = 0.0) -> StoreError:
        """The StoreError for exc; damage or a lost write permission stops every later write."""
        if is_damage(exc):
            self.stop(str(exc))
        elif primary_code(exc) == SQLITE_READONLY:
            self.read_only = True
        return store_failure(exc, self.path, waited=waited)

    @contextmanager
    def transaction(
        self, *, write_wait: float, on_wait: Callable[[str], None] | None
    ) -> Iterator[Connection]:
        """One write, all or nothing, once SQLite's write lock is ours (see WriteTurn.begin)."""
        with self.lock:  # held already by guarded callers; re-entrant
            if self._damage is not None:
                raise StoreCorrupt(self.path, self._damage)
            if self.read_only:
                raise StoreReadOnly(self.path)
            self._turn.begin(self.db, self.path, write_wait=write_wait, on_wait=on_wait)
            try:
                self._check_same_file()
                yield self.db
                self.db.execute("COMMIT")
            except BaseException as exc:
                # SQLite rolls back by itself after some failures (disk full, I/O errors): a second
                # ROLLBACK would fail and hide the real error, so only roll back what is still open.
                if self.db.in_transaction:
                    try:
                        self.db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the error being raised is the one worth reporting
                if isinstance(exc, StoreReplaced):
                    self.empty_log()
                raise
            finally:
                self._turn.end()

    def _check_same_file(self) -> None:
        """Refuse to write when the path no longer names the file that was opened: SQLite would
        go on writing into a deleted file (or beside a new one), and the words would be lost."""
        if not self.same_file():
            raise StoreReplaced(self.path)

    def same_file(self) -> bool:
        if self._identity is None:
            return True
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self._identity

    def empty_log(self) -> None:
        """The file was moved or replaced under us: finish our -wal into the file we opened and
        empty it. SQLite leaves the log of a moved file behind at the old name, where the next
        open would apply its pages to whatever file now has that name."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # best effort: nothing more can be done for a file that is gone


class Gated(Protocol):
    """What the decorators below need of the object whose methods they wrap: the Store."""

    _gate: Gate

    def _transaction(self) -> AbstractContextManager[Connection]: ...


G = TypeVar("G", bound=Gated)


def guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Serialise calls from worker threads and turn SQLite failures into StoreError."""

    @wraps(method)
    def wrapper(self: Gated, *args: Any, **kwargs: Any) -> T:
        with self._gate.lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise self._gate.failure(exc) from None

    return wrapper


def writes(
    method: Callable[Concatenate[G, Connection, P], T],
) -> Callable[Concatenate[G, P], T]:
    """A write: serialised, in one transaction (all or nothing), SQLite failures as StoreError.

    The method gets the connection inside the transaction as its first argument after self.
    """

    @wraps(method)
    def wrapper(self: G, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._gate.lock:
            try:
                with self._transaction() as db:
                    return method(self, db, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise self._gate.failure(exc) from None

    return wrapper
