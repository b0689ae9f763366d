"""The reply composer: a TextArea under the thread that saves its draft while you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static, TextArea

from cmreader.tui import keys
from cmreader.tui.messages import ComposeTarget

# Drafts are written once typing pauses this long: every key press would be a disk write.
DRAFT_DELAY = 0.6


class Composer(Vertical):
    """Writes one reply (or edit); ctrl+s sends, escape closes and keeps the draft."""

    BINDINGS = keys.bindings("composer")
    HELP = "Composer: ctrl+s sends, escape closes and keeps the draft; q is just a letter here."

    class DraftChanged(Message):
        def __init__(self, target: ComposeTarget, text: str) -> None:
            super().__init__()
            self.target = target
            self.text = text

    class SendRequested(Message):
        def __init__(self, target: ComposeTarget, text: str) -> None:
            super().__init__()
            self.target = target
            self.text = text

    class Closed(Message):
        """The user closed the composer; the screen decides what becomes of the draft."""

        def __init__(self, target: ComposeTarget, text: str) -> None:
            super().__init__()
            self.target = target
            self.text = text

    def __init__(self, target: ComposeTarget, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target = target
        self.initial = text
        self.last_saved = text
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        heading = Text(self.target.heading, style="bold", no_wrap=True, overflow="ellipsis")
        yield Static(heading, id="composer-heading")
        if self.target.quote:
            quote = Text(self.target.quote, style="italic dim", no_wrap=True, overflow="ellipsis")
            yield Static(quote, id="composer-quote")
        area = TextArea(self.initial, id="composer-text", soft_wrap=True, show_line_numbers=False)
        yield area

    def on_mount(self) -> None:
        keys.apply_remaps(self._bindings, getattr(self.app, "key_remaps", {}))
        self.border_subtitle = "ctrl+s sends · escape closes, keeps the draft"
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DRAFT_DELAY, self.flush)

    def flush(self) -> None:
        """Save what is typed now, unless it is empty or already saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        text = self.text
        if text.strip() and text != self.last_saved:
            self.last_saved = text
            self.post_message(self.DraftChanged(self.target, text))

    def action_send(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.post_message(self.SendRequested(self.target, self.text))

    def action_close_composer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.post_message(self.Closed(self.target, self.text))
