"""The Store: the one object that reads and writes a cmreader SQLite file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from sqlite3 import Connection
from typing import TYPE_CHECKING

from cmreader.errors import StoreCorrupt
from cmreader.store import (
    drafts_list,
    history,
    lists,
    moderation,
    owners,
    queries,
    replies,
    saved_replies,
    search,
)
from cmreader.store.connection import open_database, quick_check
from cmreader.store.gate import Gate, guarded, writes
from cmreader.store.models import (
    Blog,
    CommentRow,
    ImportResult,
    InboxEntry,
    Moderation,
    Post,
    PostSummary,
    SearchHit,
)
from cmreader.store.writelock import WRITE_WAIT

if TYPE_CHECKING:
    from cmreader.records import ImportBatch
    from cmreader.store.models import (
        Commenter,
        DraftEntry,
        HistoryEntry,
        ReplyContext,
        SavedReply,
    )
    from cmreader.store.site_store import SiteStore

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
        self.write_wait = write_wait
        # Called (from the writing thread) once per write that has to wait for another
        # process's write, with a line to show; the CLI prints it, the reader may show it.
        self.on_wait: Callable[[str], None] | None = None
        self._gate = Gate(
            db, path, read_only=read_only, identity=identity, busy_ms=int(busy_timeout * 1000)
        )

    @property
    def read_only(self) -> bool:
        return self._gate.read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self._gate.read_only = value

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
        with self._gate.lock:
            if not self.read_only and not self._gate.same_file():
                self._gate.empty_log()
            self.db.close()

    @functools.cached_property
    def sites(self) -> SiteStore:
        """The calls for connected sites: their rows, the outbox, and what a sync pulls."""
        from cmreader.store.site_store import SiteStore

        return SiteStore(self.db, self._gate, self._transaction)

    @guarded
    def check(self) -> None:
        """Run SQLite's quick_check (about 90 ms for 100,000 comments): StoreCorrupt, and no
        write from then on, when the store fails it. For callers about to write in bulk."""
        try:
            quick_check(self.path, self.db)
        except StoreCorrupt as exc:
            self._gate.stop(exc.detail)
            raise

    def _transaction(self) -> AbstractContextManager[Connection]:
        """One write transaction, all or nothing (what every @writes method runs in)."""
        return self._gate.transaction(write_wait=self.write_wait, on_wait=self.on_wait)

    # -- settings -------------------------------------------------------------------------

    @guarded
    def get_setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM cmreader_meta WHERE name = ?", [name]).fetchone()
        return None if row is None else row[0]

    def owner_name(self) -> str | None:
        """The store's owner: from the config (set by the app) or the first import; replies on
        a blog that names its own owner carry that blog's owner instead."""
        return self.get_setting("owner")

    @writes
    def set_owner(self, db: Connection, name: str) -> None:
        """Name the owner; their comments count as answers from now on."""
        owners.set_owner(db, name)

    @writes
    def set_blog_owner(self, db: Connection, blog_id: int, name: str) -> None:
        """Name one blog's owner (the config's [blogs] table): replies there carry that name."""
        owners.set_blog_owner(db, blog_id, name)

    @guarded
    def find_blog(self, key_or_url: str) -> Blog | None:
        """The blog with this key, or at this address (a trailing slash or http/https aside)."""
        return owners.find_blog(queries.list_blogs(self.db), key_or_url)

    # -- importing ------------------------------------------------------------------------

    @writes
    def import_batch(self, db: Connection, batch: ImportBatch) -> ImportResult:
        """Write one file's records in one transaction; nothing is written if anything fails."""
        # Imported here: the reader opens the store and never pays for the import machinery.
        from cmreader.store.importing import write_batch

        owner = owners.current_owner(db)
        if owner is None and batch.owner:
            owners.remember_owner(db, batch.owner)
            owner = batch.owner
        return write_batch(db, batch, owner)

    # -- reading --------------------------------------------------------------------------

    @guarded
    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM posts LIMIT 1").fetchone() is None

    @guarded
    def list_posts(
        self, limit: int | None = None, offset: int = 0, blog_id: int | None = None
    ) -> list[PostSummary]:
        """Episodes newest first, with their counts (one blog's, with blog_id)."""
        return lists.list_posts(self.db, limit, offset, blog_id)

    @guarded
    def post_count(self, blog_id: int | None = None) -> int:
        return lists.post_count(self.db, blog_id=blog_id)

    @guarded
    def post_position(self, post_id: int, blog_id: int | None = None) -> int | None:
        """The post's index in list_posts (with blog_id: in that blog's), or None when it is
        not in that list."""
        return lists.post_position(self.db, post_id, blog_id=blog_id)

    @guarded
    def next_waiting_post(
        self, after_post_id: int | None, forward: bool = True, blog_id: int | None = None
    ) -> int | None:
        """The next other episode in list_posts' order, round the end, that holds a comment
        waiting for an answer (the previous one if not forward); None when no other does."""
        return lists.next_waiting_post(self.db, after_post_id, forward=forward, blog_id=blog_id)

    @guarded
    def list_blogs(self) -> list[Blog]:
        """Every blog the imports named, with its owner identities and totals (episodes,
        waiting, pending)."""
        return queries.list_blogs(self.db)

    @guarded
    def get_post(self, post_id: int) -> Post:
        return queries.get_post(self.db, post_id)

    @guarded
    def find_post(self, id_or_key: str) -> Post | None:
        """A post by its number or its stable key."""
        return queries.find_post(self.db, id_or_key)

    @guarded
    def comment_rows(
        self, post_id: int, *, show_hidden: bool = False, limit: int | None = None
    ) -> list[CommentRow]:
        """A post's comments in thread order (the first `limit` of them); spam and trash only
        when show_hidden."""
        return queries.comment_rows(self.db, post_id, show_hidden=show_hidden, limit=limit)

    @guarded
    def get_comment(self, comment_id: int) -> CommentRow | None:
        return queries.get_comment(self.db, comment_id)

    @guarded
    def needs_answer(self, limit: int | None = None) -> list[InboxEntry]:
        """Every comment that waits for the owner's answer, across episodes, oldest first."""
        return self.inbox_page(limit=-1 if limit is None else limit)

    @guarded
    def inbox_page(
        self,
        *,
        offset: int = 0,
        limit: int = 50,
        blog_id: int | None = None,
        newest_first: bool = False,
        text: str | None = None,
    ) -> list[InboxEntry]:
        """A page of the comments waiting for an answer, oldest (or newest) first, undated
        last; text keeps those whose body or author holds its words (accents folded)."""
        return lists.inbox_page(
            self.db,
            offset=offset,
            limit=limit,
            blog_id=blog_id,
            newest_first=newest_first,
            text=text,
        )

    @guarded
    def inbox_count(self, *, blog_id: int | None = None, text: str | None = None) -> int:
        return lists.inbox_count(self.db, blog_id=blog_id, text=text)

    @guarded
    def queue_page(
        self, *, offset: int = 0, limit: int = 50, blog_id: int | None = None
    ) -> list[InboxEntry]:
        """A page of the comments held for moderation, across blogs, oldest first."""
        return lists.queue_page(self.db, offset=offset, limit=limit, blog_id=blog_id)

    @guarded
    def queue_count(self, *, blog_id: int | None = None) -> int:
        return lists.queue_count(self.db, blog_id=blog_id)

    @guarded
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Episodes and comments matching every word of text, accents folded, best first."""
        return self.search_page(text, limit=limit)

    @guarded
    def search_page(
        self, text: str, *, offset: int = 0, limit: int = 50, blog_id: int | None = None
    ) -> list[SearchHit]:
        """A page of search: a title's match first, an episode before a comment at a tie."""
        return search.search_page(self.db, text, offset=offset, limit=limit, blog_id=blog_id)

    @guarded
    def search_count(self, text: str, *, blog_id: int | None = None) -> int:
        return search.search_count(self.db, text, blog_id=blog_id)

    @guarded
    def export_rows(
        self, post_id: int | None = None
    ) -> tuple[list[Post], dict[int, list[CommentRow]]]:
        """Posts newest first and every comment of each (drafts included), for exporters."""
        return queries.export_rows(self.db, post_id)

    # -- writing --------------------------------------------------------------------------

    @writes
    def mark_visited(self, db: Connection, post_id: int) -> str | None:
        """Record a visit; returns the previous visit time (what "new" is measured against)."""
        return replies.mark_visited(db, post_id)

    @guarded
    def get_draft(self, post_id: int, parent_id: int | None) -> CommentRow | None:
        """The unsent reply to parent (None: to the episode itself), if any."""
        return queries.get_draft(self.db, post_id, parent_id)

    @writes
    def save_draft(self, db: Connection, post_id: int, parent_id: int | None, body: str) -> int:
        """Keep what is typed so far as a draft reply; returns the draft's id."""
        return replies.save_draft(db, post_id, parent_id, body)

    @writes
    def discard_draft(self, db: Connection, post_id: int, parent_id: int | None) -> None:
        replies.discard_draft(db, post_id, parent_id)

    @writes
    def send_reply(
        self, db: Connection, post_id: int, parent_id: int | None, body: str
    ) -> CommentRow:
        """Publish a reply by the owner (turning the draft into it, if one exists)."""
        comment_id = replies.send_reply(db, post_id, parent_id, body)
        row = queries.get_comment(db, comment_id)
        assert row is not None
        return row

    @writes
    def save_edit_draft(self, db: Connection, comment_id: int, body: str | None) -> None:
        """Keep an unsaved edit of a local reply (None clears it)."""
        replies.save_edit_draft(db, comment_id, body)

    @guarded
    def get_edit_draft(self, comment_id: int) -> str | None:
        return queries.get_edit_draft(self.db, comment_id)

    @writes
    def edit_reply(self, db: Connection, comment_id: int, body: str) -> CommentRow:
        """Replace the text of one of the owner's local replies."""
        replies.edit_reply(db, comment_id, body)
        row = queries.get_comment(db, comment_id)
        assert row is not None
        return row

    @writes
    def delete_reply(self, db: Connection, comment_id: int) -> None:
        """Delete one of the owner's local replies (it can be restored)."""
        replies.delete_reply(db, comment_id)

    @writes
    def restore_reply(self, db: Connection, comment_id: int) -> None:
        """Undo delete_reply."""
        replies.restore_reply(db, comment_id)

    @writes
    def moderate(self, db: Connection, comment_id: int, status: str) -> Moderation:
        """Approve, hold ("pending"), spam or trash a comment from the blog, logged for undo;
        the same status again changes and logs nothing (before == after, id None)."""
        return moderation.moderate(db, comment_id, status)

    @writes
    def undo_moderation(self, db: Connection, moderation_id: int) -> Moderation:
        """Put back the status a moderation replaced, unless the comment changed since."""
        return moderation.undo_moderation(db, moderation_id)

    @writes
    def mark_answered(self, db: Connection, comment_id: int, answered: bool | None) -> None:
        """Mark by hand: True answered, False waiting, None back to what the thread says."""
        replies.mark_answered(db, comment_id, answered)

    # Writing answers (saved replies, history, drafts)

    @guarded
    def saved_replies(self, *, offset: int = 0, limit: int = 500) -> list[SavedReply]:
        """Saved replies by name."""
        return saved_replies.saved_replies_page(self.db, offset, limit)

    @guarded
    def saved_reply_count(self) -> int:
        return saved_replies.saved_reply_count(self.db)

    @writes
    def save_saved_reply(
        self, db: Connection, reply_id: int | None, name: str, body: str
    ) -> SavedReply:
        """Create (reply_id None) or change a saved reply."""
        return saved_replies.save_saved_reply(db, reply_id, name, body)

    @writes
    def delete_saved_reply(self, db: Connection, reply_id: int) -> None:
        saved_replies.delete_saved_reply(db, reply_id)

    @writes
    def set_signature(self, db: Connection, blog_id: int, signature: str | None) -> None:
        """The line added to every new reply on the blog (None or blank: none)."""
        saved_replies.set_signature(db, blog_id, signature)

    @guarded
    def signatures(self) -> list[tuple[int, str]]:
        """(blog id, signature) of every blog that has one."""
        return saved_replies.signatures(self.db)

    @guarded
    def reply_context(self, post_id: int, parent_id: int | None) -> ReplyContext:
        """What a saved reply's placeholders are filled with, and the blog's signature."""
        return saved_replies.reply_context(self.db, post_id, parent_id)

    @guarded
    def drafts_page(
        self, *, offset: int = 0, limit: int = 50, blog_id: int | None = None
    ) -> list[DraftEntry]:
        """A page of the unsent drafts across blogs, newest first."""
        return drafts_list.drafts_page(self.db, offset=offset, limit=limit, blog_id=blog_id)

    @guarded
    def drafts_count(self, *, blog_id: int | None = None) -> int:
        return drafts_list.drafts_count(self.db, blog_id=blog_id)

    @guarded
    def author_key(self, comment_id: int) -> str:
        """Who wrote the comment, as the history matches them (StoreError: no one named)."""
        return history.author_key(self.db, comment_id)

    @guarded
    def commenter(self, key: str) -> Commenter:
        """A commenter's first comment and counts: written, answered, marked spam."""
        return history.commenter(self.db, key)

    @guarded
    def history_page(self, key: str, *, offset: int = 0, limit: int = 50) -> list[HistoryEntry]:
        """A page of a commenter's comments across episodes and blogs, newest first."""
        return history.history_page(self.db, key, offset=offset, limit=limit)

    @guarded
    def history_count(self, key: str) -> int:
        return history.history_count(self.db, key)
