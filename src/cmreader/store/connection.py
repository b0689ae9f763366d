"""Opening a store file safely: refuse foreign or corrupt files, set WAL and a busy timeout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cmreader.errors import StoreError
from cmreader.store.versions import MIGRATION_NAMES, MIGRATION_SET

# A file is ours when it has this table; anything else with tables in it is refused.
MARKER_TABLE = "cmreader_meta"

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000


def open_database(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """Open (or create) a cmreader store at path, migrated to the current schema."""
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _check_header(path)
    elif not create:
        raise StoreError(f"{path}: no cmreader store here")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        db = conn
        if existed:
            _check_ours(path, db)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if _pending(db):
            from sqlite_utils import Database

            from cmreader.store.schema import migrations

            migrations.apply(Database(db))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable cmreader store ({exc})") from None
    return db


def _check_header(path: Path) -> None:
    """Refuse anything that is not an SQLite file before SQLite gets a chance to write to it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store ({exc.strerror})") from None
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path}: not an SQLite file, refusing to touch it")


def _pending(db: sqlite3.Connection) -> bool:
    """True when some migration has not been applied yet (always, for a new file)."""
    try:
        rows = db.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
        ).fetchall()
    except sqlite3.OperationalError:
        return True
    return not set(MIGRATION_NAMES) <= {row[0] for row in rows}


def _check_ours(path: Path, db: sqlite3.Connection) -> None:
    """An SQLite file with tables but no cmreader marker belongs to someone else."""
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names and MARKER_TABLE not in names:
        raise StoreError(
            f"{path}: an SQLite file that is not a cmreader store, refusing to touch it"
        )
