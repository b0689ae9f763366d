"""The drafts list (D): every reply begun and not sent, across blogs, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from cmreader.sanitize import clean_excerpt, clean_line
from cmreader.store.models import DraftEntry
from cmreader.tui import safe_text
from cmreader.tui.messages import ComposeTarget, DraftSaved, WriteFailed
from cmreader.tui.screens.picker import Commented, GoTo, ListScreen
from cmreader.tui.widgets.paged_list import PagedList, PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.tui.workers import ReaderCalls


@dataclass(frozen=True)
class DraftsSource:
    """The unsent drafts of one blog (None: all), newest first; called from workers only."""

    store: Store
    blog_id: int | None = None

    def count(self) -> int:
        return self.store.drafts_count(blog_id=self.blog_id)

    def page(self, offset: int, limit: int) -> Sequence[DraftEntry]:
        return self.store.drafts_page(offset=offset, limit=limit, blog_id=self.blog_id)


def draft_target(entry: DraftEntry) -> ComposeTarget:
    """The composer's target for a draft, headed as the reader heads a new reply."""
    if entry.parent_id is None:
        heading = f"Comment on “{clean_line(entry.post_title)}”"
        return ComposeTarget(entry.post_id, None, heading=heading, post_key=entry.post_key)
    author = clean_line(entry.parent_author or "") or "anonymous"
    return ComposeTarget(entry.post_id, entry.parent_id, heading=f"Reply to {author}",
                         quote=clean_excerpt(entry.parent_body or "", 200),
                         post_key=entry.post_key, parent_key=entry.parent_key)


class DraftsScreen(ListScreen):
    """enter resumes a draft in the reader (the composer opens on it); d discards one."""

    BINDINGS = [
        Binding("d", "discard", "Discard", id="discard_draft"),
    ]
    EMPTY = "No drafts: every reply you began was sent."

    def __init__(
        self, store: Store, calls: ReaderCalls, resume: Callable[[ComposeTarget], None]
    ) -> None:
        super().__init__(store, calls, id="drafts")
        self.resume = resume

    def source(self) -> PageSource[DraftEntry]:
        return DraftsSource(self.store, self.blog_id)

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        counted = "…" if total is None else f"{total:,}"
        return ("Drafts not sent: ", counted, " · newest first", *self.blog_pieces())

    def entry_lines(self, entry: DraftEntry, width: int) -> list[Text]:
        first = safe_text.text((clean_line(entry.post_title) or "(untitled)", "bold"))
        blog = self.blog_title(entry.blog_title)
        if blog:
            first.append_text(safe_text.text((" · ", "dim"), (blog, "dim")))
        if entry.parent_id is None:
            second = safe_text.text("  ", ("on the episode", "cyan"))
        else:
            second = safe_text.text(
                "  reply to ", (clean_line(entry.parent_author or "") or "anonymous", "cyan"),
                (" · ", "dim"), (clean_excerpt(entry.parent_body or "", max(20, width)),
                                 "dim italic"))
        when = self.when(entry.updated_at)
        if when:
            second.append_text(safe_text.text((" · ", "dim"), (when, "dim")))
        third = safe_text.text("  ", (clean_excerpt(entry.body, max(20, width)), "italic"))
        return [first, second, third]

    def commented(self, entry: DraftEntry) -> Commented | None:
        return None  # a draft is yours: nothing to moderate

    def target(self, entry: DraftEntry) -> GoTo:
        return GoTo(entry.post_id, entry.parent_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("moderate", "undo"):
            return False  # drafts are not moderated
        if action == "discard":
            return not self.store.read_only
        return super().check_action(action, parameters)

    # -- keys ------------------------------------------------------------------------------

    def on_paged_list_entry_chosen(self, message: PagedList.EntryChosen) -> None:
        # Instead of the list screens' own (which only goes to the comment).
        message.stop()
        message.prevent_default()
        self.action_resume()

    def action_resume(self) -> None:
        entry = self.paged.current
        if entry is None:
            return
        # The composer opens on the draft as the reader goes to its episode and comment.
        self.resume(draft_target(entry))
        self.dismiss(self.target(entry))

    def action_discard(self) -> None:
        entry = self.paged.current
        if entry is None or self.calls is None:
            return
        from cmreader.tui.screens.confirm import ConfirmScreen

        calls = self.calls

        def answer(yes: bool | None) -> None:
            if yes:
                self.paged.mark((entry.post_id, entry.comment_id), safe_text.text("discarding…"))
                calls.save_draft(draft_target(entry), None, to=self)

        question = f"Discard your draft “{clean_excerpt(entry.body, 60)}”?"
        self.app.push_screen(ConfirmScreen(question), answer)

    def on_draft_saved(self, message: DraftSaved) -> None:
        message.stop()
        if self.calls is not None:
            self.calls.answered()
        self.paged.unmark((message.target.post_id, self._draft_id(message.target)))
        self.paged.reload()
        safe_text.notify(self, "Draft discarded.", timeout=3)

    def on_write_failed(self, message: WriteFailed) -> None:
        message.stop()
        if self.calls is not None:
            self.calls.answered()
        self.paged.reload()
        safe_text.notify(self, "Not discarded: ", message.problem, severity="error", timeout=10)

    def _draft_id(self, target: ComposeTarget) -> int | None:
        for entry in self.paged.loaded():
            if (entry.post_id, entry.parent_id) == (target.post_id, target.parent_id):
                return entry.comment_id
        return None
