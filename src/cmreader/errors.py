"""Errors a user can cause, each carrying one line to show them."""

from __future__ import annotations

from pathlib import Path

from cmreader.sanitize import visible


class CmreaderError(Exception):
    """A problem with the user's input or files: shown as one line, never as a traceback."""


class ImportFailed(CmreaderError):
    """A file could not be imported; the store was left untouched."""

    def __init__(self, path: str, problem: str) -> None:
        # The path comes from the user's shell and may hold escape sequences: spell them out.
        super().__init__(f"{visible(str(path))}: {problem}")
        self.path = path
        self.problem = problem


class StoreError(CmreaderError):
    """The store file is missing, foreign, corrupt or locked."""


class StoreFull(StoreError):
    """A write failed for lack of space (or the file size limit); it was rolled back whole."""

    def __init__(self, path: Path | str, why: str = "disk full") -> None:
        super().__init__(f"{visible(str(path))}: {why}: nothing was written")
        self.path = path


class StoreReadOnly(StoreError):
    """The store can be read but not written (file, folder or mount read-only)."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(f"{visible(str(path))} is read-only: nothing was written")
        self.path = path


class StoreLocked(StoreError):
    """Another process held the write lock longer than this one was willing to wait."""

    def __init__(self, path: Path | str, seconds: float) -> None:
        super().__init__(
            f"{visible(str(path))} is locked by another cmreader for {seconds:.0f} s: "
            "nothing was written"
        )
        self.path = path
        self.seconds = seconds


class StoreReplaced(StoreError):
    """The file at the store's path is no longer the one that was opened."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(
            f"the store file {visible(str(path))} was deleted or replaced while cmreader ran; "
            "nothing was written"
        )
        self.path = path


class StoreNewer(StoreError):
    """The store holds migrations this cmreader does not know: a newer cmreader wrote it."""

    def __init__(self, path: Path | str, migration: str, version: str) -> None:
        super().__init__(
            f"{visible(str(path))} was written by a newer cmreader (migration "
            f"{visible(migration)} unknown to cmreader {version}); refusing to touch it"
        )
        self.path = path
        self.migration = migration


class StoreCorrupt(StoreError):
    """The store failed its check or SQLite found damage: it is never written again."""

    def __init__(self, path: Path | str, detail: str, *, readable: bool = True) -> None:
        # When SQLite can still read it, say how to save what is there.
        then = (
            "nothing was written; `cmreader export` may still save what is readable"
            if readable
            else "refusing to touch it"
        )
        super().__init__(f"{visible(str(path))} is damaged ({visible(detail)}): {then}")
        self.path = path
        self.detail = detail
        self.readable = readable
