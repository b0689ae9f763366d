"""Keyboard navigation of the comment tree: moving, folding and jumping between comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from cmreader.store.models import CommentRow
from cmreader.tui.widgets.thread_model import Layout, ThreadIndex

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:
    _Base = object


class TreeNavigation(_Base):
    """Actions of the comment tree; the cursor is a row index, folds are comment ids."""

    # Provided by CommentTree (declared here for the type checker only).
    index: ThreadIndex
    cursor: int
    _pos: dict[int, int]
    _layout: Layout | None

    if TYPE_CHECKING:

        @property
        def folded(self) -> set[int]: ...
        @property
        def current(self) -> CommentRow | None: ...
        def _relayout(self, scroll: bool = True) -> None: ...
        def scroll_to_cursor(self) -> None: ...
        def _comment_action(self, action: str, row: CommentRow) -> Message: ...

    def move_to(self, i: int) -> None:
        """Put the cursor on row i (revealing it if folded away) and scroll it into view."""
        if not 0 <= i < len(self.index):
            return
        self.cursor = i
        if i not in self._pos:
            self._reveal(i)
            self._relayout()
        else:
            self.scroll_to_cursor()
            self.refresh()

    def _reveal(self, i: int) -> None:
        for ancestor in self.index.ancestors(i):
            self.folded.discard(self.index.rows[ancestor].id)

    def select_comment(self, comment_id: int) -> bool:
        i = self.index.by_id.get(comment_id)
        if i is None:
            return False
        self.move_to(i)
        return True

    def _step(self, delta: int) -> None:
        if self._layout is None or self.cursor not in self._pos:
            return
        k = self._pos[self.cursor] + delta
        k = max(0, min(len(self._layout.order) - 1, k))
        if self._layout.order:
            self.move_to(self._layout.order[k])

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
        if not len(self.index):
            return
        i = self.cursor
        if not self.index.has_children(i):
            parent = self.index.parent[i]
            if parent < 0:
                return
            i = parent
            self.cursor = parent
        row_id = self.index.rows[i].id
        if row_id in self.folded:
            self.folded.discard(row_id)
        else:
            self.folded.add(row_id)
        self._relayout()

    def action_fold_all(self) -> None:
        """Fold every top-level thread: the questions alone, one line of header each."""
        index = self.index
        self.folded.update(
            r.id for i, r in enumerate(index.rows) if r.depth == 0 and index.has_children(i)
        )
        while self.index.parent[self.cursor] >= 0:
            self.cursor = self.index.parent[self.cursor]
        self._relayout()

    def action_unfold_all(self) -> None:
        self.folded.clear()
        self._relayout()

    def action_parent(self) -> None:
        parent = self.index.parent[self.cursor] if len(self.index) else -1
        if parent >= 0:
            self.move_to(parent)
        else:
            self.app.bell()

    def action_next_sibling(self) -> None:
        self._sibling(self.index.next_sib)

    def action_prev_sibling(self) -> None:
        self._sibling(self.index.prev_sib)

    def _sibling(self, links: list[int]) -> None:
        target = links[self.cursor] if len(self.index) else -1
        if target >= 0:
            self.move_to(target)
        else:
            self.app.bell()

    def next_waiting(self, forward: bool, *, from_edge: bool = False) -> bool:
        """Move to the next (or previous) comment that waits for an answer, folded or not."""
        rows = self.index.rows
        if forward:
            start = 0 if from_edge else self.cursor + 1
            candidates = range(start, len(rows))
        else:
            start = len(rows) - 1 if from_edge else self.cursor - 1
            candidates = range(start, -1, -1)
        for i in candidates:
            if rows[i].needs_answer:
                self.move_to(i)
                return True
        return False

    def _request(self, action: str) -> None:
        row = self.current
        if row is not None:
            self.post_message(self._comment_action(action, row))

    def action_mark_answered(self) -> None:
        self._request("mark")

    def action_edit(self) -> None:
        self._request("edit")

    def action_delete(self) -> None:
        self._request("delete")
