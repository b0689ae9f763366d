"""Search across episodes and comments: results as you type, enter opens one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from cmreader.tui import safe_text, workers
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import SearchDone
from cmreader.tui.screens.picker import JumpList, PickerScreen, entry_prompt

if TYPE_CHECKING:
    from cmreader.store import Store

_SEARCH_DELAY = 0.2  # search once typing pauses, not on every key


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

    @app_work(group="search", exclusive=True)
    def run_search(self, text: str, open_first: bool = False) -> None:
        self.post_message(workers.run_search(self.store, text, open_first))

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
