"""The inbox: every comment that waits for your answer, across episodes, oldest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Footer, Static

from cmreader.errors import CmreaderError
from cmreader.store.models import InboxEntry
from cmreader.tui import safe_text
from cmreader.tui.screens.picker import JumpList, PickerScreen, entry_prompt
from cmreader.tui.timefmt import relative

if TYPE_CHECKING:
    from cmreader.store import Store


class InboxLoaded(Message):
    def __init__(self, entries: list[InboxEntry]) -> None:
        super().__init__()
        self.entries = entries


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

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        try:
            entries = self.store.needs_answer()
        except CmreaderError as exc:
            self.app.call_from_thread(safe_text.notify, self, str(exc), severity="error")
            return
        self.post_message(InboxLoaded(entries))

    def on_inbox_loaded(self, message: InboxLoaded) -> None:
        now = getattr(self.app, "now", None) or datetime.now(UTC)
        width = self.size.width
        self.set_entries([
            ((e.post_id, e.comment_id),
             entry_prompt(e.post_title, e.author, relative(e.published, now), e.body, width))
            for e in message.entries
        ])
        count = len(message.entries)
        title = f"Waiting for your answer: {count}" if count else "Nothing waits for your answer."
        self.query_one("#inbox-title", Static).update(safe_text.text(title))
