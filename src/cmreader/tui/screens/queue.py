"""The moderation queue: every pending comment across blogs, oldest first, a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from cmreader.store.models import InboxEntry
from cmreader.tui import safe_text
from cmreader.tui.screens.picker import ListScreen, comment_lines
from cmreader.tui.widgets.paged_list import PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.tui.workers import ReaderCalls


@dataclass(frozen=True)
class QueueSource:
    """The pending comments of one blog (None: all), oldest first; called from workers only."""

    store: Store
    blog_id: int | None = None

    def count(self) -> int:
        return self.store.queue_count(blog_id=self.blog_id)

    def page(self, offset: int, limit: int) -> Sequence[InboxEntry]:
        return self.store.queue_page(offset=offset, limit=limit, blog_id=self.blog_id)


class QueueScreen(ListScreen):
    """a approves, s marks as spam, d trashes the comment under the cursor and moves on."""

    EMPTY = "Nothing waits for moderation."

    def __init__(self, store: Store, calls: ReaderCalls | None = None) -> None:
        super().__init__(store, calls, id="queue")

    def source(self) -> PageSource[InboxEntry]:
        return QueueSource(self.store, self.blog_id)

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        if total == 0 and self.blog is None:
            return (self.EMPTY,)
        counted = "…" if total is None else f"{total:,}"
        return ("Waiting for moderation: ", counted, " · oldest first", *self.blog_pieces())

    def entry_lines(self, entry: InboxEntry, width: int) -> list[Text]:
        return comment_lines(entry.post_title, self.blog_title(entry.blog_title), entry.author,
                             entry.status, self.when(entry.published), entry.body, width)
