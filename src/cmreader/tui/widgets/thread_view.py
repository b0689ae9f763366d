"""A Line-API view over a thread's flat rows: measured lazily, drawing only what is visible."""

from __future__ import annotations

from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cmreader.store.models import CommentRow
from cmreader.tui.timefmt import clock_of
from cmreader.tui.widgets.comment_render import (
    CommentStyles,
    comment_height,
    comment_lines,
    estimate_height,
)
from cmreader.tui.widgets.thread_model import Layout, ThreadIndex

_CACHE_SIZE = 400  # rendered comments kept; the rest are re-wrapped when scrolled back to


class ThreadView(ScrollView):
    """Comments of one episode in thread order, with folds and a cursor on a whole comment.

    It draws, scrolls and moves the cursor where it is told; CommentTree adds the keys.
    """

    COMPONENT_CLASSES = {
        "comment-tree--cursor",
        "comment-tree--guide",
        "comment-tree--author",
        "comment-tree--owner",
        "comment-tree--date",
        "comment-tree--waiting",
        "comment-tree--new",
        "comment-tree--badge",
        "comment-tree--fold",
        "comment-tree--body",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.post_id: int | None = None
        self.index = ThreadIndex([])
        self.folds: dict[int, set[int]] = {}  # post id -> folded comment ids, kept across reloads
        self.cursor = 0  # row index in self.index
        self.now: datetime | None = None
        self._layout: Layout | None = None
        self._pos: dict[int, int] = {}
        self._lines: LRUCache[tuple[int, int, bool], list[Strip]] = LRUCache(_CACHE_SIZE)
        self._heights: dict[tuple[int, int], int] = {}
        self._styles: CommentStyles | None = None

    # -- data in ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[CommentRow]:
        return list(self.index.rows)

    @property
    def folded(self) -> set[int]:
        return self.folds.setdefault(self.post_id or 0, set())

    @property
    def current(self) -> CommentRow | None:
        return self.index.rows[self.cursor] if len(self.index) else None

    def set_rows(self, post_id: int, rows: list[CommentRow], select_id: int | None = None) -> None:
        """Show a thread; keep the cursor on the same comment (or select_id) and every fold."""
        same = post_id == self.post_id
        keep = self.current.id if self.current and same else None
        old_cursor = self.cursor if same else 0
        self.post_id = post_id
        self.index = ThreadIndex(rows)
        self._lines.clear()
        self._heights.clear()
        self.folded.intersection_update(self.index.by_id)
        target = select_id if select_id in self.index.by_id else keep
        if target in self.index.by_id:
            self.cursor = self.index.by_id[target]
            self._reveal(self.cursor)
        elif same and rows:
            # The comment left the thread (trashed, marked as spam): the cursor stays where it
            # was, on the one that took its place, as a mail reader moves on to the next.
            self.cursor = min(old_cursor, len(rows) - 1)
            self._reveal(self.cursor)
        else:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self._relayout()

    def clear(self) -> None:
        self.set_rows(0, [])

    # -- layout ----------------------------------------------------------------------------

    @property
    def line_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def _relayout(self, scroll: bool = True) -> None:
        order = self.index.visible(self.folded)
        self._pos = {i: k for k, i in enumerate(order)}
        if self.cursor not in self._pos and order:
            self.cursor = max(i for i in order if i <= self.cursor) if self.cursor else order[0]
        width = self.line_width
        rows = self.index.rows
        self._layout = Layout(
            order,
            lambda i: self._height(i, width),
            lambda i: estimate_height(rows[i], width) + (rows[i].depth == 0 and i > 0),
        )
        self._layout.measure_to_line(int(self.scroll_y) + self.size.height)
        self._update_virtual_size()
        if scroll:
            self.scroll_to_cursor()
            # A thread just shown grew the virtual size in this same moment: the scrollbars
            # allow the scroll only once laid out again, so scroll once more after that.
            self.call_after_refresh(self.scroll_to_cursor)
        self.refresh()

    def _height(self, i: int, width: int) -> int:
        key = (self.index.rows[i].id, width)
        height = self._heights.get(key)
        if height is None:
            height = comment_height(self.index, i, width, spacer=self._spacer(i))
            self._heights[key] = height
        return height

    def _spacer(self, i: int) -> bool:
        # A blank line before each new top-level thread, except the first.
        return i > 0 and self.index.rows[i].depth == 0

    def _update_virtual_size(self) -> None:
        total = self._layout.total if self._layout else 0
        self.virtual_size = Size(self.line_width, total)

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._lines.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._layout and not self._layout.complete:
            self._layout.measure_to_line(int(new_value) + self.size.height)
            self.call_after_refresh(self._update_virtual_size)

    def scroll_to_cursor(self) -> None:
        if not self._layout or self.cursor not in self._pos:
            return
        top, height = self._layout.span(self._pos[self.cursor])
        self._update_virtual_size()
        if height >= self.scrollable_content_region.height:
            self.scroll_to(y=top, animate=False, immediate=True)
        else:
            region = Region(0, top, self.line_width, height)
            self.scroll_to_region(region, animate=False, immediate=True, x_axis=False)

    # -- drawing ---------------------------------------------------------------------------

    def _resolve_styles(self) -> CommentStyles:
        if self._styles is None:
            get = self.get_component_rich_style
            self._styles = CommentStyles(
                guide=get("comment-tree--guide", partial=True),
                author=get("comment-tree--author", partial=True),
                owner=get("comment-tree--owner", partial=True),
                date=get("comment-tree--date", partial=True),
                waiting=get("comment-tree--waiting", partial=True),
                new=get("comment-tree--new", partial=True),
                badge=get("comment-tree--badge", partial=True),
                fold=get("comment-tree--fold", partial=True),
                body=get("comment-tree--body", partial=True),
            )
        return self._styles

    def _clock(self) -> datetime:
        return self.now or clock_of(self.app)

    def _strips(self, i: int, width: int) -> list[Strip]:
        folded = self.index.rows[i].id in self.folded
        key = (self.index.rows[i].id, width, folded)
        strips = self._lines.get(key)
        if strips is None:
            texts = comment_lines(
                self.index, i, width, folded=folded, now=self._clock(),
                styles=self._resolve_styles(), spacer=self._spacer(i),
            )
            console = self.app.console
            base = self.rich_style
            strips = [
                Strip(list(text.render(console)))
                .crop_extend(0, width, None)
                .apply_style(base)
                for text in texts
            ]
            self._lines.set(key, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        located = self._layout.locate(int(self.scroll_y) + y) if self._layout else None
        if located is None:
            return Strip([Segment(" " * width, self.rich_style)], width)
        k, line = located
        i = self._layout.order[k] if self._layout else 0
        strips = self._strips(i, width)
        strip = strips[line] if line < len(strips) else Strip.blank(width, self.rich_style)
        if i == self.cursor and not (line == 0 and self._spacer(i)):
            # Over the line's own background, so the whole comment shows as selected.
            cursor: Style = self.get_component_rich_style("comment-tree--cursor")
            highlight = Style(bgcolor=cursor.bgcolor)
            strip = Strip(Segment.apply_style(strip, post_style=highlight), strip.cell_length)
        return strip

    def on_click(self, event: events.Click) -> None:
        if self._layout is None:
            return
        located = self._layout.locate(int(self.scroll_y) + event.y)
        if located is not None:
            self.move_to(self._layout.order[located[0]])

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, i: int) -> None:
        """Put the cursor on row i (revealing it if folded away) and scroll it into view."""
        if not 0 <= i < len(self.index):
            return
        self.cursor = i
        if i not in self._pos:
            self._reveal(i)
            self._relayout()
        else:
            self.scroll_to_cursor()
            self.call_after_refresh(self.scroll_to_cursor)
            self.refresh()

    def _reveal(self, i: int) -> None:
        for ancestor in self.index.ancestors(i):
            self.folded.discard(self.index.rows[ancestor].id)
