"""The saved-reply picker (ctrl+t in the composer): type to find one, enter inserts it filled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cmreader.placeholders import fill
from cmreader.sanitize import clean_excerpt, clean_line
from cmreader.store.models import ReplyContext, SavedReply
from cmreader.tui import safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import ComposeTarget, SavedRepliesRead, SavedReplySaved
from cmreader.tui.screens.picker import TypingInput

if TYPE_CHECKING:
    from cmreader.store import Store


class SavedReplyPicker(ModalScreen[str | None]):
    """Dismisses with the chosen reply, its placeholders filled, or None (escape)."""

    DEFAULT_CSS = """
    SavedReplyPicker {
        align: center middle;
        background: $background 60%;
    }
    #saved-box {
        width: 80%;
        max-width: 100;
        height: 70%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    #saved-title { height: 1; text-style: bold; }
    #saved-help { height: 1; color: $text-muted; }
    #saved-list { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Back", show=True),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("ctrl+n", "save_new", "Save my text as this name", show=True),
        Binding("ctrl+l", "library", "Edit the saved replies", show=True),
    ]

    filter_input = getters.query_one("#saved-filter", TypingInput)
    options = getters.query_one("#saved-list", OptionList)

    def __init__(self, store: Store, target: ComposeTarget, text: str) -> None:
        super().__init__(id="saved-picker")
        self.store = store
        self.target = target
        self.text = text  # the composer's text, for ctrl+n
        self.replies: list[SavedReply] = []
        self.context: ReplyContext | None = None
        self.shown: list[SavedReply] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-box"):
            yield Static(safe_text.text("Saved replies"), id="saved-title")
            yield Static(safe_text.text(
                "type to find · enter inserts · ctrl+n saves your text under the name typed · "
                "ctrl+l edits the library"), id="saved-help")
            yield TypingInput(placeholder="Find a saved reply (or name a new one)",
                              id="saved-filter")
            yield OptionList(id="saved-list")

    def on_mount(self) -> None:
        self.filter_input.focus()
        self.read()

    @app_work(group="saved-replies-read", exclusive=True)
    def read(self) -> None:
        context = self.store.reply_context(self.target.post_id, self.target.parent_id)
        self.post_message(SavedRepliesRead(self.store.saved_replies(), context))

    def on_saved_replies_read(self, message: SavedRepliesRead) -> None:
        message.stop()
        self.replies, self.context = message.replies, message.context
        self.show()

    def show(self) -> None:
        """The replies whose name matches what is typed, best first (all, by name, if none)."""
        query = clean_line(self.filter_input.value)
        matcher = Matcher(query) if query else None
        if matcher is not None:
            scored = [(matcher.match(clean_line(r.name)), n, r)
                      for n, r in enumerate(self.replies)]
            found = [r for score, _, r in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]
        else:
            found = list(self.replies)
        self.shown = found
        options = self.options
        options.clear_options()
        options.add_options([
            Option(
                (safe_text.highlighted(matcher, r.name) if matcher is not None
                 else safe_text.content(r.name))
                + safe_text.content(("  ", ""), (clean_excerpt(r.body, 80), "dim"))
            )
            for r in found
        ])
        if found:
            options.highlighted = 0
        elif self.context is not None:
            empty = ("No saved reply yet: type a name, then ctrl+n keeps your text under it."
                     if not self.replies else "None matches: ctrl+n keeps your text under "
                     "this name.")
            options.add_option(Option(safe_text.content(empty), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.choose(self.options.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option_index)

    def choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown) or self.context is None:
            return
        self.dismiss(fill(self.shown[index].body, self.context))

    def action_move(self, step: int) -> None:
        if step > 0:
            self.options.action_cursor_down()
        else:
            self.options.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- the library -----------------------------------------------------------------------

    def action_save_new(self) -> None:
        name = clean_line(self.filter_input.value)
        if not name:
            safe_text.notify(self, "Type a name for it first.", severity="warning")
        elif not self.text.strip():
            safe_text.notify(self, "The composer is empty: nothing to keep.",
                             severity="warning")
        else:
            self.save(name, self.text)

    @app_work(group="saved-replies-write")
    def save(self, name: str, body: str) -> None:
        self.post_message(SavedReplySaved(self.store.save_saved_reply(None, name, body)))

    def on_saved_reply_saved(self, message: SavedReplySaved) -> None:
        message.stop()
        safe_text.notify(self, "Saved as “", message.reply.name, "”.", timeout=3)
        self.filter_input.value = ""
        self.read()

    def action_library(self) -> None:
        from cmreader.tui.screens.saved_replies import SavedRepliesScreen

        def back(_: None) -> None:
            self.read()  # the library may have changed

        self.app.push_screen(SavedRepliesScreen(self.store, self.context), back)
