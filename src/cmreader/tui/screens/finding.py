"""Finding text inside the open thread: matches move the comment cursor, folds open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmreader.sanitize import clean_text
from cmreader.store.models import CommentRow
from cmreader.textfold import fold
from cmreader.tui import safe_text
from cmreader.tui.widgets.find_bar import FindBar

if TYPE_CHECKING:
    from textual.screen import Screen

    from cmreader.tui.widgets.comment_tree import CommentTree

    _Base = Screen[None]
else:
    _Base = object


def thread_matches(rows: list[CommentRow], text: str) -> list[int]:
    """Indexes of the rows whose author or text holds every word of text, accents folded."""
    words = fold(text).split()
    if not words:
        return []
    found = []
    for i, row in enumerate(rows):
        haystack = fold(clean_text(f"{row.author or ''}\n{row.body}"))
        if all(word in haystack for word in words):
            found.append(i)
    return found


class Finding(_Base):
    """The find bar's life on the main screen (`f`)."""

    if TYPE_CHECKING:

        @property
        def comment_tree(self) -> CommentTree: ...

    def action_find(self) -> None:
        bars = self.query(FindBar)
        if bars:
            bars.first().focus()
            return
        bar = FindBar()
        self.query_one("#conversation").mount(bar)
        bar.focus()

    def on_find_bar_find(self, message: FindBar.Find) -> None:
        tree = self.comment_tree
        matches = thread_matches(tree.index.rows, message.text)
        bar = self.query_one(FindBar)
        if not message.text.strip():
            bar.border_title = None
            return
        if not matches:
            bar.border_title = safe_text.content("no match")
            return
        here = tree.cursor
        if message.step > 0:
            after = [i for i in matches if i > here]
            target = after[0] if after else matches[0]
        elif message.step < 0:
            before = [i for i in matches if i < here]
            target = before[-1] if before else matches[-1]
        else:
            at = [i for i in matches if i >= here]
            target = at[0] if at else matches[0]
        tree.move_to(target)
        bar.border_title = safe_text.content(f"{matches.index(target) + 1}/{len(matches)}")

    def on_find_bar_closed(self, message: FindBar.Closed) -> None:
        for bar in self.query(FindBar):
            bar.remove()
        self.comment_tree.focus()
