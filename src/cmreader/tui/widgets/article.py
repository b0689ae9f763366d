"""The article pane: an episode's Markdown, rendered off the UI thread into scrollable lines."""

from __future__ import annotations

import io
import re
from datetime import datetime

from rich.console import Console, Group
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cmreader.sanitize import clean_line, clean_text
from cmreader.store.models import Post
from cmreader.tui import keys
from cmreader.tui.app_work import app_work
from cmreader.tui.pane_style import pane_css
from cmreader.tui.timefmt import clock_of, relative, short_date

_LINK = re.compile(r"\[([^\]]*)\]\((\S+?)\)|<(https?://[^>\s]+)>|(https?://[^\s)\]>]+)")


def article_links(body: str) -> list[tuple[str, str]]:
    """(label, url) of every link in the article, in order, without repeats."""
    seen: dict[str, str] = {}
    for match in _LINK.finditer(clean_text(body)):
        label, url = match.group(1), match.group(2) or match.group(3) or match.group(4)
        if url and url not in seen:
            seen[url] = clean_line(label or url)
    return [(label, url) for url, label in seen.items()]


def render_article(post: Post, width: int, now: datetime) -> list[list[Segment]]:
    """Title, byline and Markdown body as lines of segments (runs in a worker thread)."""
    from rich.markdown import Markdown  # markdown-it costs start-up time: load it here

    head = Text(clean_line(post.title) or "(untitled)", style="bold")
    parts = []
    if post.author:
        parts.append(f"by {clean_line(post.author)}")
    if post.published:
        parts.append(f"{short_date(post.published)} ({relative(post.published, now)})")
    byline = Text(" · ".join(parts), style="dim")
    # The article is Markdown, never console markup: Markdown builds Text objects itself.
    body = Markdown(clean_text(post.body), hyperlinks=True)
    console = Console(
        file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True,
        legacy_windows=False, emoji=False, markup=False,
    )
    options = console.options.update(width=width)
    return console.render_lines(Group(head, byline, Text(""), body), options, pad=False)


class ArticleView(ScrollView, can_focus=True):
    """Shows one post; a long article renders in a worker and never blocks the keys."""

    DEFAULT_CSS = pane_css("ArticleView")

    BINDINGS = keys.bindings("article")
    HELP = "Article: j/k scroll, space pages, o lists its links, r comments on the episode."

    class Rendered(Message):
        """An article finished rendering at a width."""

        def __init__(self, post_id: int, width: int, lines: list[list[Segment]]) -> None:
            super().__init__()
            self.post_id = post_id
            self.width = width
            self.lines = lines

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.post: Post | None = None
        self._strips: list[Strip] = []
        self._width = 0

    def show_post(self, post: Post | None) -> None:
        changed = post is None or self.post is None or post.id != self.post.id
        self.post = post
        if changed:
            self.scroll_to(y=0, animate=False, immediate=True)
            self._strips = [Strip([Segment("…", self.rich_style)], 1)] if post else []
            self.virtual_size = Size(self.size.width, len(self._strips))
            self.refresh()
        self._render_article()

    @property
    def _text_width(self) -> int:
        return max(20, self.scrollable_content_region.width - 1)

    def _render_article(self) -> None:
        # Not laid out yet (just mounted): its first Resize renders it, at the width it has.
        if self.post is not None and self.is_mounted and self.scrollable_content_region.width:
            self._width = self._text_width
            self._render_worker(self.post, self._width)

    @app_work(group="article", exclusive=True)
    def _render_worker(self, post: Post, width: int) -> None:
        now = clock_of(self.app)
        lines = render_article(post, width, now)
        self.post_message(self.Rendered(post.id, width, lines))

    def on_article_view_rendered(self, message: ArticleView.Rendered) -> None:
        message.stop()
        if self.post is None or message.post_id != self.post.id:
            return
        self._strips = [
            Strip(line).crop_extend(0, message.width, None).apply_style(self.rich_style)
            for line in message.lines
        ]
        self.virtual_size = Size(message.width, len(self._strips))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width != self._width:
            self._render_article()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        if 0 <= index < len(self._strips):
            return self._strips[index]
        return Strip.blank(self.size.width, self.rich_style)

    def on_click(self, event: events.Click) -> None:
        link = event.style.link if event.style else None
        if link:
            self.app.open_url(link)

    def action_cursor_down(self) -> None:
        self.scroll_down(animate=False)

    def action_cursor_up(self) -> None:
        self.scroll_up(animate=False)

    def action_cursor_top(self) -> None:
        self.scroll_home(animate=False)

    def action_cursor_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)
