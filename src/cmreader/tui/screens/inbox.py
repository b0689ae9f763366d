"""The inbox: the comments that wait for your answer, read a page at a time, oldest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input

from cmreader.sanitize import clean_line
from cmreader.store.models import InboxEntry
from cmreader.tui import safe_text
from cmreader.tui.screens.picker import ListScreen, ReplyTo, TypingInput, comment_lines
from cmreader.tui.widgets.paged_list import PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.tui.workers import ReaderCalls

_FILTER_DELAY = 0.2  # narrow once typing pauses, not on every key


@dataclass(frozen=True)
class InboxSource:
    """The waiting comments in one order, blog and filter; called from workers only."""

    store: Store
    blog_id: int | None = None
    newest_first: bool = False
    text: str | None = None

    def count(self) -> int:
        return self.store.inbox_count(blog_id=self.blog_id, text=self.text)

    def page(self, offset: int, limit: int) -> Sequence[InboxEntry]:
        return self.store.inbox_page(offset=offset, limit=limit, blog_id=self.blog_id,
                                     newest_first=self.newest_first, text=self.text)


class InboxScreen(ListScreen):
    """Enter goes to the comment, r answers it; x marks it answered, a/s/d moderate it."""

    BINDINGS = [
        Binding("x", "mark_answered", "Answered", id="mark_answered"),
        Binding("r", "reply", "Reply", id="reply"),
        Binding("o", "order", "Sort"),
        Binding("slash", "filter", "Filter"),
    ]
    EMPTY = "Nothing waits for your answer."
    WRITES = ListScreen.WRITES | {"mark_answered"}

    filter_input = getters.query_one("#inbox-filter", TypingInput)

    def __init__(self, store: Store, calls: ReaderCalls | None = None) -> None:
        super().__init__(store, calls, id="inbox")
        self.newest_first = False
        self.text: str | None = None
        self._timer: Timer | None = None

    def compose_top(self) -> ComposeResult:
        yield TypingInput(placeholder="Only the comments with these words "
                          "(enter: keep, escape: clear)", id="inbox-filter")

    def on_mount(self) -> None:
        self.filter_input.display = False

    def source(self) -> PageSource[InboxEntry]:
        return InboxSource(self.store, self.blog_id, self.newest_first, self.text)

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        if total == 0 and self.text is None and self.blog is None:
            return (self.EMPTY,)
        counted = "…" if total is None else f"{total:,}"
        order = "newest first" if self.newest_first else "oldest first"
        words = () if self.text is None else (" · with ", ("“" + self.text + "”", "italic"))
        return ("Waiting for your answer: ", counted, " · ", order, *self.blog_pieces(), *words)

    def entry_lines(self, entry: InboxEntry, width: int) -> list[Text]:
        # Every entry here is approved: the status is worth a word only when it is not.
        status = None if entry.status == "approved" else entry.status
        return comment_lines(entry.post_title, self.blog_title(entry.blog_title), entry.author,
                             status, self.when(entry.published), entry.body, width)

    # -- keys ------------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.filter_input.has_focus:
            self._close_filter(clear=True)
        else:
            super().action_back()

    def action_order(self) -> None:
        self.newest_first = not self.newest_first
        self.show_list()

    def action_filter(self) -> None:
        self.filter_input.display = True
        self.filter_input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(_FILTER_DELAY, lambda: self._narrow(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._narrow(event.value)
        self._close_filter(clear=False)

    def _narrow(self, typed: str) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = clean_line(typed) or None
        if text != self.text:
            self.text = text
            self.show_list()

    def _close_filter(self, *, clear: bool) -> None:
        if clear:
            self.filter_input.value = ""
            self._narrow("")
        # The words stay in the title; the box only while there are some to change.
        self.filter_input.display = self.text is not None
        self.paged.focus()

    def action_reply(self) -> None:
        entry = self.paged.current
        if entry is not None:
            self.dismiss(ReplyTo(entry.post_id, entry.comment_id))

    def action_mark_answered(self) -> None:
        found = self.acting_on()
        if found is None:
            return
        entry, comment = found
        self.paged.mark((entry.post_id, entry.comment_id), safe_text.text("answered…"))
        self.paged.advance()
        # ReaderCalls.mark takes the comment's row: read it, then mark it.
        self.read_comment(comment.comment_id, "answered")
