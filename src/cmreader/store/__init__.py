"""The cmreader store: the only package that touches SQLite."""

from cmreader.store.models import (
    Blog,
    CommentRow,
    ImportResult,
    InboxEntry,
    Moderation,
    Post,
    PostSummary,
    SearchHit,
)
from cmreader.store.moderation import ModerationRefused
from cmreader.store.store import Store

__all__ = [
    "Blog",
    "CommentRow",
    "ImportResult",
    "InboxEntry",
    "Moderation",
    "ModerationRefused",
    "Post",
    "PostSummary",
    "SearchHit",
    "Store",
]
