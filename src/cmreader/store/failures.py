"""Turning SQLite's failures into StoreError subclasses that say what happened in one line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from cmreader.errors import StoreCorrupt, StoreError, StoreFull, StoreLocked, StoreReadOnly
from cmreader.sanitize import visible

# Primary result codes (https://www.sqlite.org/rescode.html); extended codes keep them in the
# low byte.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

# Below this much free space, a failed write is taken as the disk being full: SQLite reports a
# write that fails outright (rather than short) as a plain I/O error.
_NEARLY_FULL = 1024 * 1024


def primary_code(exc: sqlite3.Error) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def is_busy(exc: sqlite3.Error) -> bool:
    return primary_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def is_damage(exc: sqlite3.Error) -> bool:
    return primary_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def store_failure(exc: sqlite3.Error, path: Path, *, waited: float = 0.0) -> StoreError:
    """The StoreError to raise for exc, which happened on the store at path."""
    code = primary_code(exc)
    if code == SQLITE_FULL:
        return StoreFull(path)
    if code == SQLITE_IOERR:
        why = _why_write_failed(path)
        if why:
            return StoreFull(path, why)
    if code == SQLITE_READONLY:
        return StoreReadOnly(path)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreCorrupt(path, str(exc))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreLocked(path, waited)
    return StoreError(f"{visible(str(path))}: {visible(str(exc))}")


def _why_write_failed(path: Path) -> str | None:
    """Name the cause of an I/O error when it is a lack of room; None when it is not."""
    try:
        if shutil.disk_usage(path.parent).free < _NEARLY_FULL:
            return "disk full"
    except OSError:
        pass
    try:
        import resource  # Unix only
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft != resource.RLIM_INFINITY:
        return f"the file size limit (ulimit -f, {soft} bytes) was reached"
    return None
