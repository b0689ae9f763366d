"""The baseline: a bare Textual app that shows one line and waits (q quits)."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Label

LINE = "Bare Textual app: ready"


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Label(sys.argv[1] if len(sys.argv) > 1 else LINE)


if __name__ == "__main__":
    BareApp().run()
