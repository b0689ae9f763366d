"""Search across episodes and comments: results as you type, read a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from cmreader.store.models import SearchHit
from cmreader.tui import safe_text
from cmreader.tui.screens.picker import Commented, ListScreen, TypingInput, comment_lines
from cmreader.tui.widgets.paged_list import PagedList, PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.tui.workers import ReaderCalls

_SEARCH_DELAY = 0.2  # search once typing pauses, not on every key


@dataclass(frozen=True)
class SearchSource:
    """The hits for text, best first, in one blog (None: all); called from workers only."""

    store: Store
    text: str
    blog_id: int | None = None

    def count(self) -> int:
        return self.store.search_count(self.text, blog_id=self.blog_id)

    def page(self, offset: int, limit: int) -> Sequence[SearchHit]:
        return self.store.search_page(self.text, offset=offset, limit=limit,
                                      blog_id=self.blog_id)


class SearchScreen(ListScreen):
    """Type words (accents optional); down goes to the results, enter opens the best one."""

    BINDINGS = [
        Binding("down", "results", "Results", show=False),
        Binding("slash", "edit_query", "Search again"),
        Binding("r", "reply", "Reply", id="reply"),
    ]
    EMPTY = "No results."

    query_input = getters.query_one("#search-input", TypingInput)

    def __init__(self, store: Store, calls: ReaderCalls | None = None) -> None:
        super().__init__(store, calls, id="search")
        self._timer: Timer | None = None
        self.query_text = ""  # the words the results shown are for
        self._open_first = False

    def compose_top(self) -> ComposeResult:
        yield TypingInput(placeholder="Search episodes and comments", id="search-input")

    def first_focus(self) -> Widget:
        return self.query_input

    def source(self) -> PageSource[SearchHit] | None:
        if not self.query_text.strip():
            return None
        return SearchSource(self.store, self.query_text, self.blog_id)

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        if not self.query_text.strip():
            return ("Search", *self.blog_pieces())
        if total is None:
            counted = "…"
        else:
            counted = f"{total:,} result{'' if total == 1 else 's'}"
        return (counted, " for ", ("“" + self.query_text + "”", "italic"), *self.blog_pieces())

    def entry_lines(self, entry: SearchHit, width: int) -> list[Text]:
        author = entry.author if entry.comment_id is not None else "the article"
        return comment_lines(entry.post_title, self.blog_title(entry.blog_title), author,
                             None, "", entry.snippet, width)

    def commented(self, entry: SearchHit) -> Commented | None:
        if entry.comment_id is None:
            return None
        return Commented(entry.comment_id, entry.author, None)

    # -- typing ----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(_SEARCH_DELAY, lambda: self.run_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        current = self.paged.current
        if current is not None and self.query_text == event.value:
            self.dismiss(self.target(current))
        else:
            self.run_search(event.value, open_first=True)

    def run_search(self, text: str, open_first: bool = False) -> None:
        self._open_first = open_first and bool(text.strip())
        if text != self.query_text or open_first:
            self.query_text = text
            self.show_list()

    def on_paged_list_page_loaded(self, message: PagedList.PageLoaded) -> None:
        if self._open_first and message.page == 0:
            self._open_first = False
            if message.entries:
                self.dismiss(self.target(message.entries[0]))
            else:
                safe_text.notify(self, "No results.", timeout=2)

    def action_results(self) -> None:
        self.paged.focus()

    def action_edit_query(self) -> None:
        self.query_input.focus()

    def action_reply(self) -> None:
        """r on a comment: to the reader, with the composer open on it."""
        from cmreader.tui.screens.picker import ReplyTo

        entry = self.paged.current
        if entry is not None and entry.comment_id is not None:
            self.dismiss(ReplyTo(entry.post_id, entry.comment_id))
