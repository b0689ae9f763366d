"""The Store: the one object that reads and writes a cmreader SQLite file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from sqlite3 import Connection
from typing import Any, TypeVar

from cmreader.errors import StoreError
from cmreader.records import ImportBatch
from cmreader.store import queries, replies
from cmreader.store.connection import open_database
from cmreader.store.importing import write_batch
from cmreader.store.models import (
    CommentRow,
    ImportResult,
    InboxEntry,
    Post,
    PostSummary,
    SearchHit,
)

T = TypeVar("T")


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """Serialise calls from worker threads and turn SQLite failures into StoreError."""

    @wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path}: {exc}") from None

    return wrapper


class Store:
    """A cmreader store on one SQLite file; safe to call from worker threads."""

    def __init__(self, db: Connection, path: Path) -> None:
        self.db = db
        self.path = path
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True) -> Store:
        """Open the store at path, creating and migrating it as needed."""
        path = Path(path)
        return cls(open_database(path, create=create), path)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        # BEGIN IMMEDIATE takes the write lock up front, so two processes wait for each other
        # (busy timeout) instead of failing half-way with "database is locked".
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- settings -------------------------------------------------------------------------

    @_guarded
    def get_setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM cmreader_meta WHERE name = ?", [name]).fetchone()
        return None if row is None else row[0]

    def owner_name(self) -> str | None:
        """The blog owner's name: from the config (set by the app) or the first import."""
        return self.get_setting("owner")

    @_guarded
    def set_owner(self, name: str) -> None:
        """Name the owner; their comments count as answers from now on."""
        with self._transaction() as db:
            replies.set_owner(db, name)

    # -- importing ------------------------------------------------------------------------

    @_guarded
    def import_batch(self, batch: ImportBatch) -> ImportResult:
        """Write one file's records in one transaction; nothing is written if anything fails."""
        with self._transaction() as db:
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

    @_guarded
    def mark_visited(self, post_id: int) -> str | None:
        """Record a visit; returns the previous visit time (what "new" is measured against)."""
        with self._transaction() as db:
            return replies.mark_visited(db, post_id)

    @_guarded
    def get_draft(self, post_id: int, parent_id: int | None) -> CommentRow | None:
        """The unsent reply to parent (None: to the episode itself), if any."""
        return queries.get_draft(self.db, post_id, parent_id)

    @_guarded
    def save_draft(self, post_id: int, parent_id: int | None, body: str) -> int:
        """Keep what is typed so far as a draft reply; returns the draft's id."""
        with self._transaction() as db:
            return replies.save_draft(db, post_id, parent_id, body)

    @_guarded
    def discard_draft(self, post_id: int, parent_id: int | None) -> None:
        with self._transaction() as db:
            replies.discard_draft(db, post_id, parent_id)

    @_guarded
    def send_reply(self, post_id: int, parent_id: int | None, body: str) -> CommentRow:
        """Publish a reply by the owner (turning the draft into it, if one exists)."""
        with self._transaction() as db:
            comment_id = replies.send_reply(db, post_id, parent_id, body)
        row = queries.get_comment(self.db, comment_id)
        assert row is not None
        return row

    @_guarded
    def save_edit_draft(self, comment_id: int, body: str | None) -> None:
        """Keep an unsaved edit of a local reply (None clears it)."""
        with self._transaction() as db:
            replies.save_edit_draft(db, comment_id, body)

    @_guarded
    def get_edit_draft(self, comment_id: int) -> str | None:
        return queries.get_edit_draft(self.db, comment_id)

    @_guarded
    def edit_reply(self, comment_id: int, body: str) -> CommentRow:
        """Replace the text of one of the owner's local replies."""
        with self._transaction() as db:
            replies.edit_reply(db, comment_id, body)
        row = queries.get_comment(self.db, comment_id)
        assert row is not None
        return row

    @_guarded
    def delete_reply(self, comment_id: int) -> None:
        """Delete one of the owner's local replies (it can be restored)."""
        with self._transaction() as db:
            replies.delete_reply(db, comment_id)

    @_guarded
    def restore_reply(self, comment_id: int) -> None:
        """Undo delete_reply."""
        with self._transaction() as db:
            replies.restore_reply(db, comment_id)

    @_guarded
    def mark_answered(self, comment_id: int, answered: bool | None) -> None:
        """Mark by hand: True answered, False waiting, None back to what the thread says."""
        with self._transaction() as db:
            replies.mark_answered(db, comment_id, answered)
