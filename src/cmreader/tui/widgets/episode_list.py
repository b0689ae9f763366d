"""The episode list: two lines per post, read a page at a time, only what is in view drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.visual import visualize

from cmreader.sanitize import clean_line
from cmreader.store.models import PostSummary
from cmreader.tui import keys
from cmreader.tui.app_work import app_work
from cmreader.tui.timefmt import short_date
from cmreader.tui.widgets.paged_list import PagedList, PageSource

if TYPE_CHECKING:
    from textual.style import Style

# Moving through the list opens episodes, but only once the cursor rests: holding j must not
# load every thread on the way.
_OPEN_DELAY = 0.15
_ENTRIES_DRAWN_KEPT = 300  # as the paged list keeps: a few screens, whatever the list's length

_STATUS_NAMES = {"draft": "draft", "private": "private", "pending": "pending",
                 "future": "scheduled"}


def episode_prompt(post: PostSummary, blog: str | None = None) -> Text:
    """Two lines: marker and title; then how many wait for you, how many are held for
    moderation, what is new, a draft begun, the comment count, the date and, when given, the
    blog."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("● " if post.unread else "  ", "bold cyan")
    if post.status != "publish":
        # Drafts, private, pending and scheduled posts: said first, a narrow pane cuts the end.
        text.append(f"{_STATUS_NAMES.get(post.status, clean_line(post.status))} ", "italic yellow")
    text.append(clean_line(post.title or "") or "(untitled)", "bold" if post.unread else "")
    # What needs you first: in a narrow pane the end of this line is cut off.
    text.append("\n  ")
    if post.waiting_count:
        text.append(f"{post.waiting_count} waiting", "bold yellow")
        text.append(" · ", "dim")
    if post.pending_count:
        text.append(f"{post.pending_count} held", "bold magenta")
        text.append(" · ", "dim")
    if post.new_count:
        text.append(f"{post.new_count} new", "green")
        text.append(" · ", "dim")
    if post.has_draft:
        # A reply begun here and not sent: D lists them all.
        text.append("✎ draft", "bold cyan")
        text.append(" · ", "dim")
    text.append(f"{post.comment_count} comment{'s' if post.comment_count != 1 else ''}", "dim")
    date = short_date(post.published)
    if date:
        text.append(" · " + date, "dim")
    if blog:
        text.append(" · ", "dim")
        text.append(clean_line(blog), "dim italic")
    return text


class EpisodeSource(PageSource[PostSummary], Protocol):
    """What the episode list reads, only ever from its workers (each call wraps a Store
    method): its count, its pages, and where one episode stands in it."""

    def position(self, post_id: int) -> int | None: ...


class Shown(NamedTuple):
    """An entry as the list draws it: its post's id (a str, as an Option's id) and prompt."""

    id: str
    prompt: Text


class EpisodeList(PagedList[PostSummary]):
    """Episodes newest first; moving the cursor opens the episode in the other panes.

    It draws as the OptionList it replaces did (the same styles, the same way of rendering a
    prompt), but holds only the pages around the view: 30,000 episodes open as 20 do.
    """

    DEFAULT_CSS = """
    EpisodeList {
        color: $foreground;
        padding: 0 1;
    }
    EpisodeList:focus {
        background-tint: $foreground 5%;
    }
    EpisodeList > .episode-list--cursor {
        color: $foreground;
        background: $panel;
        text-style: $block-cursor-blurred-text-style;
    }
    EpisodeList:focus > .episode-list--cursor {
        color: $block-cursor-foreground;
        background: $accent 40%;
        text-style: $block-cursor-text-style;
    }
    """

    COMPONENT_CLASSES = {"episode-list--cursor"}

    # The paged list's keys under the key table's names for this pane (so the config's remaps
    # and the help screen name them as before); page up and down as the OptionList had them.
    BINDINGS = [
        *keys.bindings("list"),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
    ]
    HELP = "Episodes: j/k move, enter opens the episode and moves to its comments."

    @dataclass
    class EpisodeChosen(Message):
        """The user moved to (or pressed enter on) an episode."""

        post_id: int
        focus_comments: bool

    @dataclass
    class PositionFound(Message):
        """Where an episode stands in the source's list (None: it is not in it)."""

        source: EpisodeSource
        post_id: int
        index: int | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(self._entry_lines, _post_key, entry_lines=2, id=id)
        self.source: EpisodeSource | None = None
        self._timer: Timer | None = None
        # Open the cursor's episode once its page is read (True: and focus its comments).
        self._open_when_read: bool | None = None
        self._blog_names: dict[int, str] = {}
        # The episode highlight_post asked for, and its index once found before the count.
        self._placing: int | None = None
        self._place_when_counted: int | None = None
        self._counted = -1  # the reading whose count is known
        self._rendered: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(_ENTRIES_DRAWN_KEPT)

    # -- what it shows ---------------------------------------------------------------------

    def seed(
        self, source: EpisodeSource, first: Sequence[PostSummary], *, complete: bool
    ) -> None:
        """Show source, whose first entries were read already (before the app started): they
        are drawn in the first frame, with no worker; complete says they are all there are.
        Otherwise the count and the pages are read after that frame."""
        size = self.page_size
        pages: dict[int, Sequence[PostSummary]] = {
            n // size: first[n : n + size] for n in range(0, len(first), size)}
        self.cursor = 0
        self.total = len(first)  # until counted
        if complete:
            self.source = source
            for page, entries in pages.items():
                self._pages.set(page, entries)
            self._counted = self.generation
        else:
            # Shown as a previous reading's pages are, until this reading's replace them. No
            # source yet: a resize before the first frame would read the pages at once.
            self._stale = pages
            self.call_after_refresh(self._read_seeded, source)
        self._update_virtual_size()
        self.refresh()

    def _read_seeded(self, source: EpisodeSource) -> None:
        if self.source is None:  # nothing else was shown meanwhile
            self.source = source
            self._read_again()

    def name_blogs(self, names: Mapping[int, str]) -> None:
        """The blog each entry names (by blog id): given while the list shows several blogs'
        episodes, empty otherwise."""
        if names != self._blog_names:
            self._blog_names = dict(names)
            self.refresh()

    def mark_seen(self, post_id: int) -> None:
        """The episode was opened: it is no longer unread, nothing in it is new."""
        for page in list(self._pages.keys()):
            if (seen := _seen(self._pages.get(page), post_id)) is not None:
                self._pages.discard(page)  # LRUCache.set keeps a key's first value
                self._pages.set(page, seen)
        for page, entries in list(self._stale.items()):
            if (seen := _seen(entries, post_id)) is not None:
                self._stale[page] = seen
        self.refresh()

    def highlight_post(self, post_id: int) -> None:
        """Put the cursor on this episode without opening it (it is open already); when its
        page is not read, its place in the list is looked up first."""
        if self._timer is not None:
            self._timer.stop()
        self._open_when_read = None
        index = self._read_index(post_id)
        if index is not None:
            self._placing = None
            super().move_to(index)
        elif self.source is not None:
            self._placing = post_id
            self._find_position(self.source, post_id)

    def _read_index(self, post_id: int) -> int | None:
        """The episode's index among the pages of this reading, if it is there."""
        for page in list(self._pages.keys()):
            for at, post in enumerate(self._pages.get(page) or ()):
                if post.id == post_id:
                    return page * self.page_size + at
        return None

    @app_work(group="episode-position")
    def _find_position(self, source: EpisodeSource, post_id: int) -> None:
        self.post_message(self.PositionFound(source, post_id, source.position(post_id)))

    def on_episode_list_position_found(self, message: PositionFound) -> None:
        message.stop()
        if message.source is not self.source or message.post_id != self._placing:
            return  # another list by now, or another episode asked for since
        self._placing = None
        if message.index is None:
            return  # not in this list (another blog's): the cursor stays
        if self._counted != self.generation:
            self._place_when_counted = message.index  # the total so far may end before it
        else:
            super().move_to(message.index)

    def on_paged_list_counted(self, message: PagedList.Counted) -> None:
        # The paged list's own handler first (Textual would call it after this one).
        super().on_paged_list_counted(message)
        message.prevent_default()
        if message.generation != self.generation:
            return
        self._counted = self.generation
        index, self._place_when_counted = self._place_when_counted, None
        if index is not None:
            super().move_to(index)

    def on_paged_list_page_loaded(self, message: PagedList.PageLoaded) -> None:
        super().on_paged_list_page_loaded(message)
        message.prevent_default()
        if self._open_when_read is not None and self.current is not None:
            self._open(self._open_when_read)

    # -- what the older tests read: the OptionList's names ---------------------------------

    @property
    def highlighted_option(self) -> Shown | None:
        return self._shown(self.cursor)

    def get_option_at_index(self, index: int) -> Shown:
        shown = self._shown(index)
        if shown is None:
            raise IndexError(f"no episode read at {index}")
        return shown

    @property
    def _options(self) -> list[Shown]:
        return [s for i in range(self.total or 0) if (s := self._shown(i)) is not None]

    def _shown(self, index: int) -> Shown | None:
        post = self.entry_at(index)
        if post is None:
            return None
        return Shown(str(post.id), episode_prompt(post, self._blog_of(post)))

    # -- drawing ---------------------------------------------------------------------------

    def _blog_of(self, post: PostSummary) -> str | None:
        return None if post.blog_id is None else self._blog_names.get(post.blog_id)

    def _entry_lines(self, post: PostSummary, width: int) -> list[Text]:
        """The entry's two lines (the paged list's way of asking; render_line draws)."""
        return list(episode_prompt(post, self._blog_of(post)).split("\n"))

    def render_line(self, y: int) -> Strip:
        # As OptionList draws an option: its prompt as a Visual, in the line's style.
        width = self.line_width
        index, line = divmod(int(self.scroll_y) + y, self.entry_lines)
        if self.total is None or not 0 <= index < self.total:
            return Strip.blank(width, self.get_visual_style().rich_style)
        if index == self.cursor:
            style = self.get_visual_style("episode-list--cursor")
        else:
            style = self.get_visual_style()
        return self._entry_strips(index, width, style)[line]

    def _entry_strips(self, index: int, width: int, style: Style) -> list[Strip]:
        post = self.entry_at(index)
        blog = None if post is None else self._blog_of(post)
        key = (post, blog, width, style)
        strips = self._rendered.get(key)
        if strips is not None:
            return strips
        if post is None:
            prompt = Text("  …", style=self._foreground("paged-list--placeholder"), end="")
        else:
            prompt = episode_prompt(post, blog)  # every piece cleaned, none read as markup
        visual = visualize(self, prompt, markup=False)
        strips = [
            strip.extend_cell_length(width, style.rich_style)
            for strip in visual.to_strips(self, visual, width, None, style)
        ][: self.entry_lines]
        strips += [Strip.blank(width, style.rich_style)] * (self.entry_lines - len(strips))
        if post is not None:
            self._rendered.set(key, strips)
        return strips

    # -- moving ----------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        """The user moves the cursor: the episode there opens once it rests."""
        before = self.cursor
        super().move_to(index)
        if self.cursor != before:
            self._placing = None  # the user's place wins over one being looked up
            self._place_when_counted = None
            if self._timer is not None:
                self._timer.stop()
            self._open_when_read = None
            self._timer = self.set_timer(_OPEN_DELAY, self._open)

    def _open(self, focus_comments: bool = False) -> None:
        post = self.current
        if post is None:
            self._open_when_read = focus_comments  # its page is on its way
            return
        self._open_when_read = None
        self.post_message(self.EpisodeChosen(post.id, focus_comments))

    def action_choose(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._open(focus_comments=True)

    def action_open(self) -> None:
        self.action_choose()

    def action_cursor_top(self) -> None:
        self.action_first()

    def action_cursor_bottom(self) -> None:
        self.action_last()


def _post_key(post: PostSummary) -> int:
    return post.id


def _seen(entries: Sequence[PostSummary] | None, post_id: int) -> list[PostSummary] | None:
    """The page with that episode no longer unread nor new; None when nothing changes."""
    for at, post in enumerate(entries or ()):
        if post.id == post_id and (post.unread or post.new_count):
            seen = list(entries or ())
            seen[at] = post._replace(unread=False, new_count=0)
            return seen
    return None
