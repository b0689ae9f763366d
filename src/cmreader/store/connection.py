"""Opening a store file safely: refuse foreign, newer or corrupt files; WAL and a busy timeout."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from cmreader import __version__
from cmreader.errors import StoreCorrupt, StoreError, StoreNewer
from cmreader.sanitize import visible
from cmreader.store.failures import SQLITE_CANTOPEN, is_damage, primary_code, store_failure
from cmreader.store.versions import MIGRATION_NAMES, MIGRATION_SET

# A file is ours when it has this table; anything else with tables in it is refused.
MARKER_TABLE = "cmreader_meta"

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
# Seconds; lets a test (or a very busy machine) change how long SQLite waits for a lock.
BUSY_TIMEOUT_ENV = "CMREADER_BUSY_TIMEOUT"


@dataclass
class Opened:
    """An open store connection and what the Store must remember about it."""

    db: sqlite3.Connection
    read_only: bool
    identity: tuple[int, int]  # (st_dev, st_ino) of the file that was opened
    busy_timeout: float  # seconds


def busy_timeout_seconds() -> float:
    raw = os.environ.get(BUSY_TIMEOUT_ENV)
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            pass
    return BUSY_TIMEOUT_MS / 1000


def open_database(
    path: Path, *, create: bool = True, check: bool = False, busy_timeout: float | None = None
) -> Opened:
    """Open (or create) a cmreader store at path, migrated to the current schema.

    Nothing is written before every check has passed: a refused file stays byte for byte as it
    was. check=True also runs SQLite's quick_check (for commands that write in bulk).
    """
    timeout = busy_timeout_seconds() if busy_timeout is None else busy_timeout
    shown = visible(str(path))
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _check_header(path)
    elif not create:
        raise StoreError(f"{shown}: no cmreader store here")
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{shown}: cannot create the store ({exc.strerror})") from None
    read_only = existed and not _writable(path)
    try:
        db = _connect_read_only(path, timeout) if read_only else _connect(path, timeout)
    except sqlite3.Error as exc:
        raise _open_failure(exc, path, existed) from None
    try:
        pending = False
        if existed:
            _check_ours(path, db)
            pending = _pending(path, db)
        db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        if read_only:
            if pending:
                raise StoreError(
                    f"{shown} is read-only and was written by an older cmreader: make it "
                    f"writable once so cmreader {__version__} can upgrade it"
                )
            # A second lock on the door: this connection refuses every write itself.
            db.execute("PRAGMA query_only = 1")
        else:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            if not existed or pending:
                from sqlite_utils import Database

                from cmreader.store.schema import migrations

                migrations.apply(Database(db))
        if check:
            quick_check(path, db)
        st = os.stat(path)
    except BaseException as exc:
        db.close()
        if isinstance(exc, sqlite3.Error):
            raise _open_failure(exc, path, existed) from None
        if isinstance(exc, OSError):
            raise StoreError(f"{shown}: cannot use the store ({exc.strerror})") from None
        raise
    return Opened(db, read_only, (st.st_dev, st.st_ino), timeout)


def _open_failure(exc: sqlite3.Error, path: Path, existed: bool) -> StoreError:
    if is_damage(exc):
        return StoreCorrupt(path, str(exc), readable=False)
    if primary_code(exc) == SQLITE_CANTOPEN and not existed:
        return StoreError(f"{visible(str(path))}: cannot create the store ({exc})")
    failure = store_failure(exc, path)
    if type(failure) is StoreError:
        return StoreError(f"{visible(str(path))}: not a usable cmreader store ({exc})")
    return failure


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(
        str(path), timeout=timeout, check_same_thread=False, isolation_level=None
    )


def _writable(path: Path) -> bool:
    """Whether this process may write the file and create its -wal and -shm beside it.

    access() answers for the real mechanism (permission bits, a read-only mount, an immutable
    file), also for root, whom permission bits alone do not stop.
    """
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that can only read; it never creates, changes or checkpoints anything.

    SQLite reads a WAL store read-only (mode=ro) when its -shm can be opened or created. In a
    read-only folder with no -wal file (the store was closed cleanly) it cannot create the -shm;
    then immutable=1 is exact: no -wal means nothing waits to be checkpointed, and no one can
    write the store there because a WAL writer must create the -wal first.
    """
    uri = "file:" + quote(os.fsencode(path.absolute()))
    db = sqlite3.connect(
        uri + "?mode=ro", uri=True, timeout=timeout, check_same_thread=False, isolation_level=None
    )
    try:
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return db
    except sqlite3.OperationalError as exc:
        db.close()
        if primary_code(exc) != SQLITE_CANTOPEN or Path(f"{path}-wal").exists():
            raise
    return sqlite3.connect(
        uri + "?immutable=1",
        uri=True,
        timeout=timeout,
        check_same_thread=False,
        isolation_level=None,
    )


def _check_header(path: Path) -> None:
    """Refuse anything that is not an SQLite file before SQLite gets a chance to write to it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{visible(str(path))}: cannot read the store ({exc.strerror})") from None
    if head != SQLITE_MAGIC:
        raise StoreError(f"{visible(str(path))}: not an SQLite file, refusing to touch it")


def _pending(path: Path, db: sqlite3.Connection) -> bool:
    """True when some migration has not been applied yet; a store holding a migration this
    cmreader does not know was written by a newer one, and is refused untouched."""
    try:
        rows = db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        ).fetchall()
    except sqlite3.OperationalError:
        return True
    applied = [row[0] for row in rows]
    unknown = [name for name in applied if name not in MIGRATION_NAMES]
    if unknown:
        raise StoreNewer(path, str(unknown[0]), __version__)
    return not set(MIGRATION_NAMES) <= set(applied)


def _check_ours(path: Path, db: sqlite3.Connection) -> None:
    """An SQLite file with tables but no cmreader marker belongs to someone else."""
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names and MARKER_TABLE not in names:
        raise StoreError(
            f"{visible(str(path))}: an SQLite file that is not a cmreader store, "
            "refusing to touch it"
        )


def quick_check(path: Path, db: sqlite3.Connection) -> None:
    """SQLite's structural check (not the slower index-content one) before a bulk write."""
    rows = db.execute("PRAGMA quick_check(1)").fetchall()
    if rows != [("ok",)]:
        raise StoreCorrupt(path, str(rows[0][0]) if rows else "it failed its check")
