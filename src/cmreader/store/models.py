"""Frozen records the store hands out: what the UI, exporters and CLI read.

NamedTuples, not dataclasses: they are built for every row read, and a frozen dataclass
costs several times more to make and to define (10 ms of the reader's start, against 3).
"""

from __future__ import annotations

from typing import NamedTuple


class PostSummary(NamedTuple):
    """One line of the episode list."""

    id: int
    key: str
    title: str
    published: str | None
    kind: str
    comment_count: int  # visible comments: not spam, trash, draft or deleted
    waiting_count: int  # comments that need the owner's answer
    new_count: int  # comments added since the last visit
    unread: bool  # never opened, or new comments since the last visit
    status: str = "publish"  # publish, draft, private, pending or future
    blog_id: int | None = None
    pending_count: int = 0  # comments held for moderation (pingbacks too), not deleted
    has_draft: bool = False  # a reply begun here and not sent


class Post(NamedTuple):
    """An episode with its article."""

    id: int
    key: str
    title: str
    author: str | None
    published: str | None
    url: str | None
    source: str | None
    body: str
    kind: str
    visited_at: str | None
    status: str = "publish"  # publish, draft, private, pending or future
    blog_id: int | None = None


class Blog(NamedTuple):
    """A blog episodes belong to, with its owner's identities as its exports give them."""

    id: int
    key: str
    kind: str  # the format it was imported from: wxr, blogger, disqus, pagedump
    title: str | None
    url: str | None
    owner_name: str | None
    owner_email: str | None
    owner_user_id: str | None
    owner_uri: str | None
    post_count: int
    waiting_count: int = 0  # comments of its episodes that wait for an answer
    pending_count: int = 0  # comments of its episodes held for moderation


class CommentRow(NamedTuple):
    """One comment as a row of its thread: thread order comes from `ord`, indent from `depth`.

    A 10,000-comment thread builds 10,000 of these when it opens.
    """

    id: int
    post_id: int
    parent_id: int | None
    depth: int
    author: str | None
    published: str | None
    body: str
    status: str
    origin: str  # "imported" or "local"
    by_owner: bool
    needs_answer: bool
    is_new: bool
    answer_mark: str | None  # None = decided by the thread, "answered" or "open" when set by hand
    key: str = ""
    type: str = "comment"  # "comment", "pingback" or "trackback"
    source_url: str | None = None  # the linking page, for a pingback or trackback
    # On a connected blog, your change's way to the site: queued, sending, published, failed
    # or conflict, with the reason it is not there yet (None: nothing waits to be published).
    sync_state: str | None = None
    sync_note: str | None = None


class InboxEntry(NamedTuple):
    """A comment of a desk list (the inbox, the moderation queue), with where it lives."""

    comment_id: int
    post_id: int
    post_title: str
    author: str | None
    published: str | None
    body: str
    status: str = "approved"  # "approved" in the inbox, "pending" in the queue
    blog_id: int | None = None
    blog_title: str | None = None
    comment_key: str = ""


class SearchHit(NamedTuple):
    """A search result: an episode (comment_id None) or a comment in one."""

    post_id: int
    comment_id: int | None
    post_title: str
    author: str | None
    snippet: str
    blog_id: int | None = None
    blog_title: str | None = None


class Moderation(NamedTuple):
    """One change of a comment's status, as the moderations log holds it.

    id is 0 when nothing changed (the comment already had that status) and nothing was logged.
    """

    id: int
    comment_id: int
    post_id: int
    before: str
    after: str


class ImportResult(NamedTuple):
    """What one import added and skipped."""

    source: str
    format: str
    posts_added: int
    posts_skipped: int
    comments_added: int
    comments_skipped: int


class Site(NamedTuple):
    """A blog connected to its live WordPress, and how far its last sync read."""

    blog_id: int
    blog_key: str
    api_url: str
    home_url: str
    user_name: str
    user_id: str
    connected: bool
    synced_at: str | None
    sync_count: int
    posts_cursor: str | None  # the newest modification date of a post read, in GMT
    comments_cursor: str | None  # the newest comment date read, in GMT
    problem: str | None  # why the last sync of this site stopped, or None


class OutboxItem(NamedTuple):
    """One change waiting to be published, with the site's ids it needs to be sent."""

    id: int
    comment_id: int
    action: str  # reply, edit, trash, untrash or status
    status: str | None  # for a status change: approved, pending, spam or trash
    body: str | None  # for a reply or an edit: the Markdown to publish
    state: str  # queued, sending, failed or conflict
    attempts: int
    next_try: str | None
    post_remote: int | None
    comment_remote: int | None
    parent_remote: int | None
    parent_id: int | None
    post_id: int


class SyncSummary(NamedTuple):
    """The status line's figures across the connected sites."""

    sites: int
    synced_at: str | None  # the oldest last sync of a connected site
    problem: str | None
    to_publish: int
    failed: int
    conflicts: int


class SavedReply(NamedTuple):
    """An answer kept to reuse: its name, and a body that may hold placeholders ({author})."""

    id: int
    name: str
    body: str
    updated_at: str


class ReplyContext(NamedTuple):
    """What a saved reply's placeholders are filled with, for a reply to one comment."""

    author: str | None  # the comment answered (None: a comment on the episode itself)
    title: str
    blog: str | None
    link: str | None  # the episode's address
    blog_id: int | None
    signature: str | None  # the line every reply on this blog ends with, if set


class DraftEntry(NamedTuple):
    """A reply begun and not sent, with the episode and the comment it answers."""

    comment_id: int  # the draft's own row
    post_id: int
    post_title: str
    parent_id: int | None  # None: a comment on the episode itself
    parent_author: str | None
    parent_body: str | None
    body: str
    updated_at: str | None
    blog_id: int | None = None
    blog_title: str | None = None
    post_key: str = ""
    parent_key: str | None = None


class HistoryEntry(NamedTuple):
    """One comment of a commenter's history, with whether it was answered."""

    comment_id: int
    post_id: int
    post_title: str
    author: str | None
    published: str | None
    body: str
    status: str
    answered: bool | None  # None: not a comment that waits (a pingback, the owner's own)
    blog_id: int | None = None
    blog_title: str | None = None
    comment_key: str = ""


class Commenter(NamedTuple):
    """Who wrote a comment, as their history matches them, and what they have written."""

    key: str  # "email:...", "profile:..." or "name:<blog>:<name>"
    name: str | None
    first_at: str | None  # their first dated comment
    comments: int  # every comment they wrote, whatever its status (not drafts, not deleted)
    answered: int
    spam: int
    episodes: int
    blogs: int
