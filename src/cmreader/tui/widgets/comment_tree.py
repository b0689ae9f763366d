"""The comment pane: what its keys do, and what it asks the screen to do (edit, delete, mark)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from cmreader.store.models import CommentRow
from cmreader.tui import keys
from cmreader.tui.pane_style import pane_css
from cmreader.tui.widgets import thread_nav
from cmreader.tui.widgets.thread_model import next_match
from cmreader.tui.widgets.thread_view import ThreadView


class CommentTree(ThreadView, can_focus=True):
    """Comments of one episode in thread order; the cursor selects a whole comment."""

    DEFAULT_CSS = pane_css("CommentTree") + """
    CommentTree > .comment-tree--cursor { background: $panel; }
    CommentTree:focus > .comment-tree--cursor { background: $accent 30%; }
    CommentTree > .comment-tree--guide { color: $text-muted; }
    CommentTree > .comment-tree--author { color: $secondary; text-style: bold; }
    CommentTree > .comment-tree--owner { color: $success; text-style: bold; }
    CommentTree > .comment-tree--date { color: $text-muted; }
    CommentTree > .comment-tree--waiting { color: $warning; text-style: bold; }
    CommentTree > .comment-tree--new { color: $success; }
    CommentTree > .comment-tree--badge { color: $error; text-style: bold; }
    CommentTree > .comment-tree--fold { color: $accent; }
    CommentTree > .comment-tree--body { color: $foreground; }
    """

    BINDINGS = keys.bindings("tree")
    HELP = ("Comments: j/k move, space folds, r replies, x marks answered, "
            "a/s/d approve, spam, trash; u undoes.")

    @dataclass
    class EditRequested(Message):
        """e on a comment: edit it (the screen checks it is yours)."""

        row: CommentRow

    @dataclass
    class DeleteRequested(Message):
        """d on a comment: delete it (the screen checks it is yours, then asks)."""

        row: CommentRow

    @dataclass
    class ModerateRequested(Message):
        """a, s, d or unapprove on a comment: give it that status (the screen checks it may)."""

        row: CommentRow
        status: str  # "approved", "spam", "trash" or "pending"

    @dataclass
    class MarkRequested(Message):
        """x on a comment: mark it answered, or waiting again."""

        row: CommentRow

    # -- finding and selecting -------------------------------------------------------------

    def find(self, text: str, step: int) -> tuple[int, int] | None:
        """Move to a comment holding every word of text (step 1 next, -1 previous, 0 the first
        from here), opening folds to show it: (its number, how many match), or None."""
        matches = self.index.matches(text)
        if not matches:
            return None
        target = next_match(matches, self.cursor, step)
        self.move_to(target)
        return matches.index(target) + 1, len(matches)

    # -- moving ----------------------------------------------------------------------------

    def _go(self, i: int | None) -> None:
        """Move to row i; a key with nowhere to go rings the bell."""
        if i is None:
            self.app.bell()
        else:
            self.move_to(i)

    def select_comment(self, comment_id: int) -> bool:
        i = self.index.by_id.get(comment_id)
        if i is None:
            return False
        self.move_to(i)
        return True

    def _step(self, delta: int) -> None:
        order = self._layout.order if self._layout else []
        target = thread_nav.stepped(order, self._pos, self.cursor, delta)
        if target is not None:
            self.move_to(target)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_top(self) -> None:
        self._step(-len(self.index))

    def action_cursor_bottom(self) -> None:
        self._step(len(self.index))

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        if self._layout is None or self.cursor not in self._pos:
            return
        top, _ = self._layout.span(self._pos[self.cursor])
        target = max(0, top + direction * max(1, self.scrollable_content_region.height - 2))
        located = self._layout.locate(target)
        if located is None:
            self.action_cursor_bottom()
        else:
            self.move_to(self._layout.order[located[0]])

    def action_toggle_fold(self) -> None:
        """Fold the thread under the cursor; on a comment without replies, fold its parent."""
        target = thread_nav.fold_target(self.index, self.cursor)
        if target is None:
            return
        self.cursor = target
        self.folded.symmetric_difference_update({self.index.rows[target].id})
        self._relayout()

    def action_fold_all(self) -> None:
        """Fold every top-level thread: the questions alone, one line of header each."""
        self.folded.update(thread_nav.top_threads(self.index))
        if len(self.index):
            self.cursor = thread_nav.thread_root(self.index, self.cursor)
        self._relayout()

    def action_unfold_all(self) -> None:
        self.folded.clear()
        self._relayout()

    def action_parent(self) -> None:
        self._go(thread_nav.parent(self.index, self.cursor))

    def action_next_sibling(self) -> None:
        self._go(thread_nav.sibling(self.index.next_sib, self.cursor))

    def action_prev_sibling(self) -> None:
        self._go(thread_nav.sibling(self.index.prev_sib, self.cursor))

    def next_waiting(self, forward: bool, *, from_edge: bool = False) -> bool:
        """Move to the next (or previous) comment that waits for an answer, folded or not."""
        target = thread_nav.waiting(self.index, self.cursor, forward, from_edge=from_edge)
        if target is not None:
            self.move_to(target)
        return target is not None

    # -- asking the screen -----------------------------------------------------------------

    def action_mark_answered(self) -> None:
        if self.current is not None:
            self.post_message(self.MarkRequested(self.current))

    def action_edit(self) -> None:
        if self.current is not None:
            self.post_message(self.EditRequested(self.current))

    def action_trash(self) -> None:
        """Trash a comment; your own reply written here is deleted instead (after a confirm)."""
        row = self.current
        if row is None:
            return
        if row.origin == "local" and row.by_owner:
            self.post_message(self.DeleteRequested(row))
        else:
            self.post_message(self.ModerateRequested(row, "trash"))

    def action_approve(self) -> None:
        self._moderate("approved")

    def action_spam(self) -> None:
        self._moderate("spam")

    def action_unapprove(self) -> None:
        self._moderate("pending")

    def _moderate(self, status: str) -> None:
        if self.current is not None:
            self.post_message(self.ModerateRequested(self.current, status))
