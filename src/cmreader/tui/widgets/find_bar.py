"""The find bar under the comments: type to find text in this thread, enter for the next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Input

from cmreader.tui import keys, safe_text

if TYPE_CHECKING:
    from cmreader.tui.widgets.comment_tree import CommentTree


class FindBar(Input):
    """Finds in `comments` as the text changes (from the cursor) and on enter (the next match).

    Its border title says which match of how many is selected; escape closes it."""

    DEFAULT_CSS = """
    FindBar, FindBar:focus {
        dock: bottom;
        height: 3;
        border: round $accent;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close find", show=True),
        Binding("down", "step(1)", "Next match", show=True),
        Binding("up", "step(-1)", "Previous match", show=True),
        keys.TYPED,
    ]

    def __init__(self, comments: CommentTree) -> None:
        super().__init__(placeholder="Find in this thread (enter: next, escape: close)",
                         id="find-bar")
        self.comments = comments

    def action_typed(self) -> None:
        """Never called: the key was typed into the field first (see keys.TYPED)."""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.action_step(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    def action_step(self, step: int) -> None:
        """Step 0 finds from the cursor, 1 the next match, -1 the previous."""
        if not self.value.strip():
            self.border_title = None
            return
        found = self.comments.find(self.value, step)
        self.border_title = safe_text.content(
            "no match" if found is None else f"{found[0]}/{found[1]}"
        )

    def action_close(self) -> None:
        self.comments.focus()
        self.remove()
