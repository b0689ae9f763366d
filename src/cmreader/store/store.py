"""The Store: the one object that reads and writes a cmreader SQLite file."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from cmreader.errors import (
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    StoreReplaced,
)
from cmreader.sanitize import visible
from cmreader.store import queries, replies
from cmreader.store.connection import open_database, quick_check
from cmreader.store.failures import SQLITE_READONLY, is_busy, is_damage, primary_code, store_failure
from cmreader.store.models import (
    Blog,
    CommentRow,
    ImportResult,
    InboxEntry,
    Post,
    PostSummary,
    SearchHit,
)

if TYPE_CHECKING:
    from cmreader.records import ImportBatch

T = TypeVar("T")
P = ParamSpec("P")

# How long a write waits for another process's write to finish before it gives up. Long: a big
# import holds the lock for many seconds, and a reply must land after it, not fail.
WRITE_WAIT = 600.0
# The first try for the write lock is short, so a wait is announced early; later tries are
# short too, with pauses between them in which other threads may read.
_FIRST_TRY_MS = 250
_RETRY_MS = 100
_PAUSE_S = 0.1


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Serialise calls from worker threads and turn SQLite failures into StoreError."""

    @wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise self._failure(exc) from None

    return wrapper


def _writes(
    method: Callable[Concatenate[Store, Connection, P], T],
) -> Callable[Concatenate[Store, P], T]:
    """A write: serialised, in one transaction (all or nothing), SQLite failures as StoreError.

    The method gets the connection inside the transaction as its first argument after self.
    """

    @wraps(method)
    def wrapper(self: Store, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._lock:
            try:
                with self._transaction() as db:
                    return method(self, db, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise self._failure(exc) from None

    return wrapper


class Store:
    """A cmreader store on one SQLite file; safe to call from worker threads.

    `read_only` is True when the file cannot be written (or turned out damaged); every write
    then raises a StoreError subclass from cmreader.errors and writes nothing.
    """

    def __init__(
        self,
        db: Connection,
        path: Path,
        *,
        read_only: bool = False,
        identity: tuple[int, int] | None = None,
        busy_timeout: float = 10.0,
        write_wait: float = WRITE_WAIT,
    ) -> None:
        self.db = db
        self.path = path
        self.read_only = read_only
        self.write_wait = write_wait
        # Called (from the writing thread) once per write that has to wait for another
        # process's write, with a line to show; the CLI prints it, the reader may show it.
        self.on_wait: Callable[[str], None] | None = None
        self._identity = identity
        self._busy_ms = int(busy_timeout * 1000)
        self._damage: str | None = None
        self._lock = threading.RLock()
        # A write waiting for another process lets go of _lock between tries (see _begin);
        # _writing keeps this process's other writes behind it meanwhile.
        self._idle = threading.Condition(self._lock)
        self._writing = False

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        check: bool = False,
        busy_timeout: float | None = None,
        write_wait: float = WRITE_WAIT,
    ) -> Store:
        """Open the store at path, creating and migrating it as needed.

        check=True runs SQLite's quick_check first (for bulk writes such as an import); a store
        that fails it is refused. busy_timeout (seconds) defaults to $CMREADER_BUSY_TIMEOUT or 10.
        """
        path = Path(path)
        opened = open_database(path, create=create, check=check, busy_timeout=busy_timeout)
        return cls(
            opened.db,
            path,
            read_only=opened.read_only,
            identity=opened.identity,
            busy_timeout=opened.busy_timeout,
            write_wait=write_wait,
        )

    def close(self) -> None:
        with self._lock:
            if not self.read_only and not self._same_file():
                self._empty_log()
            self.db.close()

    def _empty_log(self) -> None:
        """The file was moved or replaced under us: finish our -wal into the file we opened and
        empty it. SQLite leaves the log of a moved file behind at the old name, where the next
        open would apply its pages to whatever file now has that name."""
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # best effort: nothing more can be done for a file that is gone

    @_guarded
    def check(self) -> None:
        """Run SQLite's quick_check (about 90 ms for 100,000 comments): StoreCorrupt, and no
        write from then on, when the store fails it. For callers about to write in bulk."""
        try:
            quick_check(self.path, self.db)
        except StoreCorrupt as exc:
            self._damage = exc.detail
            self.read_only = True
            raise

    def _failure(self, exc: sqlite3.DatabaseError, waited: float = 0.0) -> StoreError:
        """The StoreError for exc; damage or a lost write permission stops every later write."""
        if is_damage(exc):
            self._damage = str(exc)
            self.read_only = True
        elif primary_code(exc) == SQLITE_READONLY:
            self.read_only = True
        return store_failure(exc, self.path, waited=waited)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self._lock:  # held already by _guarded callers; re-entrant
            if self._damage is not None:
                raise StoreCorrupt(self.path, self._damage)
            if self.read_only:
                raise StoreReadOnly(self.path)
            self._begin()
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
                    self._empty_log()
                raise
            finally:
                self._end_write()

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: take the write lock up front, waiting as long as another process
        writes (up to write_wait), so a write never fails half-way with "database is locked".

        While it waits, the store's lock is let go between tries, so other threads go on
        reading (the reader stays usable during another process's long import); other writes
        of this process wait their turn behind this one.
        """
        while self._writing:
            self._idle.wait()
        self._writing = True
        start = time.monotonic()
        try:
            self._set_busy_timeout(min(_FIRST_TRY_MS, self._busy_ms))
            if self._try_begin():
                return
            if self.on_wait is not None:
                self.on_wait(
                    f"waiting for another cmreader to finish writing {visible(str(self.path))}..."
                )
            self._set_busy_timeout(min(_RETRY_MS, self._busy_ms))
            while not self._try_begin():
                waited = time.monotonic() - start
                if waited >= self.write_wait:
                    raise StoreLocked(self.path, waited)
                self._idle.wait(_PAUSE_S)  # lets other threads read meanwhile
        except BaseException:
            self._end_write()
            raise
        finally:
            self._set_busy_timeout(self._busy_ms)

    def _try_begin(self) -> bool:
        try:
            self.db.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            return False

    def _set_busy_timeout(self, ms: int) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {ms}")

    def _end_write(self) -> None:
        self._writing = False
        self._idle.notify_all()

    def _check_same_file(self) -> None:
        """Refuse to write when the path no longer names the file that was opened: SQLite would
        go on writing into a deleted file (or beside a new one), and the words would be lost."""
        if not self._same_file():
            raise StoreReplaced(self.path)

    def _same_file(self) -> bool:
        if self._identity is None:
            return True
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self._identity

    # -- settings -------------------------------------------------------------------------

    @_guarded
    def get_setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM cmreader_meta WHERE name = ?", [name]).fetchone()
        return None if row is None else row[0]

    def owner_name(self) -> str | None:
        """The blog owner's name: from the config (set by the app) or the first import."""
        return self.get_setting("owner")

    @_writes
    def set_owner(self, db: Connection, name: str) -> None:
        """Name the owner; their comments count as answers from now on."""
        replies.set_owner(db, name)

    # -- importing ------------------------------------------------------------------------

    @_writes
    def import_batch(self, db: Connection, batch: ImportBatch) -> ImportResult:
        """Write one file's records in one transaction; nothing is written if anything fails."""
        # Imported here: the reader opens the store and never pays for the import machinery.
        from cmreader.store.importing import write_batch

        owner = replies.current_owner(db)
        if owner is None and batch.owner:
            replies.remember_owner(db, batch.owner)
            owner = batch.owner
        return write_batch(db, batch, owner)

    # -- reading --------------------------------------------------------------------------

    @_guarded
    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM posts LIMIT 1").fetchone() is None

    @_guarded
    def list_posts(self, limit: int | None = None, offset: int = 0) -> list[PostSummary]:
        """Episodes newest first, with their counts."""
        return queries.list_posts(self.db, limit, offset)

    @_guarded
    def list_blogs(self) -> list[Blog]:
        """Every blog the imports named, with its owner identities and episode count."""
        return queries.list_blogs(self.db)

    @_guarded
    def get_post(self, post_id: int) -> Post:
        return queries.get_post(self.db, post_id)

    @_guarded
    def find_post(self, id_or_key: str) -> Post | None:
        """A post by its number or its stable key."""
        return queries.find_post(self.db, id_or_key)

    @_guarded
    def comment_rows(
        self, post_id: int, *, show_hidden: bool = False, limit: int | None = None
    ) -> list[CommentRow]:
        """A post's comments in thread order (the first `limit` of them); spam and trash only
        when show_hidden."""
        return queries.comment_rows(self.db, post_id, show_hidden=show_hidden, limit=limit)

    @_guarded
    def get_comment(self, comment_id: int) -> CommentRow | None:
        return queries.get_comment(self.db, comment_id)

    @_guarded
    def needs_answer(self, limit: int | None = None) -> list[InboxEntry]:
        """Every comment that waits for the owner's answer, across episodes, oldest first."""
        return queries.needs_answer(self.db, limit)

    @_guarded
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Episodes and comments matching every word of text, accents folded, best first."""
        return queries.search(self.db, text, limit)

    @_guarded
    def export_rows(
        self, post_id: int | None = None
    ) -> tuple[list[Post], dict[int, list[CommentRow]]]:
        """Posts newest first and every comment of each (drafts included), for exporters."""
        return queries.export_rows(self.db, post_id)

    # -- writing --------------------------------------------------------------------------

    @_writes
    def mark_visited(self, db: Connection, post_id: int) -> str | None:
        """Record a visit; returns the previous visit time (what "new" is measured against)."""
        return replies.mark_visited(db, post_id)

    @_guarded
    def get_draft(self, post_id: int, parent_id: int | None) -> CommentRow | None:
        """The unsent reply to parent (None: to the episode itself), if any."""
        return queries.get_draft(self.db, post_id, parent_id)

    @_writes
    def save_draft(self, db: Connection, post_id: int, parent_id: int | None, body: str) -> int:
        """Keep what is typed so far as a draft reply; returns the draft's id."""
        return replies.save_draft(db, post_id, parent_id, body)

    @_writes
    def discard_draft(self, db: Connection, post_id: int, parent_id: int | None) -> None:
        replies.discard_draft(db, post_id, parent_id)

    @_writes
    def send_reply(
        self, db: Connection, post_id: int, parent_id: int | None, body: str
    ) -> CommentRow:
        """Publish a reply by the owner (turning the draft into it, if one exists)."""
        comment_id = replies.send_reply(db, post_id, parent_id, body)
        row = queries.get_comment(db, comment_id)
        assert row is not None
        return row

    @_writes
    def save_edit_draft(self, db: Connection, comment_id: int, body: str | None) -> None:
        """Keep an unsaved edit of a local reply (None clears it)."""
        replies.save_edit_draft(db, comment_id, body)

    @_guarded
    def get_edit_draft(self, comment_id: int) -> str | None:
        return queries.get_edit_draft(self.db, comment_id)

    @_writes
    def edit_reply(self, db: Connection, comment_id: int, body: str) -> CommentRow:
        """Replace the text of one of the owner's local replies."""
        replies.edit_reply(db, comment_id, body)
        row = queries.get_comment(db, comment_id)
        assert row is not None
        return row

    @_writes
    def delete_reply(self, db: Connection, comment_id: int) -> None:
        """Delete one of the owner's local replies (it can be restored)."""
        replies.delete_reply(db, comment_id)

    @_writes
    def restore_reply(self, db: Connection, comment_id: int) -> None:
        """Undo delete_reply."""
        replies.restore_reply(db, comment_id)

    @_writes
    def mark_answered(self, db: Connection, comment_id: int, answered: bool | None) -> None:
        """Mark by hand: True answered, False waiting, None back to what the thread says."""
        replies.mark_answered(db, comment_id, answered)
