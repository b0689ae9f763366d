"""The episode list's source: a blog's episodes in the store, a page at a time."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cmreader.store.models import PostSummary

if TYPE_CHECKING:
    from cmreader.store import Store


def first_page_size(rows: int | None = None) -> int:
    """Episodes read before the first frame: what the terminal's height can show (each takes
    two lines), so the first paint needs no other read."""
    rows = rows or shutil.get_terminal_size((80, 60)).lines
    return max(12, rows // 2 + 1)


@dataclass(frozen=True)
class StoreEpisodes:
    """One blog's episodes (None: every blog's), newest first; called from workers only."""

    store: Store
    blog_id: int | None = None

    def count(self) -> int:
        return self.store.post_count(self.blog_id)

    def page(self, offset: int, limit: int) -> Sequence[PostSummary]:
        return self.store.list_posts(limit, offset, self.blog_id)

    def position(self, post_id: int) -> int | None:
        return self.store.post_position(post_id, self.blog_id)
