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


@dataclass(frozen=True)
class PostRecord:
    """One episode (a post or a page) with its comments, in source order."""

    key: str
    title: str | None
    author: str | None
    published: str | None
    body: str  # Markdown
    url: str | None = None
    kind: str = "post"  # "post" or "page"
    comments: tuple[CommentRecord, ...] = ()


@dataclass(frozen=True)
class ImportBatch:
    """Everything one file holds, ready to be written in one transaction."""

    source: str  # the file (or URL) it came from
    format: str  # "pagedump", "wxr", "blogger", "disqus"
    posts: tuple[PostRecord, ...] = ()
    blog_title: str | None = None
    owner: str | None = None  # the blog owner's display name, when the source says
    skipped: dict[str, int] = field(default_factory=dict)  # what was left out, by kind
