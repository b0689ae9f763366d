"""The reader screen: episode list, article and conversation; routes their asks to the store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from cmreader.store.models import CommentRow, Post, PostSummary
from cmreader.tui import keys, moderation_words, safe_text
from cmreader.tui.app_work import app_work
from cmreader.tui.blog_choice import BlogChoice, BlogsRead, blog_name
from cmreader.tui.episode_source import StoreEpisodes
from cmreader.tui.messages import (
    AnswerMarked,
    EpisodeLoaded,
    Moderated,
    ModerationUndone,
    ReplyDeleted,
    ReplyRestored,
    ReplySent,
    Select,
    StoreBusy,
    ThreadReloaded,
    TypedRecovered,
    Waiting,
)
from cmreader.tui.widgets.episode_list import EpisodeList
from cmreader.tui.widgets.paged_list import PagedList
from cmreader.tui.workers import ReaderCalls

if TYPE_CHECKING:
    from cmreader.journal import TypedJournal
    from cmreader.store import Store
    from cmreader.store.models import Moderation
    from cmreader.tui.widgets.article import ArticleView
    from cmreader.tui.widgets.comment_tree import CommentTree
    from cmreader.tui.widgets.conversation import Conversation
    from cmreader.tui.widgets.sync_line import SyncLine

WIDE = 140  # from this many columns the three panes stand side by side
WIDER = 190  # from here the episode list grows with the width


FIRST_FRAME_GRACE = 0.05  # seconds between the first frame and building the other panes
# Actions that need the article and the conversation, which are built after the first frame.
PANE_ACTIONS = frozenset({"reply", "find", "toggle_hidden", "next_waiting", "prev_waiting",
                          "links", "undo", "queue", "sync"})


class MainScreen(Screen[None]):
    """Opens on the newest episode; routes pane messages to store workers and results back."""

    BINDINGS = keys.bindings("main")
    AUTO_FOCUS = "#episodes"
    # Narrow: the list and the article share the top, the comments run across the bottom.
    # Wider still, the list takes a fifth of the width: titles and dates are not cut.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide"), (WIDER, "-wider")]

    def __init__(
        self,
        store: Store,
        first_posts: list[PostSummary],
        journal: TypedJournal | None = None,
        *,
        all_posts: bool = False,
    ) -> None:
        super().__init__(id="main")
        self.store = store
        self.journal = journal
        self.first_posts = first_posts
        self.first_posts_complete = all_posts
        self.show_hidden = False
        self.current_post: Post | None = None
        self.blogs = BlogChoice()  # which blog the episode list shows
        self.calls = ReaderCalls(self, store, journal)
        # What u undoes: the reply deleted last, or the last moderation.
        self.last_undo: CommentRow | Moderation | None = None
        self.panes_ready = False
        # An episode chosen before the panes were built: opened as soon as they are.
        self._wanted: tuple[int, Select, str | None] | None = None
        # An episode opened from elsewhere (n/N, inbox, search): the list's cursor follows it.
        self._show_in_list: int | None = None
        self._writes_before_list = 0  # writes asked for when a list screen opened

    def compose(self) -> ComposeResult:
        # The first frame is the episode list beside two empty frames: the article's and the
        # conversation's modules, styles and widgets, and the footer, come right after it
        # (build_panes), so what the user sees first costs about what a bare Textual app does.
        with Container(id="panes"):
            yield EpisodeList(id="episodes")
            yield Static(id="article-slot", classes="pane-slot")
            yield Static(id="conversation-slot", classes="pane-slot")

    def on_mount(self) -> None:
        self.query_one("#article-slot").border_title = safe_text.content("Article")
        self.query_one("#conversation-slot").border_title = safe_text.content("Comments")
        # A screenful of episodes, read before the app started (make_app), is in the very first
        # paint; the list reads its count and the pages in view after it, and nothing else.
        posts, self.first_posts = self.first_posts, []
        complete = self.first_posts_complete
        self.episodes.seed(StoreEpisodes(self.store), posts, complete=complete)
        self._title_episodes(len(posts) if complete else None)
        if not posts:
            safe_text.notify(self, "No episodes yet: import some with `cmreader import FILE`.")
        self.call_after_refresh(self._read_blogs)
        # Called from the writing worker while another process holds the store's write lock.
        self.store.on_wait = self._store_busy
        # A moment for the terminal to draw the first frame: building the rest at once would
        # hold the CPU it needs (on two cores, the first frame then shows 75 ms later).
        self.call_after_refresh(self.set_timer, FIRST_FRAME_GRACE, self.build_panes)

    async def build_panes(self) -> None:
        """The article and the conversation, in place of the first frame's empty frames, and
        the footer."""
        if self.panes_ready or self.query("#article"):
            return
        from cmreader.tui.widgets.article import ArticleView
        from cmreader.tui.widgets.conversation import Conversation

        panes = self.query_one("#panes")
        with self.app.batch_update():
            # Not a textual.lazy.Lazy: that mounts it at once after the first frame, in the
            # moment the terminal needs to draw it (its keys' layout cost the frame 50 ms).
            await self.mount(Footer())
            await self.mount(self._sync_line(), after=panes)
            await panes.mount(ArticleView(id="article"), after="#article-slot")
            # The typed-text journal comes with the composer's pane: nothing is typed before.
            opener = getattr(self.app, "open_journal", None)
            if self.journal is None and opener is not None:
                self.journal = self.calls.journal = opener()
            await panes.mount(Conversation(self.calls, self.journal, id="conversation"),
                              after="#conversation-slot")
            await self.query(".pane-slot").remove()
        self.article.border_title = safe_text.content("Article")
        self.comment_tree.border_title = safe_text.content("Comments")
        self.panes_ready = True
        self.refresh_bindings()
        # The episode asked for meanwhile (enter in the list), else the newest.
        wanted, self._wanted = self._wanted, None
        if wanted is not None:
            self.open_episode(*wanted)
        elif (newest := self.episodes.entry_at(0)) is not None:
            self.open_episode(newest.id, None, None)
        if self.journal is not None:
            # What a cmreader that died had typed goes back into the store.
            self.calls.recover_typed(self.conversation)
        after = getattr(self.app, "after_first_frame", None)
        if after is not None:
            after()

    def _sync_line(self) -> SyncLine:
        from cmreader.config import Config
        from cmreader.tui.widgets.sync_line import SyncLine

        config = getattr(self.app, "config", None) or Config()
        return SyncLine(self.store, config.sync)

    # Not getters.query_one: that would import the panes' modules before the first frame.
    @property
    def article(self) -> ArticleView:
        return cast("ArticleView", self.query_one("#article"))

    @property
    def conversation(self) -> Conversation:
        return cast("Conversation", self.query_one("#conversation"))

    @property
    def comment_tree(self) -> CommentTree:
        return cast("CommentTree", self.query_one("#comments"))

    episodes = getters.query_one(EpisodeList)

    @property
    def sync_line(self) -> SyncLine:
        return cast("SyncLine", self.query_one("#sync-line"))

    # -- results of the workers ------------------------------------------------------------

    def _store_busy(self, line: str) -> None:
        self.post_message(StoreBusy(line))

    def on_store_busy(self, message: StoreBusy) -> None:
        if not self.conversation.store_busy(message.line):
            safe_text.notify(self, message.line, timeout=4)

    def on_paged_list_counted(self, message: PagedList.Counted) -> None:
        message.stop()
        self._title_episodes(message.total)

    def _title_episodes(self, total: int | None) -> None:
        blog = self.blogs.current
        narrowed = () if blog is None else (" · ", blog_name(blog))
        counted = "…" if total is None else str(total)
        read_only = " · read-only store" if self.store.read_only else ""
        self.episodes.border_title = safe_text.content(
            "Episodes", *narrowed, " (", counted, ")",
            ("" if not read_only else (read_only, "bold")),
        )

    @app_work(group="main-blogs")
    def _read_blogs(self) -> None:
        self.post_message(BlogsRead(self.store.list_blogs()))

    def on_blogs_read(self, message: BlogsRead) -> None:
        self.blogs.know(message.blogs)
        self._name_blogs()
        self.refresh_bindings()

    def _name_blogs(self) -> None:
        # Each entry names its blog while the list holds several blogs' episodes.
        mixed = self.blogs.mixed
        self.episodes.name_blogs({b.id: blog_name(b) for b in self.blogs.blogs} if mixed else {})

    def open_episode(self, post_id: int, select: Select, focus: str | None) -> None:
        """Show an episode, or only move within it when it is already shown."""
        if not self.panes_ready:
            self._wanted = (post_id, select, focus)
            return
        if self.current_post is not None and post_id == self.current_post.id:
            if isinstance(select, int) and not self.comment_tree.select_comment(select):
                self.calls.reload_thread(post_id, select, hidden=self.show_hidden)
            elif isinstance(select, Waiting):
                self.comment_tree.next_waiting(select is Waiting.FIRST, from_edge=True)
            self._focus(focus)
        else:
            self.calls.load_episode(post_id, select, focus, hidden=self.show_hidden)

    def on_episode_loaded(self, message: EpisodeLoaded) -> None:
        post = message.post
        self.current_post = self.conversation.post = post
        self.article.show_post(post)
        select = message.select if isinstance(message.select, int) else None
        self.comment_tree.set_rows(post.id, message.rows, select)
        if isinstance(message.select, Waiting):
            self.comment_tree.next_waiting(message.select is Waiting.FIRST, from_edge=True)
        self._title_panes(post, len(message.rows) if message.complete else None)
        if post.id == self._show_in_list:
            # Opened from elsewhere (inbox, search, n/N): the list's cursor goes there too, or
            # the list re-read after a write would open the episode its cursor was left on.
            # From the list itself, the user's cursor may already have moved on: leave it.
            self._show_in_list = None
            self.episodes.highlight_post(post.id)
        self.episodes.mark_seen(post.id)
        self._focus(message.focus)

    def on_thread_reloaded(self, message: ThreadReloaded) -> None:
        if self.current_post is None or message.post_id != self.current_post.id:
            return
        self.comment_tree.set_rows(message.post_id, message.rows, message.select)
        self._title_panes(self.current_post, len(message.rows))

    def _title_panes(self, post: Post, count: int | None) -> None:
        self.article.border_title = safe_text.content(post.title.strip() or "Article")
        hidden = " · spam and trash shown" if self.show_hidden else ""
        counted = f" ({count})" if count is not None else " (…)"
        self.comment_tree.border_title = safe_text.content("Comments", counted, hidden)

    def _focus(self, focus: str | None) -> None:
        if focus in ("comments", "reply"):
            self.comment_tree.focus()
            if focus == "reply":  # r in the inbox: the composer on that comment, in view
                self.conversation.reply(to_comment=True)
        elif focus == "article":
            self.article.focus()

    # -- pane messages ---------------------------------------------------------------------

    @on(EpisodeList.EpisodeChosen)
    def _episode_chosen(self, message: EpisodeList.EpisodeChosen) -> None:
        self.open_episode(message.post_id, None, "comments" if message.focus_comments else None)

    # -- actions ---------------------------------------------------------------------------

    def action_next_pane(self) -> None:
        self.focus_next()

    def action_prev_pane(self) -> None:
        self.focus_previous()

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        safe_text.notify(
            self, "Spam and trash shown." if self.show_hidden else "Spam and trash hidden."
        )
        if self.current_post is not None:
            self.calls.reload_thread(self.current_post.id, hidden=self.show_hidden)

    def action_next_waiting(self) -> None:
        self._waiting(forward=True)

    def action_prev_waiting(self) -> None:
        self._waiting(forward=False)

    def _waiting(self, forward: bool) -> None:
        """Next comment waiting for an answer here; when none is left, in the next episode."""
        if self.comment_tree.next_waiting(forward):
            self.comment_tree.focus()
            return
        current = self.current_post.id if self.current_post else None
        self._read_next_waiting(current, forward, self.blogs.current_id)

    @dataclass
    class WaitingEpisodeFound(Message):
        """The next episode of the list, round the end, with a comment waiting for an answer
        (None: no other has one)."""

        post_id: int | None
        forward: bool

    @app_work(group="main-next-waiting", exclusive=True)
    def _read_next_waiting(self, after: int | None, forward: bool, blog_id: int | None) -> None:
        found = self.store.next_waiting_post(after, forward, blog_id)
        self.post_message(self.WaitingEpisodeFound(found, forward))

    def on_main_screen_waiting_episode_found(self, message: WaitingEpisodeFound) -> None:
        if message.post_id is None:
            safe_text.notify(self, "Nothing else waits for an answer.")
            return
        self._show_in_list = message.post_id
        self.open_episode(message.post_id, Waiting.FIRST if message.forward else Waiting.LAST,
                          "comments")

    def action_next_blog(self) -> None:
        if not self.blogs.several:
            return
        self.blogs.next()
        self._name_blogs()
        self.episodes.show(StoreEpisodes(self.store, self.blogs.current_id))
        self._title_episodes(None)
        if self.current_post is not None:
            self.episodes.highlight_post(self.current_post.id)

    def action_find(self) -> None:
        self.conversation.find()

    def action_links(self) -> None:
        if self.current_post is None:
            return
        from cmreader.tui.screens.links import LinksScreen, links_of

        row = self.comment_tree.current if self.focused is self.comment_tree else None
        links = links_of(row.body if row is not None else None, self.current_post.body)
        if not links:
            safe_text.notify(
                self, "Neither this comment nor the article has links." if row is not None
                else "This article has no links."
            )
            return
        self.app.push_screen(LinksScreen(links))

    def action_inbox(self) -> None:
        from cmreader.tui.screens.inbox import InboxScreen

        # One inbox for the session: coming back from an episode finds it as it was left.
        if not self.app.is_screen_installed("inbox"):
            self.app.install_screen(InboxScreen(self.store, self.calls), "inbox")
        self._push_list("inbox")

    def action_search(self) -> None:
        from cmreader.tui.screens.search import SearchScreen

        self._push_list(SearchScreen(self.store, self.calls))

    def _push_list(self, screen: Screen[Any] | str) -> None:
        """Open a list (inbox, queue, search); coming back, _go_to shows what it changed."""
        self._writes_before_list = self.calls.writes_asked
        self.app.push_screen(screen, self._go_to)

    def _go_to(self, where: tuple[int, int | None] | None) -> None:
        """Back from a list: what it wrote shows (counts, statuses), then where it led."""
        from cmreader.tui.screens.picker import ReplyTo

        if self.calls.writes_asked != self._writes_before_list:
            self.episodes.reload()
            if self.current_post is not None:
                self.calls.reload_thread(self.current_post.id, hidden=self.show_hidden)
        if where is None:
            return
        post_id, comment_id = where
        self._show_in_list = post_id
        self.episodes.highlight_post(post_id)
        focus = "reply" if isinstance(where, ReplyTo) else "comments" if comment_id else "article"
        self.open_episode(post_id, comment_id, focus)

    # -- writing ---------------------------------------------------------------------------

    def action_reply(self) -> None:
        """Reply to the comment under the cursor; from the other panes, to the episode."""
        self.conversation.reply(to_comment=self.focused is self.comment_tree)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PANE_ACTIONS and not self.panes_ready:
            return False
        if action == "next_blog":
            return self.blogs.several
        # Undo greys out in the footer while there is nothing to undo (None: shown, disabled).
        if action == "undo":
            return True if self.last_undo is not None else None
        return True

    def action_undo(self) -> None:
        last, self.last_undo = self.last_undo, None
        if isinstance(last, CommentRow):
            self.calls.restore(last)
        elif last is not None:
            self.calls.undo_moderation(last.id)
        self.refresh_bindings()

    def action_queue(self) -> None:
        from cmreader.tui.screens.queue import QueueScreen

        self._push_list(QueueScreen(self.store, self.calls))

    @on(Moderated)
    @on(ModerationUndone)
    def _moderation_reload(self, message: Moderated | ModerationUndone) -> None:
        done = message.moderation
        if isinstance(message, Moderated):
            if not done.id:
                return  # it had that status already: nothing changed, nothing to undo
            self.last_undo = done
            self.refresh_bindings()
        else:
            safe_text.notify(self, *moderation_words.undone(done))
        self.calls.reload_thread(done.post_id, done.comment_id, hidden=self.show_hidden)
        self.episodes.reload()
        self.sync_line.wrote()

    @on(TypedRecovered)
    @on(ReplySent)
    @on(ReplyRestored)
    @on(AnswerMarked)
    @on(ReplyDeleted)
    def _reload(
        self, message: TypedRecovered | ReplySent | ReplyRestored | AnswerMarked | ReplyDeleted
    ) -> None:
        """After a write: the thread as the store now has it, and the list's counts."""
        if isinstance(message, TypedRecovered):
            if self.current_post is not None:
                self.calls.reload_thread(self.current_post.id, hidden=self.show_hidden)
            self.episodes.reload()
            return
        row = message.row
        if isinstance(message, ReplyDeleted):
            self.last_undo = row
            self.refresh_bindings()
            safe_text.notify(self, "Reply deleted. Press u to undo.")
        elif isinstance(message, ReplyRestored):
            safe_text.notify(self, "Reply restored.")
        target = message.target if isinstance(message, ReplySent) else None
        if target is not None and not target.is_edit and target.parent_id is not None:
            # Stay on the comment just answered: n goes on from there.
            kept: int | None = target.parent_id
        else:
            kept = None if isinstance(message, ReplyDeleted) else row.id
        self.calls.reload_thread(row.post_id, kept, hidden=self.show_hidden)
        self.episodes.reload()
        if not isinstance(message, AnswerMarked):  # a mark by hand stays here
            self.sync_line.wrote()

    # -- the connected sites ---------------------------------------------------------------

    def action_sync(self) -> None:
        """S: publish what waits and read what is new on the connected sites, now."""
        self.sync_line.sync_now()

    def on_sync_line_store_changed(self) -> None:
        """A sync brought comments or statuses, or published: the panes as the store has them."""
        if self.current_post is not None:
            row = self.comment_tree.current if self.panes_ready else None
            selected = row.id if row is not None else None
            self.calls.reload_thread(self.current_post.id, selected, hidden=self.show_hidden)
        self.episodes.reload()

    # -- writing answers: the drafts list (tui/screens/drafts.py) ---------------------------

    def action_drafts(self) -> None:
        """D: every unsent draft; enter resumes one in the composer, d discards it."""
        if not self.panes_ready:
            return
        from cmreader.tui.screens.drafts import DraftsScreen

        self.conversation.flush()  # the draft being typed is in the list too
        self._push_list(DraftsScreen(self.store, self.calls, self.conversation.open_target))

    def action_who(self) -> None:
        """w: everything the commenter under the tree's cursor wrote (tui/screens/history.py)."""
        row = self.comment_tree.current if self.panes_ready else None
        if row is None:
            return
        from cmreader.tui.screens.history import HistoryScreen

        self._push_list(HistoryScreen(self.store, self.calls, row))
