"""The store's calls for connected sites (`store.sites`): what a sync reads and writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from sqlite3 import Connection
from typing import TYPE_CHECKING

from cmreader.store import outbox, remote, sites
from cmreader.store.gate import Gate, guarded, writes
from cmreader.store.models import OutboxItem, Site, SyncSummary

if TYPE_CHECKING:
    from cmreader.records import CommentRecord, PostRecord


class SiteStore:
    """Site rows, the outbox and pulls, through the same gate as every other store call."""

    def __init__(
        self,
        db: Connection,
        gate: Gate,
        transaction: Callable[[], AbstractContextManager[Connection]],
    ) -> None:
        self.db = db
        self._gate = gate
        self._begin = transaction

    def _transaction(self) -> AbstractContextManager[Connection]:
        return self._begin()

    # -- sites ----------------------------------------------------------------------------

    @writes
    def connect(
        self,
        db: Connection,
        *,
        existing_blog: int | None,
        api_url: str,
        home_url: str,
        title: str | None,
        user_name: str,
        user_id: str,
        display_name: str | None,
    ) -> Site:
        """Record a connected site: the blog already imported from it, or a new one."""
        return sites.connect(
            db, existing_blog=existing_blog, api_url=api_url, home_url=home_url, title=title,
            user_name=user_name, user_id=user_id, display_name=display_name,
        )

    @writes
    def disconnect(self, db: Connection, blog_id: int) -> None:
        sites.disconnect(db, blog_id)

    @guarded
    def all(self) -> list[Site]:
        return sites.list_sites(self.db)

    @guarded
    def get(self, blog_id: int) -> Site | None:
        return sites.get_site(self.db, blog_id)

    @writes
    def take_lease(self, db: Connection, blog_id: int, holder: str, seconds: float) -> bool:
        return sites.take_lease(db, blog_id, holder, seconds)

    @writes
    def drop_lease(self, db: Connection, blog_id: int, holder: str) -> None:
        sites.drop_lease(db, blog_id, holder)

    @writes
    def record_sync(
        self, db: Connection, blog_id: int, *, problem: str | None,
        posts_cursor: str | None = None, comments_cursor: str | None = None,
    ) -> None:
        sites.record_sync(
            db, blog_id, problem=problem, posts_cursor=posts_cursor,
            comments_cursor=comments_cursor,
        )

    @guarded
    def summary(self) -> SyncSummary:
        return outbox.summary(self.db)

    # -- the outbox -----------------------------------------------------------------------

    @guarded
    def outbox(self, blog_id: int) -> list[OutboxItem]:
        return outbox.open_items(self.db, blog_id)

    @writes
    def begin_attempt(self, db: Connection, item_id: int) -> None:
        outbox.begin_attempt(db, item_id, None)

    @writes
    def published(
        self, db: Connection, item: OutboxItem, remote_id: int | None = None
    ) -> None:
        """The site has the change; a reply becomes the site's comment remote_id."""
        if remote_id is not None:
            remote.adopt(db, item.comment_id, remote_id)
        outbox.finish(db, item.id)

    @writes
    def set_back(
        self, db: Connection, item_id: int, state: str, note: str, next_try: str | None
    ) -> None:
        outbox.set_back(db, item_id, state, note, next_try)

    @guarded
    def unsure_replies(self, blog_id: int) -> dict[int, list[str]]:
        """Replies sent at least once and not confirmed (sending, or failed or refused since),
        by their post's site id: their text (Markdown). The site may hold any of them."""
        found: dict[int, list[str]] = {}
        for item in outbox.open_items(self.db, blog_id):
            if item.action == "reply" and item.attempts > 0 and item.body:
                if item.post_remote is not None:
                    found.setdefault(item.post_remote, []).append(item.body)
        return found

    # -- pulls ----------------------------------------------------------------------------

    @guarded
    def known_posts(self, blog_id: int, remote_ids: Iterable[int]) -> set[int]:
        return remote.known_posts(self.db, blog_id, remote_ids)

    @guarded
    def recent_posts(self, blog_id: int, limit: int) -> list[int]:
        return remote.recent_posts(self.db, blog_id, limit)

    @guarded
    def known_comment_ids(self, blog_id: int) -> set[int]:
        return remote.comment_ids(self.db, blog_id)

    @guarded
    def published_replies(self, blog_id: int, remote_ids: Iterable[int]) -> set[int]:
        return remote.published_replies(self.db, blog_id, remote_ids)

    @writes
    def write_pull(
        self,
        db: Connection,
        blog_id: int,
        *,
        source: str,
        posts: Iterable[tuple[int, PostRecord]] = (),
        comments: Iterable[tuple[int, int, CommentRecord]] = (),
        statuses: Iterable[tuple[int, str]] = (),
        swept: set[int] | None = None,
    ) -> remote.PullTally:
        return remote.write_pull(
            db, blog_id, source=source, posts=posts, comments=comments, statuses=statuses,
            swept=swept,
        )
