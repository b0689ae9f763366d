"""The commenter's history (w): everything one person wrote, across episodes and blogs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from cmreader.errors import StoreError
from cmreader.sanitize import clean_excerpt, clean_line
from cmreader.store.models import Commenter, CommentRow, HistoryEntry
from cmreader.tui import moderation_words, safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import Moderated
from cmreader.tui.screens.picker import ListScreen, ReplyTo
from cmreader.tui.timefmt import short_date
from cmreader.tui.widgets.paged_list import PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.tui.workers import ReaderCalls

_STATUS_STYLES = {"approved": "green", "pending": "bold yellow", "spam": "red", "trash": "red"}


@dataclass(frozen=True)
class HistorySource:
    """One commenter's comments, newest first; called from workers only."""

    store: Store
    key: str

    def count(self) -> int:
        return self.store.history_count(self.key)

    def page(self, offset: int, limit: int) -> Sequence[HistoryEntry]:
        return self.store.history_page(self.key, offset=offset, limit=limit)


@dataclass
class CommenterRead(Message):
    """Who wrote the comment (None: it names no one), and their counts."""

    commenter: Commenter | None


class HistoryScreen(ListScreen):
    """enter goes to a comment, r answers it; a/s/d moderate it, as in the other lists."""

    BINDINGS = [Binding("r", "reply", "Reply", id="reply")]
    EMPTY = "No comment by this commenter."

    def __init__(self, store: Store, calls: ReaderCalls | None, row: CommentRow) -> None:
        super().__init__(store, calls, id="history")
        self.row = row
        self.commenter: Commenter | None = None

    def on_mount(self) -> None:
        self._read_commenter()

    def on_screen_resume(self) -> None:
        if self._visited:
            self._read_commenter()  # a moderation meanwhile changes the counts
        super().on_screen_resume()

    @app_work(group="history-commenter", exclusive=True)
    def _read_commenter(self) -> None:
        try:
            key = self.commenter.key if self.commenter else self.store.author_key(self.row.id)
        except StoreError:  # a comment that names no author has no history
            self.post_message(CommenterRead(None))
            return
        self.post_message(CommenterRead(self.store.commenter(key)))

    def on_commenter_read(self, message: CommenterRead) -> None:
        message.stop()
        first = self.commenter is None
        self.commenter = message.commenter
        if first:
            self.show_list()
        else:
            self.show_heading(self.paged.total)
        if message.commenter is None:
            safe_text.notify(self, "This comment names no author: it has no history.",
                             severity="warning")

    def source(self) -> PageSource[HistoryEntry] | None:
        return None if self.commenter is None else HistorySource(self.store, self.commenter.key)

    def on_moderated(self, message: Moderated) -> None:
        # Besides the list screens' own handler: the counts change with a moderation.
        self._read_commenter()

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        who = self.commenter
        name = clean_line((who.name if who else self.row.author) or "") or "anonymous"
        if who is None:
            return ("Comments by ", (name, "italic"))
        since = short_date(who.first_at)
        where = f"{who.episodes} episode" + ("s" if who.episodes != 1 else "")
        if who.blogs > 1:
            where += f" on {who.blogs} blogs"
        return (
            "Comments by ", (name, "bold"), f": {who.comments:,}",
            *((" · first came ", since) if since else ()),
            f" · {where} · {who.answered:,} answered · ", (f"{who.spam:,} spam",
                                                          "red" if who.spam else ""),
            " · newest first",
        )

    def entry_lines(self, entry: HistoryEntry, width: int) -> list[Text]:
        first = safe_text.text((clean_line(entry.post_title) or "(untitled)", "bold"))
        if entry.blog_title and self.commenter is not None and self.commenter.blogs > 1:
            first.append_text(safe_text.text((" · ", "dim"), (entry.blog_title, "dim")))
        second = safe_text.text(
            "  ", (moderation_words.status_word(entry.status),
                   _STATUS_STYLES.get(entry.status, "")))
        if entry.answered is not None:
            second.append_text(safe_text.text(
                (" · ", "dim"),
                ("answered", "green") if entry.answered else ("not answered", "bold yellow")))
        when = self.when(entry.published)
        if when:
            second.append_text(safe_text.text((" · ", "dim"), (when, "dim")))
        third = safe_text.text("  ", (clean_excerpt(entry.body, max(20, width)), "italic"))
        return [first, second, third]

    def action_reply(self) -> None:
        entry = self.paged.current
        if entry is not None:
            self.dismiss(ReplyTo(entry.post_id, entry.comment_id))
