"""A full screen list of comments to jump to: the base of the inbox and search screens."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cmreader.sanitize import clean_excerpt, clean_line
from cmreader.tui import safe_text


class JumpList(OptionList):
    """An OptionList with vim keys."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


def entry_prompt(title: str, author: str | None, when: str, body: str, width: int) -> Text:
    """Episode title; then author and date; then one line of the comment."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(clean_line(title) or "(untitled)", "bold")
    text.append("\n  ")
    text.append(clean_line(author or "") or "anonymous", "cyan")
    if when:
        text.append(f" · {when}", "dim")
    text.append("\n  ")
    text.append(clean_excerpt(body, max(20, width)), "italic")
    return text


class PickerScreen(Screen[tuple[int, int | None] | None]):
    """Dismisses with (post id, comment id or None) on enter, None on escape."""

    DEFAULT_CSS = """
    PickerScreen .screen-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
    }
    PickerScreen JumpList, PickerScreen JumpList:focus {
        height: 1fr;
        border: none;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS = [Binding("escape", "back", "Back", show=True)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: list[tuple[int, int | None]] = []

    def set_entries(self, entries: list[tuple[tuple[int, int | None], Text]]) -> None:
        self.targets = [where for where, _ in entries]
        listing = self.query_one(JumpList)
        listing.set_options(
            Option(safe_text.built(prompt), id=str(n)) for n, (_, prompt) in enumerate(entries)
        )
        if entries:
            listing.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.targets[event.option_index])

    def action_back(self) -> None:
        self.dismiss(None)
