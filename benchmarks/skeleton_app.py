"""A reference point: three panes and a footer of stock Textual widgets, no cmreader code.

Shows what the layout alone costs over the one-line bare app, with the same first line.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, OptionList, Static


class SkeletonApp(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("r", "bell", "Reply"), ("i", "bell", "Inbox")]
    CSS = "OptionList { width: 34; border: round $accent; } Static { border: round $accent; }"

    def compose(self) -> ComposeResult:
        title = sys.argv[1] if len(sys.argv) > 1 else "ready"
        with Vertical():
            with Horizontal():
                yield OptionList(*[f"{title} {n}" if n == 0 else f"Episode {n}" for n in range(60)])
                yield Static("Article")
            yield Static("Comments")
        yield Footer()


if __name__ == "__main__":
    SkeletonApp().run()
