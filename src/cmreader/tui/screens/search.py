"""Search across episodes and comments: results as you type, enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from cmreader.errors import CmreaderError
from cmreader.store.models import SearchHit
from cmreader.tui import safe_text
from cmreader.tui.screens.picker import JumpList, PickerScreen, entry_prompt

if TYPE_CHECKING:
    from cmreader.store import Store

_SEARCH_DELAY = 0.2  # search once typing pauses, not on every key


class SearchDone(Message):
    def __init__(self, query: str, hits: list[SearchHit], open_first: bool) -> None:
        super().__init__()
        self.query = query
        self.hits = hits
        self.open_first = open_first


class SearchScreen(PickerScreen):
    """Type words (accents optional); down goes to the results, enter opens the best one."""

    BINDINGS = [Binding("down", "results", "Results", show=False)]

    def __init__(self, store: Store) -> None:
        super().__init__(id="search")
        self.store = store
        self._timer: Timer | None = None
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search episodes and comments", id="search-input")
        yield Static(safe_text.text(""), id="search-status", classes="screen-title")
        yield JumpList(id="search-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(_SEARCH_DELAY, lambda: self.run_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if self.targets and self.query_text == event.value:
            listing = self.query_one(JumpList)
            self.dismiss(self.targets[listing.highlighted or 0])
        else:
            self.run_search(event.value, open_first=True)

    def action_results(self) -> None:
        self.query_one(JumpList).focus()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_search(self, text: str, open_first: bool = False) -> None:
        try:
            hits = self.store.search(text)
        except CmreaderError as exc:
            self.app.call_from_thread(safe_text.notify, self, str(exc), severity="error")
            return
        self.post_message(SearchDone(text, hits, open_first))

    def on_search_done(self, message: SearchDone) -> None:
        self.query_text = message.query
        width = self.size.width
        entries = []
        for hit in message.hits:
            where = "the article" if hit.comment_id is None else ""
            entries.append(((hit.post_id, hit.comment_id),
                            entry_prompt(hit.post_title, hit.author or where, "", hit.snippet,
                                         width)))
        self.set_entries(entries)
        status = f"{len(entries)} result{'s' if len(entries) != 1 else ''}" if message.query else ""
        self.query_one("#search-status", Static).update(safe_text.text(status))
        if message.open_first and self.targets:
            self.dismiss(self.targets[0])
