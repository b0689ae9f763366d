"""Plain records that importers produce and the store writes: no SQL, no UI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CommentRecord:
    """One comment as found in a source file."""

    key: str  # stable across imports of the same source: the source's own id, or a text hash
    parent_key: str | None  # key of the parent comment; None (or unknown key) = top level
    author: str | None
    published: str | None  # ISO 8601 UTC, "2014-03-10T08:30:00Z"; None when unknown
    body: str  # Markdown
    status: str = "approved"  # approved, pending, spam or trash ("draft" is for local replies)
    by_owner: bool = False
    author_url: str | None = None
    author_email: str | None = None
    type: str = "comment"  # "comment", "pingback" or "trackback": only comments wait for answers
    author_user_id: str | None = None  # the platform account that wrote it, when the source says


@dataclass(frozen=True)
class PostRecord:
    """One episode (a post or a page) with its comments, in source order."""

    key: str
    title: str | None
    author: str | None
    published: str | None
    body: str  # Markdown
    url: str | None = None
    kind: str = "post"  # "post", "page" or "attachment" (an attachment page with comments)
    comments: tuple[CommentRecord, ...] = ()
    status: str = "publish"  # publish, draft, private, pending or future: only publish is public
    # The key an older cmreader gave this post, where it differs; a store holding it from the same
    # file moves it to `key` instead of adding the post twice.
    legacy_key: str | None = None


@dataclass(frozen=True)
class BlogRecord:
    """The blog a file comes from, and who its owner is in that platform's own terms."""

    key: str  # stable: the same blog gives the same key from any of its exports
    kind: str  # the format it was read from: "wxr", "blogger", "disqus", "pagedump"
    title: str | None = None
    url: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    owner_user_id: str | None = None
    owner_uri: str | None = None

    @property
    def identified(self) -> bool:
        """True when the owner is known by more than a name anyone can type."""
        return bool(self.owner_email or self.owner_user_id or self.owner_uri)


@dataclass(frozen=True)
class ImportBatch:
    """Everything one file holds, ready to be written in one transaction."""

    source: str  # the file (or URL) it came from
    format: str  # "pagedump", "wxr", "blogger", "disqus"
    posts: tuple[PostRecord, ...] = ()
    blog_title: str | None = None
    owner: str | None = None  # the blog owner's display name, when the source says
    skipped: dict[str, int] = field(default_factory=dict)  # what was left out, by kind
    blog: BlogRecord | None = None
