"""The conversation pane: the open episode's comment tree, the reply being written, the find bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical

from cmreader.sanitize import clean_excerpt, clean_line, clean_text
from cmreader.store.models import CommentRow, Post
from cmreader.tui import moderation_words, safe_text
from cmreader.tui.messages import (
    AnswerMarked,
    ComposeTarget,
    DraftLoaded,
    DraftSaved,
    Moderated,
    ReplySent,
    TypedRecovered,
    WriteFailed,
)
from cmreader.tui.widgets.comment_tree import CommentTree
from cmreader.tui.widgets.episode_list import EpisodeList
from cmreader.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from cmreader.journal import TypedJournal
    from cmreader.tui.widgets.composer import Composer
    from cmreader.tui.workers import ReaderCalls


def reply_target(post: Post, row: CommentRow | None) -> ComposeTarget:
    """A reply to row (None: a comment on the episode itself), headed with whom it answers."""
    if row is None:
        return ComposeTarget(post.id, None, heading=f"Comment on “{clean_line(post.title)}”",
                             post_key=post.key)
    author = clean_line(row.author or "") or "anonymous"
    return ComposeTarget(post.id, row.id, heading=f"Reply to {author}",
                         quote=clean_excerpt(row.body, 200), post_key=post.key,
                         parent_key=row.key)


class Conversation(Vertical):
    """Owns the composer's life: open it on the saved draft, save while typing, send, close.

    The store calls come down as `calls` (results of the composer's own calls are posted
    here, then bubble on to the screen); the screen tells it which episode is open (`post`).
    """

    def __init__(self, calls: ReaderCalls, journal: TypedJournal | None, *, id: str) -> None:
        super().__init__(id=id)
        self.calls = calls
        self.journal = journal
        self.post: Post | None = None
        self.composer: Composer | None = None
        # The replies (post, parent) the store holds a draft of, as far as this pane knows:
        # when one comes or goes, the episode list's draft mark is read again.
        self._drafts_held: set[tuple[int, int | None]] = set()
        # ctrl+o was pressed: the editor opens on this target once the store holds its text.
        self._editor_for: ComposeTarget | None = None

    def compose(self) -> ComposeResult:
        yield CommentTree(id="comments")

    comment_tree = getters.query_one(CommentTree)

    # -- asked by the screen ---------------------------------------------------------------

    def reply(self, to_comment: bool) -> None:
        """Reply to the comment under the tree's cursor, or (to_comment False) to the episode."""
        if self.post is None or self.refuse_read_only():
            return
        row = self.comment_tree.current if to_comment else None
        self._open(reply_target(self.post, row))

    def open_target(self, target: ComposeTarget) -> None:
        """Open the composer on a reply given whole (a draft resumed from the drafts list)."""
        if not self.refuse_read_only():
            self._open(target)

    def refuse_read_only(self) -> bool:
        """A read-only store is for reading: say so instead of taking text it cannot keep."""
        if not self.calls.read_only:
            return False
        safe_text.notify(
            self, f"{self.calls.store_path} is read-only: nothing can be written to it.",
            severity="warning",
        )
        return True

    def store_busy(self, line: str) -> bool:
        """Another process holds the write lock: the composer says so, if one is open."""
        if self.composer is None:
            return False
        self.composer.waiting(line)
        return True

    def flush(self) -> bool:
        """Save the open composer's unsaved text now; True when a save was started."""
        composer = self.composer
        if composer is None or not composer.text.strip() or composer.text == composer.last_saved:
            return False
        composer.last_saved = composer.text
        self.calls.save_draft(composer.target, composer.text, to=self)
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

    def find(self) -> None:
        """Find in the open thread (`f`): a bar under the comments; the tree does the finding."""
        bars = self.query(FindBar)
        if bars:
            bars.first().focus()
            return
        bar = FindBar(self.comment_tree)
        self.mount(bar)
        bar.focus()

    # -- acts on the thread's comments ----------------------------------------------------

    @on(CommentTree.MarkRequested)
    def _mark(self, message: CommentTree.MarkRequested) -> None:
        message.stop()
        row = message.row
        if row.by_owner:
            why = "Your own comments never wait for an answer."
        elif row.type != "comment":
            why = f"A {row.type} never waits for an answer."
        elif row.status != "approved":
            why = f"A {row.status} comment does not wait for an answer."
        else:
            self.calls.mark(row, answered=row.needs_answer, to=self)
            return
        safe_text.notify(self, why, severity="warning")

    @on(CommentTree.ModerateRequested)
    def _moderate(self, message: CommentTree.ModerateRequested) -> None:
        message.stop()
        row = message.row
        if row.origin == "local" or row.status == "draft":
            safe_text.notify(self, "Your own replies are not moderated: d deletes one.",
                             severity="warning")
            return
        if self.refuse_read_only():
            return
        if row.status == message.status:
            safe_text.notify(self, *moderation_words.already(row.status))
            return
        self.calls.moderate(row.id, message.status, author=row.author, to=self)

    @on(Moderated)
    def _moderated(self, message: Moderated) -> None:
        # Not stopped: the screen keeps it for u and reloads the thread.
        if message.moderation.id:  # 0: it had that status already, nothing changed
            safe_text.notify(self, *moderation_words.moderated(message.moderation,
                                                               message.author))

    @on(AnswerMarked)
    def _marked(self, message: AnswerMarked) -> None:
        # Not stopped: the screen reloads the thread.
        safe_text.notify(
            self, "Marked answered." if message.answered else "Marked as waiting for you."
        )


    def _own_reply(self, row: CommentRow) -> bool:
        """Only replies written here can be edited or deleted; say so for the others."""
        if row.origin != "local" or not row.by_owner:
            safe_text.notify(self, "Only your own replies written here can be changed.",
                             severity="warning")
            return False
        return not self.refuse_read_only()

    @on(CommentTree.EditRequested)
    def _edit(self, message: CommentTree.EditRequested) -> None:
        message.stop()
        row = message.row
        if self._own_reply(row):
            target = ComposeTarget(row.post_id, row.parent_id, edit_id=row.id,
                                   heading="Edit your reply",
                                   post_key=self.post.key if self.post else "")
            self._open(target, clean_text(row.body))

    @on(CommentTree.DeleteRequested)
    def _delete(self, message: CommentTree.DeleteRequested) -> None:
        message.stop()
        row = message.row
        if not self._own_reply(row):
            return
        from cmreader.tui.screens.confirm import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.calls.delete(row, to=self)

        question = f"Delete your reply “{clean_excerpt(row.body, 60)}”?"
        self.app.push_screen(ConfirmScreen(question), answer)

    # -- the composer's life ---------------------------------------------------------------

    def _open(self, target: ComposeTarget, body: str = "") -> None:
        if self.composer is not None:
            if self.composer.target == target:
                self.composer.focus_text()
                return
            self._finish(self.composer.target, self.composer.text)
        self.calls.load_draft(target, body, to=self)

    @on(DraftLoaded)
    def _draft_loaded(self, message: DraftLoaded) -> None:
        message.stop()
        if message.text and not message.target.is_edit and not message.signed:
            self._drafts_held.add((message.target.post_id, message.target.parent_id))
        self._show_composer(message.target, message.text, at_start=message.signed)

    def _show_composer(self, target: ComposeTarget, text: str, *, at_start: bool = False) -> None:
        from cmreader.tui.widgets.composer import Composer

        if self.composer is not None:
            self.composer.remove()
        self.composer = Composer(target, text, journal=self.journal, id="composer",
                                 at_start=at_start, answered=self._parent_body(target))
        self.mount(self.composer)
        # Keep the comment being answered in view above the composer.
        self.call_after_refresh(self.comment_tree.scroll_to_cursor)

    def on_composer_draft_changed(self, message: Composer.DraftChanged) -> None:
        message.stop()
        self.calls.save_draft(message.target, message.text, message.journaled, to=self)

    def on_composer_saved_replies_asked(self, message: Composer.SavedRepliesAsked) -> None:
        """ctrl+t: the saved-reply picker; the reply chosen goes in at the cursor, filled."""
        message.stop()
        from cmreader.tui.screens.saved_picker import SavedReplyPicker

        composer = self.composer

        def chosen(text: str | None) -> None:
            if text and composer is not None and composer is self.composer:
                composer.insert_text(text)

        self.app.push_screen(SavedReplyPicker(self.calls.store, message.target, message.text),
                             chosen)

    def on_composer_editor_asked(self, message: Composer.EditorAsked) -> None:
        """ctrl+o: save the draft, wait for the store to hold it, then run the editor."""
        message.stop()
        composer = self.composer
        if composer is None or composer.target != message.target or self.refuse_read_only():
            return
        self._editor_for = message.target
        saving = self.flush()
        if not saving and (composer.text == composer.stored or not composer.text.strip()):
            self._editor_for = None
            self.call_later(self._run_editor, message.target)
        # Else a write is on its way: _draft_saved opens the editor once it has landed.

    def _run_editor(self, target: ComposeTarget) -> None:
        composer = self.composer
        if composer is None or composer.target != target:
            return
        from cmreader.tui.editor import edit_externally

        done = edit_externally(self.app, composer.text, self._parent_body(target))
        if done.text is None:
            safe_text.notify(self, "Not edited: ", done.problem or "", ". Your text is as it was.",
                             severity="warning", timeout=8)
            return
        if done.problem:
            safe_text.notify(self, done.problem, ".", severity="warning", timeout=8)
        text = done.text
        if text == composer.text:
            return
        # Kept before anything else can fail: the journal at once, on this thread (a kill from
        # here loses nothing: the next start puts it in the store), then the store.
        if text.strip():
            self.calls.save_draft(target, text, composer.journal_text(text), to=self)
        elif composer.stored.strip():
            self.calls.save_draft(target, None, to=self)  # emptied there, as if here
        composer.replace_all(text)

    def _parent_body(self, target: ComposeTarget) -> str | None:
        """The comment answered, whole, from the thread shown (None: the episode itself)."""
        if target.parent_id is None:
            return None
        index = self.comment_tree.index
        at = index.by_id.get(target.parent_id)
        return index.rows[at].body if at is not None else target.quote

    def on_composer_send_requested(self, message: Composer.SendRequested) -> None:
        message.stop()
        if not message.text.strip():
            safe_text.notify(self, "Nothing to send: write something first.", severity="warning")
            return
        self.calls.send(message.target, message.text, message.journaled, to=self)

    def on_composer_closed(self, message: Composer.Closed) -> None:
        message.stop()
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
                self.calls.save_draft(target, None, to=self)
        elif text != composer.last_saved:
            self.calls.save_draft(target, text, to=self)
        self._remove_composer()

    def _remove_composer(self) -> None:
        if self.composer is not None:
            self.composer.remove()
            self.composer = None
        self.comment_tree.focus()

    # -- what the store answered -----------------------------------------------------------

    @on(DraftSaved)
    def _draft_saved(self, message: DraftSaved) -> None:
        message.stop()
        self.calls.answered()
        if self.composer is not None and self.composer.target == message.target:
            self.composer.saved(message.text)
            if self._editor_for == message.target and self.composer.text == message.text:
                self._editor_for = None
                self.call_later(self._run_editor, message.target)
        if not message.target.is_edit:
            self._mark_draft(message.target, message.text is not None)

    def _mark_draft(self, target: ComposeTarget, held: bool) -> None:
        """A draft came into the store or left it: the episode list's mark follows."""
        reply = (target.post_id, target.parent_id)
        if (reply in self._drafts_held) == held:
            return
        if held:
            self._drafts_held.add(reply)
        else:
            self._drafts_held.discard(reply)
        for episodes in self.screen.query(EpisodeList):
            episodes.reload()

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        """Say it where the user looks, and keep the text on screen (reopened if closed)."""
        message.stop()
        self.calls.answered()
        if self._editor_for == message.target:
            self._editor_for = None  # the editor waits for a draft the store holds
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
            self._show_composer(message.target, message.text)
        if self.composer is not None:
            self.composer.failed(message.problem)

    @on(ReplySent)
    def _reply_sent(self, message: ReplySent) -> None:
        # Not stopped: the screen goes on to reload the thread with the reply selected.
        self.calls.answered()
        if self.composer is not None and self.composer.target == message.target:
            self._remove_composer()
        # On a connected blog the reply is in the store and queued, not on the site yet: it
        # is never shown as posted before it is (the line under it says when it is).
        if message.row.sync_state is not None:
            said = "Edit saved; publishing it on the site…" if message.target.is_edit else (
                "Reply saved; publishing it on the site…")
        else:
            said = "Reply saved." if message.target.is_edit else "Reply sent."
        safe_text.notify(self, said)

    @on(TypedRecovered)
    def _recovered(self, message: TypedRecovered) -> None:
        # Not stopped: the screen reloads the thread and the list.
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
