"""The find bar under the comments: type to find text in this thread, enter for the next."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Posts Find as the text changes (step 0) and on enter (step 1); escape closes it."""

    BINDINGS = [
        Binding("escape", "close", "Close find", show=True),
        Binding("down", "step(1)", "Next match", show=True),
        Binding("up", "step(-1)", "Previous match", show=True),
    ]

    class Find(Message):
        """Find text in the thread: step 0 from the cursor, 1 the next match, -1 the previous."""

        def __init__(self, text: str, step: int) -> None:
            super().__init__()
            self.text = text
            self.step = step

    class Closed(Message):
        """The user is done finding."""

    def __init__(self) -> None:
        super().__init__(placeholder="Find in this thread (enter: next, escape: close)",
                         id="find-bar")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Find(event.value, 0))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Find(event.value, 1))

    def action_step(self, step: int) -> None:
        self.post_message(self.Find(self.value, step))

    def action_close(self) -> None:
        self.post_message(self.Closed())
