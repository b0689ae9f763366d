"""Every store call of the reader, each in a worker thread ending in a past-tense message.

A call that fails raises: the App's one Worker.StateChanged handler says what went wrong."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from textual.message import Message

from cmreader.errors import CmreaderError
from cmreader.store.models import CommentRow
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import (
    AnswerMarked,
    ComposeTarget,
    DraftLoaded,
    DraftSaved,
    EpisodeLoaded,
    Moderated,
    ModerationUndone,
    ReplyDeleted,
    ReplyRestored,
    ReplySent,
    Select,
    ThreadReloaded,
    TypedRecovered,
    WriteFailed,
)

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.screen import Screen

    from cmreader.journal import Journaled, TypedJournal
    from cmreader.store import Store


# Comments read before the first paint of a thread: more than any terminal shows.
FIRST_ROWS = 120


class ReaderCalls:
    """The reader screen's store calls: reads replace each other, writes run in call order.

    Each runs in a worker the App owns (so a failure reaches its one handler) and ends in a
    message posted to the screen.
    """

    def __init__(self, screen: Screen[None], store: Store, journal: TypedJournal | None) -> None:
        self.screen = screen
        self.store = store
        self.journal = journal
        # Writes must land in the order they were asked for: a draft saved after the reply
        # was sent would come back as a ghost draft. Tickets are handed out on the UI thread.
        self._write_turn = threading.Condition()
        self._next_ticket = 0
        self._done_ticket = 0
        # Composer writes asked for and not answered yet (counted on the UI thread only).
        self.writes_in_flight = 0
        self.journal_problem: str | None = None

    @property
    def app(self) -> App[None]:
        return self.screen.app

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def store_path(self) -> str:
        return str(self.store.path)

    def post_message(self, message: Message, to: MessagePump | None = None) -> bool:
        """Post to the screen, or to the pane that asked (the message bubbles on from it)."""
        return (to or self.screen).post_message(message)

    def answered(self) -> None:
        """A composer write asked for has its answer (called on the UI thread)."""
        self.writes_in_flight -= 1

    @property
    def writes_asked(self) -> int:
        """How many writes were asked for so far: a caller compares two readings of it."""
        return self._next_ticket

    def _ticket(self) -> int:
        self._next_ticket += 1
        return self._next_ticket

    @contextmanager
    def _in_turn(self, ticket: int) -> Iterator[None]:
        with self._write_turn:
            # No time limit: the write before this one always ends (its finally below), and
            # a write overtaking a slow one (waiting on another process's lock) could bring a
            # sent reply back as a draft.
            self._write_turn.wait_for(lambda: self._done_ticket >= ticket - 1)
        try:
            yield
        finally:
            with self._write_turn:
                self._done_ticket = max(self._done_ticket, ticket)
                self._write_turn.notify_all()

    # -- reads -----------------------------------------------------------------------------

    @app_work(group="episode", exclusive=True)
    def load_episode(
        self, post_id: int, select: Select, focus: str | None, *, hidden: bool
    ) -> None:
        post = self.store.get_post(post_id)
        if select is None:
            # A plain open shows the top of the thread: read a screenful first, so a
            # 10,000-comment thread is on screen about as soon as a 5-comment one.
            rows = self.store.comment_rows(post_id, show_hidden=hidden, limit=FIRST_ROWS)
            if len(rows) == FIRST_ROWS:
                self.post_message(EpisodeLoaded(post, rows, None, focus, complete=False))
                rows = self.store.comment_rows(post_id, show_hidden=hidden)
                self.post_message(ThreadReloaded(post_id, rows, None))
                self._mark_visited(post_id)
                return
        else:
            rows = self.store.comment_rows(post_id, show_hidden=hidden)
        self.post_message(EpisodeLoaded(post, rows, select, focus))
        # After reading the rows, so their "new" markers compare with the previous visit;
        # and after showing them, so a write lock held elsewhere never delays the episode.
        self._mark_visited(post_id)

    def _mark_visited(self, post_id: int) -> None:
        """Remember the visit; a store that cannot be written still shows the episode."""
        if self.store.read_only:
            return
        try:
            self.store.mark_visited(post_id)
        except CmreaderError:
            pass  # the next write the user asks for says what is wrong, where they look

    @app_work(group="recover", exclusive=True)
    def recover_typed(self, to: MessagePump | None = None) -> None:
        """Put back what a cmreader that died had typed and the store never confirmed."""
        from cmreader.journal import journal_folder
        from cmreader.recovery import recover

        done = recover(self.store, journal_folder(self.store.path))
        if done.count or done.kept:
            self.post_message(TypedRecovered(
                done.drafts, done.sent, [str(p) for p in done.kept], done.problem
            ), to)

    @app_work(group="thread", exclusive=True)
    def reload_thread(self, post_id: int, select: int | None = None, *, hidden: bool) -> None:
        rows = self.store.comment_rows(post_id, show_hidden=hidden)
        self.post_message(ThreadReloaded(post_id, rows, select))

    @app_work(group="draft-load", exclusive=True)
    def load_draft(
        self, target: ComposeTarget, body: str = "", *, to: MessagePump | None = None
    ) -> None:
        signed = False
        if target.edit_id is not None:
            text = self.store.get_edit_draft(target.edit_id) or body
        else:
            draft = self.store.get_draft(target.post_id, target.parent_id)
            text = draft.body if draft else ""
            if draft is None:
                # A new reply on a blog with a signature starts with it, below the cursor.
                signature = self.store.reply_context(target.post_id, None).signature
                if signature:
                    text, signed = f"\n\n{signature}", True
        self.post_message(DraftLoaded(target, text, signed), to)

    # -- writes ----------------------------------------------------------------------------

    def _journal(
        self, intent: str, target: ComposeTarget, text: str | None, done: Journaled | None
    ) -> int | None:
        """Append the request to the typed-text journal first: from here it survives a kill.

        done: the composer wrote it already, as the key was handled (the quickest moment)."""
        if done is None:
            if self.journal is None:
                return None
            from cmreader.journal import journal_request  # loaded after the first frame

            done = journal_request(self.journal, intent, target.journal_args, text)
        self.journal_problem = done.problem
        return done.seq

    def save_draft(
        self,
        target: ComposeTarget,
        text: str | None,
        journaled: Journaled | None = None,
        *,
        to: MessagePump | None = None,
    ) -> None:
        """Keep text as the draft; None discards it."""
        seq = self._journal("draft" if text is not None else "discard", target, text, journaled)
        self.writes_in_flight += 1
        self._save_draft(self._ticket(), target, text, seq, to)

    @app_work(group="writes")
    def _save_draft(
        self,
        ticket: int,
        target: ComposeTarget,
        text: str | None,
        seq: int | None,
        to: MessagePump | None,
    ) -> None:
        with self._in_turn(ticket), self._composer_write(target, text, seq, to):
            if target.edit_id is not None:
                self.store.save_edit_draft(target.edit_id, text)
            elif text is None:
                self.store.discard_draft(target.post_id, target.parent_id)
            else:
                self.store.save_draft(target.post_id, target.parent_id, text)
            self.post_message(DraftSaved(target, text), to)

    def send(
        self,
        target: ComposeTarget,
        text: str,
        journaled: Journaled | None = None,
        *,
        to: MessagePump | None = None,
    ) -> None:
        seq = self._journal("send", target, text, journaled)
        self.writes_in_flight += 1
        self._send(self._ticket(), target, text, seq, to)

    @app_work(group="writes")
    def _send(
        self, ticket: int, target: ComposeTarget, text: str, seq: int | None,
        to: MessagePump | None,
    ) -> None:
        with self._in_turn(ticket), self._composer_write(target, text, seq, to):
            if target.edit_id is not None:
                row = self.store.edit_reply(target.edit_id, text)
            else:
                row = self.store.send_reply(target.post_id, target.parent_id, text)
            self.post_message(ReplySent(target, row), to)

    @contextmanager
    def _composer_write(
        self, target: ComposeTarget, text: str | None, seq: int | None, to: MessagePump | None
    ) -> Iterator[None]:
        """Confirm a landed write to the journal; turn any failure into WriteFailed."""
        try:
            yield
        except Exception as exc:  # whatever it is, the user must see that the text is not kept
            problem = str(exc) or exc.__class__.__name__
            self.post_message(WriteFailed(target, text, problem), to)
        else:
            if seq is not None and self.journal is not None:
                self.journal.landed(seq)

    def delete(self, row: CommentRow, *, to: MessagePump | None = None) -> None:
        self._delete(self._ticket(), row, to)

    @app_work(group="writes")
    def _delete(self, ticket: int, row: CommentRow, to: MessagePump | None) -> None:
        with self._in_turn(ticket):
            self.store.delete_reply(row.id)
            self.post_message(ReplyDeleted(row), to)

    def restore(self, row: CommentRow, *, to: MessagePump | None = None) -> None:
        self._restore(self._ticket(), row, to)

    @app_work(group="writes")
    def _restore(self, ticket: int, row: CommentRow, to: MessagePump | None) -> None:
        with self._in_turn(ticket):
            self.store.restore_reply(row.id)
            self.post_message(ReplyRestored(row), to)

    def mark(self, row: CommentRow, answered: bool, *, to: MessagePump | None = None) -> None:
        self._mark(self._ticket(), row, answered, to)

    @app_work(group="writes")
    def _mark(
        self, ticket: int, row: CommentRow, answered: bool, to: MessagePump | None
    ) -> None:
        with self._in_turn(ticket):
            self.store.mark_answered(row.id, answered)
            self.post_message(AnswerMarked(row, answered), to)


    def moderate(
        self, comment_id: int, status: str, *, author: str | None = None,
        to: MessagePump | None = None,
    ) -> None:
        """Give a comment a status (approved, pending, spam, trash); Moderated when done."""
        self._moderate(self._ticket(), comment_id, status, author, to)

    @app_work(group="writes")
    def _moderate(
        self, ticket: int, comment_id: int, status: str, author: str | None,
        to: MessagePump | None,
    ) -> None:
        with self._in_turn(ticket):
            done = self.store.moderate(comment_id, status)
            self.post_message(Moderated(done, author), to)

    def undo_moderation(self, moderation_id: int, *, to: MessagePump | None = None) -> None:
        self._undo_moderation(self._ticket(), moderation_id, to)

    @app_work(group="writes")
    def _undo_moderation(self, ticket: int, moderation_id: int, to: MessagePump | None) -> None:
        with self._in_turn(ticket):
            self.post_message(ModerationUndone(self.store.undo_moderation(moderation_id)), to)
