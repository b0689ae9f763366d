"""Replying, editing, deleting and marking comments: the reader screen's writing half."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmreader.sanitize import clean_excerpt, clean_line, clean_text
from cmreader.store.models import CommentRow
from cmreader.tui import safe_text
from cmreader.tui.messages import (
    AnswerMarked,
    ComposeTarget,
    DraftLoaded,
    DraftSaved,
    ReplyDeleted,
    ReplyRestored,
    ReplySent,
    TypedRecovered,
    WriteFailed,
)
from cmreader.tui.widgets.comment_tree import CommentTree

if TYPE_CHECKING:
    from textual.screen import Screen

    from cmreader.journal import TypedJournal
    from cmreader.store import Store
    from cmreader.store.models import Post
    from cmreader.tui.widgets.composer import Composer
    from cmreader.tui.workers import ReaderCalls

    _Base = Screen[None]
else:
    _Base = object


def _excerpt(text: str, size: int = 200) -> str:
    return clean_excerpt(text, size)


class Replying(_Base):
    """The composer's life: open with the saved draft, save while typing, send, close."""

    current_post: Post | None
    calls: ReaderCalls
    store: Store
    journal: TypedJournal | None
    show_hidden: bool

    if TYPE_CHECKING:  # provided by MainScreen

        @property
        def comment_tree(self) -> CommentTree: ...

    def _init_replying(self) -> None:
        self.composer: Composer | None = None
        self.last_deleted: CommentRow | None = None

    def action_reply(self) -> None:
        """Reply to the comment under the cursor; from the other panes, to the episode."""
        post = self.current_post
        if post is None:
            return
        if self._refuse_read_only():
            return
        row = self.comment_tree.current if self.focused is self.comment_tree else None
        if row is not None:
            author = clean_line(row.author or "") or "anonymous"
            target = ComposeTarget(post.id, row.id, heading=f"Reply to {author}",
                                   quote=_excerpt(row.body), post_key=post.key,
                                   parent_key=row.key)
        else:
            title = clean_line(post.title)
            target = ComposeTarget(post.id, None, heading=f"Comment on “{title}”",
                                   post_key=post.key)
        self._open_composer(target)

    def _refuse_read_only(self) -> bool:
        """A read-only store is for reading: say so instead of taking text it cannot keep."""
        if not self.store.read_only:
            return False
        safe_text.notify(
            self, f"{self.store.path} is read-only: nothing can be written to it.",
            severity="warning",
        )
        return True

    def _open_composer(self, target: ComposeTarget, body: str = "") -> None:
        if self.composer is not None:
            if self.composer.target == target:
                self.composer.query_one("TextArea").focus()
                return
            self._finish(self.composer.target, self.composer.text)
        self.calls.load_draft(target, body)

    def on_draft_loaded(self, message: DraftLoaded) -> None:
        from cmreader.tui.widgets.composer import Composer

        if self.composer is not None:
            self.composer.remove()
        self.composer = Composer(message.target, message.text, journal=self.journal,
                                 id="composer")
        self.query_one("#conversation").mount(self.composer)
        # Keep the comment being answered in view above the composer.
        self.call_after_refresh(self.comment_tree.scroll_to_cursor)

    def on_comment_tree_mark_requested(self, message: CommentTree.MarkRequested) -> None:
        row = message.row
        if row.by_owner:
            why = "Your own comments never wait for an answer."
        elif row.type != "comment":
            why = f"A {row.type} never waits for an answer."
        elif row.status != "approved":
            why = f"A {row.status} comment does not wait for an answer."
        else:
            self.calls.mark(row, answered=row.needs_answer)
            return
        safe_text.notify(self, why, severity="warning")

    def _own_reply(self, row: CommentRow) -> bool:
        """Only replies written here can be edited or deleted; say so for the others."""
        if row.origin != "local" or not row.by_owner:
            safe_text.notify(self, "Only your own replies written here can be changed.",
                             severity="warning")
            return False
        return not self._refuse_read_only()

    def on_comment_tree_edit_requested(self, message: CommentTree.EditRequested) -> None:
        row = message.row
        if self._own_reply(row):
            target = ComposeTarget(row.post_id, row.parent_id, edit_id=row.id,
                                   heading="Edit your reply",
                                   post_key=self.current_post.key if self.current_post else "")
            self._open_composer(target, clean_text(row.body))

    def on_comment_tree_delete_requested(self, message: CommentTree.DeleteRequested) -> None:
        row = message.row
        if not self._own_reply(row):
            return
        from cmreader.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.calls.delete(row)

        question = f"Delete your reply “{_excerpt(row.body, 60)}”?"
        self.app.push_screen(ConfirmScreen(question), answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Undo greys out in the footer while there is nothing to undo (None: shown, disabled).
        if action == "undo":
            return True if self.last_deleted is not None else None
        return True

    def action_undo(self) -> None:
        if self.last_deleted is None:
            return
        self.calls.restore(self.last_deleted)
        self.last_deleted = None
        self.refresh_bindings()

    def flush_composer(self) -> bool:
        """Save the open composer's unsaved text now; True when a save was started."""
        composer = self.composer
        if composer is None or not composer.text.strip() or composer.text == composer.last_saved:
            return False
        composer.last_saved = composer.text
        self.calls.save_draft(composer.target, composer.text)
        return True

    def unsaved_question(self) -> str | None:
        """What to ask before quitting, when the composer holds text the store does not."""
        composer = self.composer
        if composer is None or not composer.unsaved:
            return None
        problem = composer.problem or "the store has not confirmed it"
        if self.journal is not None and self.calls.journal_problem is None:
            where = f"A copy is in {self.journal.path} and comes back at the next start."
        else:
            where = "It is kept nowhere else."
        return f"Your text is not saved in the store ({problem}). {where} Quit anyway?"

    # -- composer messages -----------------------------------------------------------------

    def on_composer_draft_changed(self, message: Composer.DraftChanged) -> None:
        self.calls.save_draft(message.target, message.text, message.journaled)

    def on_draft_saved(self, message: DraftSaved) -> None:
        self.calls.writes_in_flight -= 1
        if self.composer is not None and self.composer.target == message.target:
            self.composer.saved(message.text)

    def on_write_failed(self, message: WriteFailed) -> None:
        """Say it where the user looks, and keep the text on screen (reopened if closed)."""
        self.calls.writes_in_flight -= 1
        kept = (
            "A copy is kept in the recovery journal."
            if self.calls.journal_problem is None and self.journal is not None
            else "It is not kept anywhere else: keep the composer open."
        )
        safe_text.notify(
            self, "Not saved: ", message.problem, ". Your text stays in the composer. ", kept,
            severity="error", timeout=15,
        )
        if self.composer is None or self.composer.target != message.target:
            if message.text is None or not message.text.strip():
                return
            self.on_draft_loaded(DraftLoaded(message.target, message.text))
        if self.composer is not None:
            self.composer.failed(message.problem)

    def on_typed_recovered(self, message: TypedRecovered) -> None:
        done = []
        if message.sent:
            done.append(f"{message.sent} sent reply" + ("s" if message.sent > 1 else ""))
        if message.drafts:
            done.append(f"{message.drafts} draft" + ("s" if message.drafts > 1 else ""))
        if done:
            safe_text.notify(
                self, "Recovered what was typed before cmreader stopped: ", " and ".join(done),
                ".", timeout=10,
            )
        if message.kept:
            safe_text.notify(
                self, "Typed text that could not go back into this store is kept in ",
                ", ".join(message.kept), (f" ({message.problem})" if message.problem else ""),
                severity="warning", timeout=15,
            )
        if self.current_post is not None:
            self.calls.reload_thread(self.current_post.id, hidden=self.show_hidden)
        self.calls.load_posts()

    def on_composer_send_requested(self, message: Composer.SendRequested) -> None:
        if not message.text.strip():
            safe_text.notify(self, "Nothing to send: write something first.", severity="warning")
            return
        self.calls.send(message.target, message.text, message.journaled)

    def on_composer_closed(self, message: Composer.Closed) -> None:
        if self.composer is not None and self.composer.target == message.target:
            self._finish(message.target, message.text)
            safe_text.notify(
                self, "Draft kept." if message.text.strip() else "Composer closed.", timeout=2
            )

    def _finish(self, target: ComposeTarget, text: str) -> None:
        """Close the composer, keeping its text as the draft (or dropping it if emptied)."""
        composer = self.composer
        if composer is None:
            return
        if not text.strip():
            if composer.last_saved.strip() or composer.initial.strip():
                # Emptied by the user, then closed: that is how a draft is thrown away.
                self.calls.save_draft(target, None)
        elif text != composer.last_saved:
            self.calls.save_draft(target, text)
        self._remove_composer()

    def _remove_composer(self) -> None:
        if self.composer is not None:
            self.composer.remove()
            self.composer = None
        self.comment_tree.focus()

    # -- results of the writes -------------------------------------------------------------

    def on_reply_sent(self, message: ReplySent) -> None:
        self.calls.writes_in_flight -= 1
        if self.composer is not None and self.composer.target == message.target:
            self._remove_composer()
        safe_text.notify(self, "Reply saved." if message.target.is_edit else "Reply sent.")
        self.calls.reload_thread(message.row.post_id, message.row.id, hidden=self.show_hidden)
        self.calls.load_posts()

    def on_reply_deleted(self, message: ReplyDeleted) -> None:
        self.last_deleted = message.row
        self.refresh_bindings()
        safe_text.notify(self, "Reply deleted. Press u to undo.")
        self.calls.reload_thread(message.row.post_id, hidden=self.show_hidden)
        self.calls.load_posts()

    def on_reply_restored(self, message: ReplyRestored) -> None:
        safe_text.notify(self, "Reply restored.")
        self.calls.reload_thread(message.row.post_id, message.row.id, hidden=self.show_hidden)
        self.calls.load_posts()

    def on_answer_marked(self, message: AnswerMarked) -> None:
        safe_text.notify(
            self, "Marked answered." if message.answered else "Marked as waiting for you."
        )
        self.calls.reload_thread(message.row.post_id, message.row.id, hidden=self.show_hidden)
        self.calls.load_posts()
