"""A Line-API list over entries read a page at a time in workers: only visible lines are drawn."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from cmreader.tui.app_work import app_work

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)

PAGE_SIZE = 50  # entries per SQL read: a few screens of a tall terminal
_PAGES_KEPT = 40  # 2,000 entries: scrolling back is instant, memory stays flat at 30,000
_ENTRIES_DRAWN_KEPT = 300  # rendered entries; the rest are rendered again when scrolled to


class PageSource(Protocol[E_co]):
    """What a PagedList reads, only ever from its workers (each call wraps a Store method)."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> Sequence[E_co]: ...


class PagedList(ScrollView, Generic[E]):
    """Entries of a source, each `entry_lines` lines high, with a cursor on a whole entry.

    It knows the count first, then reads the pages around what is in view; a page not read
    yet shows as a dim placeholder. After an action, reload() reads again with the cursor
    kept on the entry it was moved to (the next one, as in mutt).
    """

    DEFAULT_CSS = """
    PagedList {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    PagedList > .paged-list--cursor { background: $panel; }
    PagedList:focus > .paged-list--cursor { background: $accent 30%; }
    PagedList > .paged-list--placeholder { color: $text-muted; text-style: dim; }
    PagedList > .paged-list--acted { color: $text-muted; }
    PagedList > .paged-list--note { color: $warning; text-style: bold; }
    """

    COMPONENT_CLASSES = {
        "paged-list--cursor",
        "paged-list--placeholder",
        "paged-list--acted",
        "paged-list--note",
    }

    # Ids are the key table's action names: the config's remaps (the App's keymap) move
    # these keys too.
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="cursor_top"),
        Binding("G,end", "last", "Last", show=False, id="cursor_bottom"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "choose", "Go to", show=True),
    ]

    @dataclass
    class Counted(Message):
        """The source's count was read (only the current reading's reaches the screen)."""

        generation: int
        total: int

    @dataclass
    class PageLoaded(Message):
        """One page of entries was read (only the current reading's reaches the screen)."""

        generation: int
        page: int
        entries: Sequence[Any]

    @dataclass
    class EntryChosen(Message):
        """Enter (or a click on the cursor's entry) on an entry that is on screen."""

        index: int
        entry: Any

    def __init__(
        self,
        render_entry: Callable[[E, int], list[Text]],
        key_of: Callable[[E], Hashable],
        *,
        entry_lines: int = 3,
        page_size: int = PAGE_SIZE,
        id: str | None = None,
    ) -> None:
        """render_entry(entry, width) gives the entry's lines, built by safe_text; key_of
        names an entry across readings (a comment id), so the cursor can follow it."""
        super().__init__(id=id)
        self.render_entry = render_entry
        self.key_of = key_of
        self.entry_lines = entry_lines
        self.page_size = page_size
        self.source: PageSource[E] | None = None
        self.total: int | None = None  # None until the count is read
        self.cursor = 0
        # Shown on the first line when the list is empty (built by safe_text).
        self.empty_text: Text | None = None
        self._generation = 0
        self._pages: LRUCache[int, Sequence[E]] = LRUCache(_PAGES_KEPT)
        # The previous reading's pages: shown until this reading's replace them, so acting on
        # an entry never blanks the screen for the few milliseconds of the new reads.
        self._stale: dict[int, Sequence[E]] = {}
        self._asked: set[int] = set()
        self._follow: Hashable | None = None
        self._notes: dict[Hashable, Text] = {}
        self._notes_done: set[Hashable] = set()  # dropped when the next reading's page lands
        self._drawn: LRUCache[tuple[int, int], list[Strip]] = LRUCache(_ENTRIES_DRAWN_KEPT)
        self._pages_wanted_soon = False

    # -- what it shows ---------------------------------------------------------------------

    def show(self, source: PageSource[E]) -> None:
        """Read a new source (another order, filter or query) from its first entry."""
        self._stale = self._all_pages() if self.source is not None else {}
        self.source = source
        self.cursor = 0
        self._follow = None
        self._read_again()
        self.scroll_to(y=0, animate=False, immediate=True)

    def reload(self, follow: Hashable | None = None) -> None:
        """Read the same source again (after a write). The cursor goes to the entry follow
        names (by default the one under it) if it is among the pages read, else stays at its
        index: on the entry that took the place of one that left the list."""
        if self.source is None:
            return
        self._stale = self._all_pages()
        if follow is None:
            current = self.entry_at(self.cursor)
            follow = None if current is None else self.key_of(current)
        self._follow = follow
        self._read_again()

    def clear(self) -> None:
        """Show nothing (a search with no words yet)."""
        self._generation += 1
        self.source = None
        self.total = None
        self.cursor = 0
        self._follow = None
        self._pages.clear()
        self._stale.clear()
        self._asked.clear()
        self._update_virtual_size()
        self.redraw()

    def redraw(self) -> None:
        """Render the entries again (the screen's rendering changed, not the data)."""
        self._drawn.clear()
        self.refresh()

    def mark(self, key: Hashable, note: Text) -> None:
        """Show an entry as acted on, dimmed behind a short note (built by safe_text)."""
        self._notes[key] = note
        self._notes_done.discard(key)
        self.redraw()

    def unmark(self, key: Hashable, *, at_once: bool = False) -> None:
        """The action on that entry is done: its note goes when the next reading's first
        page lands, so the entry never flashes back to how it was before the action
        (at_once: nothing was done, it goes now)."""
        if key not in self._notes:
            return
        if at_once:
            del self._notes[key]
            self._notes_done.discard(key)
            self.redraw()
        else:
            self._notes_done.add(key)

    @property
    def current(self) -> E | None:
        """The entry under the cursor, or None when its page is not read yet."""
        return self.entry_at(self.cursor)

    @property
    def generation(self) -> int:
        """Which reading is current: messages of older ones are dropped."""
        return self._generation

    def entry_at(self, index: int) -> E | None:
        if self.total is not None and not 0 <= index < self.total:
            return None
        page, at = divmod(index, self.page_size)
        entries = self._pages.get(page)
        if entries is None:
            entries = self._stale.get(page)
        return entries[at] if entries is not None and at < len(entries) else None

    def loaded(self) -> list[E]:
        """The entries read so far in this reading, in list order (up to the first gap)."""
        out: list[E] = []
        page = 0
        while (entries := self._pages.get(page)) is not None:
            out.extend(entries)
            if len(entries) < self.page_size:
                break
            page += 1
        return out[: self.total] if self.total is not None else out

    # -- reading ---------------------------------------------------------------------------

    def _all_pages(self) -> dict[int, Sequence[E]]:
        """This reading's pages, and the older ones still in view: what to show meanwhile
        (never more than the cache holds and a screenful)."""
        pages: dict[int, Sequence[E]] = {}
        for page in list(self._pages.keys()):
            entries = self._pages.get(page)
            if entries is not None:
                pages[page] = entries
        for page in self._wanted_pages():
            if page not in pages and page in self._stale:
                pages[page] = self._stale[page]
        return pages

    def _read_again(self) -> None:
        self._generation += 1
        self._pages.clear()
        self._asked.clear()
        self._drawn.clear()
        assert self.source is not None
        self._read_count(self.source, self._generation)
        # At once, beside the count: the first screen needs both and each is one SQL read.
        self._want_pages()
        self.refresh()

    @app_work(group="paged-list-count")
    def _read_count(self, source: PageSource[E], generation: int) -> None:
        self.post_message(self.Counted(generation, source.count()))

    @app_work(group="paged-list-page")
    def _read_page(self, source: PageSource[E], generation: int, page: int) -> None:
        entries = source.page(page * self.page_size, self.page_size)
        self.post_message(self.PageLoaded(generation, page, entries))

    def _window(self) -> tuple[int, int]:
        """First and last entry index in view."""
        top = int(self.scroll_y)
        height = max(1, self.scrollable_content_region.height or self.size.height)
        return top // self.entry_lines, (top + height - 1) // self.entry_lines

    def _wanted_pages(self) -> range:
        """The pages covering the view and a screen either side of it."""
        first, last = self._window()
        span = last - first + 1
        low, high = max(0, first - span), last + span
        if self.total is not None:
            high = min(high, self.total - 1)
        if high < low:
            return range(0)
        return range(low // self.page_size, high // self.page_size + 1)

    def _want_pages(self) -> None:
        """Ask for the wanted pages not read or asked for yet in this reading."""
        if self.source is None:
            return
        for page in self._wanted_pages():
            if page in self._asked or page in self._pages:
                continue
            self._asked.add(page)
            self._read_page(self.source, self._generation, page)

    def _want_pages_soon(self) -> None:
        # Scrolling moves many lines a frame: ask once per frame, for where it ended.
        if not self._pages_wanted_soon:
            self._pages_wanted_soon = True
            self.call_after_refresh(self._pages_wanted)

    def _pages_wanted(self) -> None:
        self._pages_wanted_soon = False
        self._want_pages()

    def on_paged_list_counted(self, message: PagedList.Counted) -> None:
        if message.generation != self._generation:
            message.stop()
            return
        self.total = message.total
        if self.total == 0:
            self._stale.clear()
        self.cursor = min(self.cursor, max(0, self.total - 1))
        self._update_virtual_size()
        self._want_pages()
        self._settle_cursor()
        self._drawn.clear()
        self.refresh()

    def on_paged_list_page_loaded(self, message: PagedList.PageLoaded) -> None:
        if message.generation != self._generation:
            message.stop()
            return
        self._asked.discard(message.page)
        self._pages.set(message.page, message.entries)
        for key in self._notes_done:
            self._notes.pop(key, None)
        self._notes_done.clear()
        self._stale.pop(message.page, None)
        if len(message.entries) < self.page_size and self.total is not None:
            # Fewer than counted (a comment left the list between the two reads): the end
            # is here, not a placeholder that never fills.
            self.total = min(self.total, message.page * self.page_size + len(message.entries))
            self.cursor = min(self.cursor, max(0, self.total - 1))
            self._update_virtual_size()
        self._settle_cursor()
        self._drawn.clear()
        self.refresh()

    def _settle_cursor(self) -> None:
        """After a reload: once the pages in view are read, put the cursor on the entry it
        was on if it is among them; else it stays at its index."""
        if self._follow is None or self.total is None or self._asked:
            return
        follow, self._follow = self._follow, None
        best: int | None = None
        for page in list(self._pages.keys()):
            for at, entry in enumerate(self._pages.get(page) or ()):
                index = page * self.page_size + at
                if self.key_of(entry) == follow and (
                    best is None or abs(index - self.cursor) < abs(best - self.cursor)
                ):
                    best = index
        if best is not None and best < self.total:
            self.cursor = best
        self.scroll_to_cursor()

    # -- layout ----------------------------------------------------------------------------

    @property
    def line_width(self) -> int:
        return max(10, self.scrollable_content_region.width or self.size.width or 80)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.line_width, (self.total or 0) * self.entry_lines)

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.clear()
        self._update_virtual_size()
        self.scroll_to_cursor()
        self._want_pages()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn.clear()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_pages_soon()

    def scroll_to_cursor(self) -> None:
        region = Region(0, self.cursor * self.entry_lines, self.line_width, self.entry_lines)
        self.scroll_to_region(region, animate=False, immediate=True, x_axis=False)

    # -- drawing ---------------------------------------------------------------------------

    def _strips(self, index: int, width: int) -> list[Strip]:
        strips = self._drawn.get((index, width))
        if strips is not None:
            return strips
        entry = self.entry_at(index)
        if entry is None:
            lines = [Text("  …", style=self._foreground("paged-list--placeholder"))]
        else:
            lines = self.render_entry(entry, width)
            note = self._notes.get(self.key_of(entry))
            if note is not None:
                lines = self._noted(lines, note)
        console = self.app.console
        base = self.rich_style
        strips = []
        for n in range(self.entry_lines):
            if n >= len(lines):
                strips.append(Strip.blank(width, base))
                continue
            # Text.render draws spans only: a style given to the whole Text becomes one.
            line = Text(end="")
            line.append_text(lines[n])
            line.truncate(width, overflow="ellipsis")
            strips.append(
                Strip(list(line.render(console))).crop_extend(0, width, None).apply_style(base)
            )
        if entry is not None:
            self._drawn.set((index, width), strips)
        return strips

    def _foreground(self, component: str) -> Style:
        """A component's colour and text style over the line's background (a muted colour is
        given as blended with the background, which a partial style would not do)."""
        style = self.get_component_rich_style(component)
        return Style(color=style.color, bold=style.bold, dim=style.dim, italic=style.italic)

    def _noted(self, lines: list[Text], note: Text) -> list[Text]:
        """The note first on the entry's first line, the rest dimmed: an action is under way."""
        acted = self._foreground("paged-list--acted")
        first = self._foreground("paged-list--note")
        out = []
        for n, line in enumerate(lines):
            dimmed = Text(line.plain, style=acted, no_wrap=True, end="")
            if n == 0:
                dimmed = Text.assemble(Text(note.plain, style=first), " ", dimmed)
            out.append(dimmed)
        return out

    def render_line(self, y: int) -> Strip:
        width = self.line_width
        index, line = divmod(int(self.scroll_y) + y, self.entry_lines)
        if self.total is None or index >= self.total:
            if self.total == 0 and index == 0 and line == 0 and self.empty_text is not None:
                text = Text(end="")
                text.append_text(self.empty_text)
                text.truncate(width, overflow="ellipsis")
                return (Strip(list(text.render(self.app.console)))
                        .crop_extend(0, width, None).apply_style(self.rich_style))
            return Strip.blank(width, self.rich_style)
        strip = self._strips(index, width)[line]
        if index == self.cursor:
            # Over the line's own background, so the whole entry shows as selected.
            cursor: Style = self.get_component_rich_style("paged-list--cursor")
            highlight = Style(bgcolor=cursor.bgcolor)
            strip = Strip(Segment.apply_style(strip, post_style=highlight), strip.cell_length)
        return strip

    def on_click(self, event: events.Click) -> None:
        index = (int(self.scroll_y) + event.y) // self.entry_lines
        if self.total is None or not 0 <= index < self.total:
            return
        if index == self.cursor:
            self.action_choose()
        else:
            self.move_to(index)

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """Put the cursor on entry index (kept within the list) and scroll it into view."""
        if not self.total:
            return
        self.cursor = max(0, min(index, self.total - 1))
        self._follow = None  # the user moved: a reload in flight no longer moves the cursor
        self.scroll_to_cursor()
        self._want_pages()
        self.refresh()

    def advance(self) -> None:
        """To the next entry, if there is one: after acting on this one."""
        self.move_to(self.cursor + 1)

    @property
    def _screenful(self) -> int:
        height = self.scrollable_content_region.height or self.size.height
        return max(1, height // self.entry_lines)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to((self.total or 0) - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self._screenful)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self._screenful)

    def action_choose(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(self.EntryChosen(self.cursor, entry))
