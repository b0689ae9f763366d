"""Messages the store workers post when a call is done (past tense), and what they carry."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from cmreader.store.models import CommentRow, InboxEntry, Post, PostSummary, SearchHit


@dataclass(frozen=True)
class ComposeTarget:
    """What the composer writes: a reply to parent_id (None: to the episode) or an edit."""

    post_id: int
    parent_id: int | None
    edit_id: int | None = None
    heading: str = ""
    quote: str = ""  # the text being answered, shown above the composer
    # The stable keys of the episode and the comment answered: the typed-text journal checks
    # them before replaying, so a draft never lands on another store's comment.
    post_key: str = ""
    parent_key: str | None = None

    @property
    def is_edit(self) -> bool:
        return self.edit_id is not None


class PostsLoaded(Message):
    """Episodes newest first; `complete` is False when only the first page was read."""

    def __init__(self, posts: list[PostSummary], complete: bool = True) -> None:
        super().__init__()
        self.posts = posts
        self.complete = complete


class EpisodeLoaded(Message):
    """A post and its thread; `select` is a comment id or "first-waiting"/"last-waiting"."""

    def __init__(
        self,
        post: Post,
        rows: list[CommentRow],
        select: int | str | None,
        focus: str | None,
        complete: bool = True,  # False: the first rows only, the whole thread follows
    ) -> None:
        super().__init__()
        self.complete = complete
        self.post = post
        self.rows = rows
        self.select = select
        self.focus = focus


class ThreadReloaded(Message):
    def __init__(self, post_id: int, rows: list[CommentRow], select: int | None) -> None:
        super().__init__()
        self.post_id = post_id
        self.rows = rows
        self.select = select


class DraftLoaded(Message):
    def __init__(self, target: ComposeTarget, text: str) -> None:
        super().__init__()
        self.target = target
        self.text = text


class DraftSaved(Message):
    """The store holds text as the draft of target (None: the draft was discarded)."""

    def __init__(self, target: ComposeTarget, text: str | None) -> None:
        super().__init__()
        self.target = target
        self.text = text


class WriteFailed(Message):
    """Saving or sending target's text failed; the text is still the composer's."""

    def __init__(self, target: ComposeTarget, text: str | None, problem: str) -> None:
        super().__init__()
        self.target = target
        self.text = text
        self.problem = problem


class StoreBusy(Message):
    """Another process is writing the store: our write waits its turn (posted from a worker)."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class TypedRecovered(Message):
    """Text typed before a crash was put back into the store at start-up."""

    def __init__(self, drafts: int, sent: int, kept: list[str], problem: str | None) -> None:
        super().__init__()
        self.drafts = drafts
        self.sent = sent
        self.kept = kept
        self.problem = problem


class ReplySent(Message):
    def __init__(self, target: ComposeTarget, row: CommentRow) -> None:
        super().__init__()
        self.target = target
        self.row = row


class ReplyDeleted(Message):
    def __init__(self, row: CommentRow) -> None:
        super().__init__()
        self.row = row


class ReplyRestored(Message):
    def __init__(self, row: CommentRow) -> None:
        super().__init__()
        self.row = row


class AnswerMarked(Message):
    def __init__(self, row: CommentRow, answered: bool) -> None:
        super().__init__()
        self.row = row
        self.answered = answered


@dataclass
class InboxLoaded(Message):
    """Every comment that waits for an answer, oldest first."""

    entries: list[InboxEntry]


@dataclass
class SearchDone(Message):
    """The hits for query, best first; open_first when enter asked for the best one."""

    query: str
    hits: list[SearchHit]
    open_first: bool
