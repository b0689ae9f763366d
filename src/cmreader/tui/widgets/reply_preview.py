"""The reply as it will read: its Markdown shown as the comment tree shows a comment."""

from __future__ import annotations

from time import monotonic

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from cmreader.sanitize import clean_text
from cmreader.tui import safe_text
from cmreader.tui.widgets.comment_render import SHOWN_CHARS, wrap_text
from cmreader.tui.widgets.inline_markdown import render_inline

# The preview follows the text this long after the last change: while keys come faster than
# this, it is not rendered at all, so it never slows typing down.
PREVIEW_DELAY = 0.15


def preview_lines(text: str, width: int) -> list[Text]:
    """The reply's lines as the thread will show them: cleaned (a pasted escape sequence or
    bidi override never reaches the terminal), Markdown as styles, wrapped to width."""
    head = text[:SHOWN_CHARS]
    shown = render_inline(clean_text(head).replace("\t", "    ").strip("\n"))
    if len(text) > SHOWN_CHARS:
        shown.append(f"\n… {len(text) - SHOWN_CHARS:,} more characters")
    if not shown.plain.strip():
        return [safe_text.text(("Nothing to preview yet.", "dim italic"))]
    return wrap_text(shown, width)


class ReplyPreview(ScrollView, can_focus=True):
    """Renders the text it is given PREVIEW_DELAY after the last change, and only the lines in
    view become strips."""

    DEFAULT_CSS = """
    ReplyPreview {
        height: 1fr;
        min-height: 1;
        padding: 0 0 0 1;
        border-left: vkey $panel-lighten-2;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""
        self._follow = 0.0  # where the cursor is in the text, 0 to 1: the preview shows it
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._width = 0
        self._timer: Timer | None = None
        self._due = 0.0  # when the last change is PREVIEW_DELAY old (time.monotonic)
        self.renders = 0  # how many times the text was rendered (tests: the debounce)

    def show_text(self, text: str, follow: float = 1.0) -> None:
        """Render text once no change has come for PREVIEW_DELAY (show_now: at once); follow
        is where the cursor is, from 0 (the start) to 1 (the end)."""
        self._text, self._follow = text, follow
        self._due = monotonic() + PREVIEW_DELAY
        if self._timer is None:
            self._timer = self.set_timer(PREVIEW_DELAY, self._when_due)

    def _when_due(self) -> None:
        # One timer at a time, however fast the keys come: when it fires early (keys came
        # meanwhile), it waits again for what is left of the delay after the last one.
        self._timer = None
        left = self._due - monotonic()
        if left > 0.005:
            self._timer = self.set_timer(left, self._when_due)
        else:
            self._render_text()

    def show_now(self, text: str, follow: float = 1.0) -> None:
        self._text, self._follow = text, follow
        self._render_text()

    def _render_text(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        width = max(10, self.scrollable_content_region.width - 1)
        self._width = width
        self._lines = preview_lines(self._text, width)
        self._strips = {}
        self.renders += 1
        self.virtual_size = Size(width, len(self._lines))
        # Keep in view the part of the reply being written.
        height = self.scrollable_content_region.height
        target = round(self._follow * len(self._lines)) - height // 2
        self.scroll_to(y=max(0, min(target, len(self._lines) - height)), animate=False,
                       immediate=True)
        self.refresh()

    @property
    def plain_lines(self) -> list[str]:
        """What the preview shows, as plain text."""
        return [line.plain for line in self._lines]

    def on_resize(self, event: events.Resize) -> None:
        if self._lines and max(10, self.scrollable_content_region.width - 1) != self._width:
            self._render_text()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = (Strip(list(self._lines[index].render(self.app.console)))
                     .crop_extend(0, self._width, None).apply_style(self.rich_style))
            self._strips[index] = strip
        return strip
