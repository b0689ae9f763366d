"""The inbox: every comment that waits for your answer, across episodes, oldest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from cmreader.tui import safe_text, workers
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import InboxLoaded
from cmreader.tui.screens.picker import JumpList, PickerScreen, entry_prompt
from cmreader.tui.timefmt import clock_of, relative

if TYPE_CHECKING:
    from cmreader.store import Store


class InboxScreen(PickerScreen):
    """Enter opens the episode with that comment selected; escape goes back."""

    def __init__(self, store: Store) -> None:
        super().__init__(id="inbox")
        self.store = store

    def compose(self) -> ComposeResult:
        yield Static(safe_text.text("Waiting for your answer"), id="inbox-title",
                     classes="screen-title")
        yield JumpList(id="inbox-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(JumpList).focus()
        self.load()

    @app_work(group="inbox", exclusive=True)
    def load(self) -> None:
        self.post_message(workers.read_inbox(self.store))

    def on_inbox_loaded(self, message: InboxLoaded) -> None:
        now = clock_of(self.app)
        width = self.size.width
        self.set_entries([
            ((e.post_id, e.comment_id),
             entry_prompt(e.post_title, e.author, relative(e.published, now), e.body, width))
            for e in message.entries
        ])
        count = len(message.entries)
        title = f"Waiting for your answer: {count}" if count else "Nothing waits for your answer."
        self.query_one("#inbox-title", Static).update(safe_text.text(title))
