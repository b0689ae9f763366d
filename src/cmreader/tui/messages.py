"""Messages the store workers post when a call is done (past tense), and what they carry."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from cmreader.journal import Where
    from cmreader.store.models import Moderation, ReplyContext, SavedReply
from cmreader.store.models import CommentRow, Post, SyncSummary


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

    @property
    def journal_args(self) -> Where:
        """Who the text is for, as the typed-text journal records it."""
        return (self.post_id, self.parent_id, self.edit_id, self.post_key, self.parent_key)


class Waiting(Enum):
    """Where to land in an episode opened by n/N: its first or its last waiting comment."""

    FIRST = "first"
    LAST = "last"


# What to select when an episode opens: a comment id, a waiting end, or the top (None).
Select = int | Waiting | None


@dataclass(eq=False, repr=False)
class EpisodeLoaded(Message):
    """A post and its thread, with what to select and which pane to focus."""

    post: Post
    rows: list[CommentRow]
    select: Select
    focus: str | None
    complete: bool = True  # False: the first rows only, the whole thread follows


@dataclass(eq=False, repr=False)
class ThreadReloaded(Message):
    post_id: int
    rows: list[CommentRow]
    select: int | None


@dataclass(eq=False, repr=False)
class DraftLoaded(Message):
    target: ComposeTarget
    text: str
    signed: bool = False  # no draft: text is the blog's signature, the cursor goes above it


@dataclass(eq=False, repr=False)
class DraftSaved(Message):
    """The store holds text as the draft of target (None: the draft was discarded)."""

    target: ComposeTarget
    text: str | None


@dataclass(eq=False, repr=False)
class WriteFailed(Message):
    """Saving or sending target's text failed; the text is still the composer's."""

    target: ComposeTarget
    text: str | None
    problem: str


@dataclass(eq=False, repr=False)
class StoreBusy(Message):
    """Another process is writing the store: our write waits its turn (posted from a worker)."""

    line: str


@dataclass(eq=False, repr=False)
class TypedRecovered(Message):
    """Text typed before a crash was put back into the store at start-up."""

    drafts: int
    sent: int
    kept: list[str]
    problem: str | None


@dataclass(eq=False, repr=False)
class ReplySent(Message):
    target: ComposeTarget
    row: CommentRow


@dataclass(eq=False, repr=False)
class ReplyDeleted(Message):
    row: CommentRow


@dataclass(eq=False, repr=False)
class ReplyRestored(Message):
    row: CommentRow


@dataclass(eq=False, repr=False)
class AnswerMarked(Message):
    row: CommentRow
    answered: bool


@dataclass(eq=False, repr=False)
class Moderated(Message):
    """A comment was given a status (approved, pending, spam, trash) in the store."""

    moderation: Moderation
    author: str | None = None  # whose comment, for the notice


@dataclass(eq=False, repr=False)
class ModerationUndone(Message):
    """A moderation was undone: the comment has its previous status again."""

    moderation: Moderation


@dataclass(eq=False, repr=False)
class SitesSynced(Message):
    """A sync of the connected sites ended (results: one SiteSynced per site)."""

    results: list[Any]
    summary: SyncSummary
    asked: bool  # the user pressed S: a problem is told, not only shown in the status line


@dataclass(eq=False, repr=False)
class SyncSummaryRead(Message):
    summary: SyncSummary


@dataclass(eq=False, repr=False)
class SavedRepliesRead(Message):
    """The saved replies, and what their placeholders are filled with for one reply."""

    replies: list[SavedReply]
    context: ReplyContext


@dataclass(eq=False, repr=False)
class SavedReplySaved(Message):
    """A saved reply was created or changed in the store."""

    reply: SavedReply


@dataclass(eq=False, repr=False)
class SavedReplyDeleted(Message):
    reply: SavedReply


@dataclass(eq=False, repr=False)
class SignatureSet(Message):
    """A blog's signature was changed (None: it has none now)."""

    blog_id: int
    signature: str | None
