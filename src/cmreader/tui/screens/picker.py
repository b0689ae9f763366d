"""The base of the list screens (inbox, queue, search): a paged list, its keys and its writes."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from cmreader.sanitize import clean_excerpt, clean_line
from cmreader.store.models import Blog, CommentRow
from cmreader.tui import keys, moderation_words, safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.blog_choice import BlogChoice, BlogsRead, blog_name
from cmreader.tui.messages import AnswerMarked, Moderated, ModerationUndone
from cmreader.tui.timefmt import clock_of, relative
from cmreader.tui.widgets.paged_list import PagedList, PageSource

if TYPE_CHECKING:
    from cmreader.store import Store
    from cmreader.store.models import Moderation
    from cmreader.tui.workers import ReaderCalls


class GoTo(NamedTuple):
    """Where a list screen sends the reader: an episode, and a comment in it (or None)."""

    post_id: int
    comment_id: int | None


class ReplyTo(GoTo):
    """Like GoTo, with the composer opened on that comment (r in the inbox)."""

    __slots__ = ()


# Every printable key, as Textual names them.


class TypingInput(Input):
    """An Input where every printable key types, and the footer says so.

    The Input takes printable keys before any binding runs; these bindings of its own, never
    run, shadow the screen's and the App's one-key bindings, so the footer does not offer
    them while it has focus.
    """

    BINDINGS = [keys.TYPED]

    def action_typed(self) -> None:
        """Never called: the key was typed into the Input first."""


# What an entry shows while its write is under way.
_DOING = {"approved": "approving…", "spam": "spam…", "trash": "trashing…"}
_STATUS_STYLES = {"approved": "green", "pending": "bold yellow", "spam": "red", "trash": "red"}


def comment_lines(
    title: str, blog: str | None, author: str | None, status: str | None, when: str,
    body: str, width: int,
) -> list[Text]:
    """Episode title [· blog]; then author, status and date; then one line of the comment."""
    first = safe_text.text((clean_line(title) or "(untitled)", "bold"))
    if blog:
        first.append_text(safe_text.text((" · ", "dim"), (clean_line(blog), "dim")))
    second = safe_text.text("  ", (clean_line(author or "") or "anonymous", "cyan"))
    if status:
        second.append_text(safe_text.text(
            (" · ", "dim"), (moderation_words.status_word(status), _STATUS_STYLES.get(status, ""))
        ))
    if when:
        second.append_text(safe_text.text((" · ", "dim"), (when, "dim")))
    third = safe_text.text("  ", (clean_excerpt(body, max(20, width)), "italic"))
    return [first, second, third]


@dataclass(frozen=True)
class Commented:
    """The comment an entry stands for, as a write needs it."""

    comment_id: int
    author: str | None
    status: str | None  # None: not known from the entry (a search hit)


class ListScreen(Screen[GoTo | None]):
    """A paged list of comments: enter goes to one, a/s/d moderate it and move on, u undoes.

    Dismisses with a GoTo (a ReplyTo for r), or None for q and escape. The writes go through
    the reader's ReaderCalls (calls), their answers come back to this screen.
    """

    DEFAULT_CSS = """
    ListScreen .screen-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $panel;
    }
    """

    BINDINGS = [
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
        Binding("a", "moderate('approved')", "Approve", id="approve"),
        Binding("s", "moderate('spam')", "Spam", id="spam"),
        Binding("d", "moderate('trash')", "Trash", id="trash"),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("b", "next_blog", "Blog"),
    ]

    # What the list says when it is empty.
    EMPTY = "Nothing here."

    paged = getters.query_one(PagedList)
    heading = getters.query_one(".screen-title", Static)

    @dataclass
    class CommentRead(Message):
        """The row of the comment an action needs (x marks a CommentRow)."""

        row: CommentRow | None
        intent: str

    def __init__(
        self, store: Store, calls: ReaderCalls | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.store = store
        self._visited = False  # shown once already: a resume reads the list again
        self.calls = calls  # None: a list to read and open only, no writes
        self.blogs = BlogChoice()
        # What u undoes, last first: moderations (Moderation) and answered marks (CommentRow).
        self.undo_stack: list[Moderation | CommentRow] = []

    # -- what a screen defines -------------------------------------------------------------

    def source(self) -> PageSource[Any] | None:
        raise NotImplementedError

    def heading_pieces(self, total: int | None) -> tuple[safe_text.Piece, ...]:
        raise NotImplementedError

    def entry_lines(self, entry: Any, width: int) -> list[Text]:
        raise NotImplementedError

    def commented(self, entry: Any) -> Commented | None:
        """The comment an entry stands for; None for an episode (a search hit)."""
        return Commented(entry.comment_id, entry.author, getattr(entry, "status", None))

    def target(self, entry: Any) -> GoTo:
        return GoTo(entry.post_id, entry.comment_id)

    def compose_top(self) -> ComposeResult:
        """Widgets between the title and the list."""
        yield from ()

    # -- building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(safe_text.text(""), id=f"{self.id}-title", classes="screen-title")
        yield from self.compose_top()
        yield PagedList(self.entry_lines, _entry_key, id=f"{self.id}-list")
        yield Footer(compact=True)  # the list screens have many keys: every one in 100 columns

    def on_mount(self) -> None:
        # Textual runs a subclass's on_mount first, then this one: never call it from there.
        self.paged.empty_text = safe_text.text(("  " + self.EMPTY, "dim"))
        self.first_focus().focus()
        self._read_blogs()
        self.show_list()

    def on_screen_resume(self) -> None:
        # Kept between visits (the reader installs the inbox): shown again, it reads what
        # changed meanwhile, with its order, filter, blog and cursor as they were.
        if self._visited:
            self.paged.reload()
            self.paged.focus()
        self._visited = True

    def first_focus(self) -> Widget:
        """What has the focus when the screen opens."""
        return self.paged

    def show_list(self) -> None:
        """Read the list again from its first entry (order, filter, blog or query changed)."""
        source = self.source()
        if source is None:
            self.paged.clear()
        else:
            self.paged.show(source)
        self.show_heading(None)

    def show_heading(self, total: int | None) -> None:
        self.heading.update(safe_text.text(*self.heading_pieces(total)))

    @property
    def blog(self) -> Blog | None:
        """The blog the list is narrowed to, or None for all."""
        return self.blogs.current

    @property
    def blog_id(self) -> int | None:
        return self.blogs.current_id

    def blog_pieces(self) -> tuple[safe_text.Piece, ...]:
        blog = self.blog
        return () if blog is None else (" · ", (blog_name(blog), "italic"))

    def blog_title(self, title: str | None) -> str | None:
        """An entry's blog, shown when the store has several and the list is not narrowed."""
        return title if self.blogs.mixed else None

    @property
    def targets(self) -> list[GoTo]:
        """Where the entries read so far would go, in list order."""
        return [self.target(e) for e in self.paged.loaded()]

    @app_work(group="list-blogs")
    def _read_blogs(self) -> None:
        self.post_message(BlogsRead(self.store.list_blogs()))

    def on_blogs_read(self, message: BlogsRead) -> None:
        self.blogs.know(message.blogs)
        self.refresh_bindings()
        self.paged.redraw()  # the blog's name on each entry, now that it is known to differ

    def on_paged_list_counted(self, message: PagedList.Counted) -> None:
        self.show_heading(message.total)

    def on_paged_list_entry_chosen(self, message: PagedList.EntryChosen) -> None:
        message.stop()
        self.dismiss(self.target(message.entry))

    # -- keys ------------------------------------------------------------------------------

    WRITES = frozenset({"moderate", "undo"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITES and (self.calls is None or self.store.read_only):
            return False
        # Undo greys out in the footer while there is nothing to undo (None: shown, disabled).
        if action == "undo":
            return True if self.undo_stack else None
        if action == "next_blog":
            return self.blogs.several
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_next_blog(self) -> None:
        if not self.blogs.several:
            return
        blog = self.blogs.next()
        self.show_list()
        safe_text.notify(self, "Every blog." if blog is None else "Only ",
                         *(() if blog is None else (blog_name(blog), ".")), timeout=2)

    # -- writing ---------------------------------------------------------------------------

    def acting_on(self) -> tuple[Any, Commented] | None:
        """The entry under the cursor and its comment, if there is one to act on."""
        entry = self.paged.current
        if entry is None or self.calls is None:
            return None
        comment = self.commented(entry)
        if comment is None:
            safe_text.notify(self, "That is an episode: only comments are moderated.",
                             timeout=3)
            return None
        return entry, comment

    def action_moderate(self, status: str) -> None:
        found = self.acting_on()
        if found is None or self.calls is None:
            return
        entry, comment = found
        if comment.status == status:
            safe_text.notify(self, *moderation_words.already(status), timeout=2)
            self.paged.advance()
            return
        self.paged.mark(_entry_key(entry), safe_text.text(_DOING.get(status, "…")))
        # As in mutt: the cursor moves on at once; the list reads itself again once the
        # write is done, the cursor staying on the entry it moved to.
        self.paged.advance()
        if comment.status is None:
            # A search hit does not say its status, nor whether it is your own reply.
            self.read_comment(comment.comment_id, status)
        else:
            self.calls.moderate(comment.comment_id, status, author=comment.author, to=self)

    @app_work(group="list-comment")
    def read_comment(self, comment_id: int, intent: str) -> None:
        self.post_message(self.CommentRead(self.store.get_comment(comment_id), intent))

    def on_list_screen_comment_read(self, message: CommentRead) -> None:
        """The row a write needs: x marks it answered, a status moderates it."""
        message.stop()
        row = message.row
        if row is None or self.calls is None:
            return  # gone meanwhile: the next reading of the list drops it
        if message.intent == "answered":
            self.calls.mark(row, True, to=self)
        elif row.origin == "local":
            self.paged.unmark((row.post_id, row.id), at_once=True)
            safe_text.notify(self, "That is your own reply: edit or delete it in the thread.",
                             timeout=3)
        elif row.status == message.intent:
            self.paged.unmark((row.post_id, row.id), at_once=True)
            safe_text.notify(self, *moderation_words.already(row.status), timeout=2)
        else:
            self.calls.moderate(row.id, message.intent, author=row.author, to=self)

    def on_moderated(self, message: Moderated) -> None:
        message.stop()
        done = message.moderation
        self.paged.unmark((done.post_id, done.comment_id))
        self.paged.reload()
        if done.before == done.after:  # it had that status already: nothing to undo
            safe_text.notify(self, *moderation_words.already(done.after), timeout=2)
            return
        self.undo_stack.append(done)
        self.refresh_bindings()
        safe_text.notify(self, *moderation_words.moderated(done, message.author), timeout=3)

    def on_moderation_undone(self, message: ModerationUndone) -> None:
        message.stop()
        done = message.moderation
        self.paged.reload(follow=(done.post_id, done.comment_id))
        safe_text.notify(self, *moderation_words.undone(done), timeout=3)

    def action_undo(self) -> None:
        if not self.undo_stack or self.calls is None:
            return
        last = self.undo_stack.pop()
        self.refresh_bindings()
        if isinstance(last, CommentRow):
            # Waiting again, as x on an answered comment in the thread makes it.
            self.calls.mark(last, False, to=self)
        else:
            self.calls.undo_moderation(last.id, to=self)

    def on_answer_marked(self, message: AnswerMarked) -> None:
        message.stop()
        row = message.row
        if message.answered:
            self.undo_stack.append(row)
            self.refresh_bindings()
            self.paged.unmark((row.post_id, row.id))
            self.paged.reload()
            safe_text.notify(self, "Marked answered: the comment by ",
                             clean_line(row.author or "") or "anonymous", ". u undoes.",
                             timeout=3)
        else:
            self.paged.reload(follow=(row.post_id, row.id))
            safe_text.notify(self, "Undone: the comment waits for your answer again.",
                             timeout=3)

    # -- shared by the screens -------------------------------------------------------------

    def when(self, published: str | None) -> str:
        return relative(published, clock_of(self.app))


def _entry_key(entry: Any) -> Hashable:
    # Inbox entries and search hits both name their episode and comment.
    return (entry.post_id, entry.comment_id)
