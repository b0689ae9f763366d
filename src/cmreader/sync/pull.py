"""Reading a site: changed posts, new comments, and the statuses its moderators set."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from cmreader.records import PostRecord
from cmreader.store.models import Site
from cmreader.store.remote import PullTally
from cmreader.store.site_store import SiteStore
from cmreader.sync.client import SiteProblem, WordPressClient
from cmreader.sync.convert import FROM_SITE, comment_record, gmt, post_record, same_text, to_html

_COMMENT_FIELDS = (
    "id,post,parent,author,author_name,author_email,author_url,date_gmt,content,status,type"
)
_POST_FIELDS = "id,date_gmt,modified_gmt,link,title,content,status,type,author"
_POST_STATUSES = "publish,future,draft,pending,private"
# The API filters dates in the site's own time zone, which may be up to 14 hours off GMT: a
# cursor read back a day early misses nothing; what is read twice is skipped by its key.
_OVERLAP = timedelta(days=1)
_CHUNK = 100  # ids in one include= request: one page


def _since(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        moment = datetime.strptime(cursor[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return (moment - _OVERLAP).strftime("%Y-%m-%dT%H:%M:%S")


class Puller:
    """One pull of one site, written to the store in one transaction at its end."""

    def __init__(
        self,
        store: SiteStore,
        site: Site,
        client: WordPressClient,
        *,
        full: bool,
        recent: int,
        renew: Callable[[], None],
    ) -> None:
        self.store = store
        self.site = site
        self.client = client
        self.full = full
        self.recent = recent
        self.renew = renew
        self.posts_cursor = site.posts_cursor
        self.comments_cursor = site.comments_cursor

    def run(self) -> PullTally:
        authors = self._authors()
        posts = {rid: post for rid, post in self._posts(authors)}
        first = self.site.comments_cursor is None
        comments = {item["id"]: item for item in self._new_comments()}
        if first:
            # The first read has every comment with its status: no second pass. Its statuses
            # still apply to comments a WXR import of the site brought before the connection.
            imported = self.store.known_comment_ids(self.site.blog_id)
            statuses = [
                (rid, FROM_SITE[str(item.get("status"))])
                for rid, item in comments.items()
                if rid in imported and str(item.get("status")) in FROM_SITE
            ]
            swept: set[int] | None = set(comments)
        else:
            statuses, swept = self._statuses()
        if swept is not None:
            # Comments the site has but this store has not (dated before the cursor): the sweep
            # found them, now read them whole.
            unknown = swept - self.store.known_comment_ids(self.site.blog_id) - set(comments)
            for item in self._by_ids("wp/v2/comments", unknown, {"status": "any"}):
                comments[item["id"]] = item
        comment_items = self._without_unsure(comments.values())
        wanted = {c["post"] for c in comment_items if isinstance(c.get("post"), int)}
        missing = wanted - set(posts) - self.store.known_posts(self.site.blog_id, wanted)
        for route in ("wp/v2/posts", "wp/v2/pages"):
            for item in self._by_ids(route, missing, {"status": _POST_STATUSES}):
                found = post_record(item, self.site.blog_key, authors)
                if found is not None:
                    posts[found[0]] = found[1]
        records = [
            record
            for item in comment_items
            if (record := comment_record(item, f"{self.site.blog_key}:{item.get('post')}"))
        ]
        self.renew()
        return self.store.write_pull(
            self.site.blog_id,
            source=self.site.api_url,
            posts=posts.items(),
            comments=records,
            statuses=statuses,
            swept=swept,
        )

    def _pages(self, route: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for page in self.client.pages(route, params):
            self.renew()
            yield from page

    def _authors(self) -> dict[int, str]:
        authors: dict[int, str] = {}
        try:
            for user in self._pages("wp/v2/users", {"_fields": "id,name"}):
                if isinstance(user.get("id"), int) and isinstance(user.get("name"), str):
                    authors[user["id"]] = user["name"]
        except SiteProblem:
            pass  # the names of the episodes' authors are a nicety, not worth a failed sync
        return authors

    def _posts(self, authors: dict[int, str]) -> Iterator[tuple[int, PostRecord]]:
        since = _since(self.site.posts_cursor)
        params: dict[str, Any] = {
            "context": "edit", "status": _POST_STATUSES, "orderby": "modified",
            "order": "asc", "_fields": _POST_FIELDS,
        }
        if since:
            params["modified_after"] = since
        for route in ("wp/v2/posts", "wp/v2/pages"):
            for item in self._pages(route, params):
                found = post_record(item, self.site.blog_key, authors)
                if found is None:
                    continue
                modified = gmt(item.get("modified_gmt"))
                if modified and (self.posts_cursor is None or modified > self.posts_cursor):
                    self.posts_cursor = modified
                yield found

    def _new_comments(self) -> Iterator[dict[str, Any]]:
        params: dict[str, Any] = {
            "status": "any", "context": "edit", "orderby": "date_gmt", "order": "asc",
            "_fields": _COMMENT_FIELDS,
        }
        since = _since(self.site.comments_cursor)
        if since:
            params["after"] = since
        for item in self._pages("wp/v2/comments", params):
            if not isinstance(item.get("id"), int):
                continue
            date = gmt(item.get("date_gmt"))
            if date and (self.comments_cursor is None or date > self.comments_cursor):
                self.comments_cursor = date
            yield item

    def _statuses(self) -> tuple[list[tuple[int, str]], set[int] | None]:
        """The statuses to read again: every comment's on a full sweep (with the ids the site
        has), else those on the newest episodes."""
        params: dict[str, Any] = {"status": "any", "context": "edit", "_fields": "id,status"}
        if not self.full:
            recent = self.store.recent_posts(self.site.blog_id, self.recent)
            if not recent:
                return [], None
            params["post"] = ",".join(str(p) for p in recent)
        found = [
            (item["id"], FROM_SITE[str(item.get("status"))])
            for item in self._pages("wp/v2/comments", params)
            if isinstance(item.get("id"), int) and str(item.get("status")) in FROM_SITE
        ]
        return found, ({rid for rid, _ in found} if self.full else None)

    def _by_ids(
        self, route: str, ids: Iterable[int], extra: dict[str, Any]
    ) -> Iterator[dict[str, Any]]:
        ordered = sorted(ids)
        fields = _COMMENT_FIELDS if "comments" in route else _POST_FIELDS
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            params = {"include": ",".join(map(str, chunk)), "context": "edit",
                      "_fields": fields, **extra}
            yield from self._pages(route, params)

    def _without_unsure(self, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Leave out your replies whose publication this store is not sure of yet: the push
        that follows finds each on the site and makes the local reply that comment."""
        unsure = self.store.unsure_replies(self.site.blog_id)
        if not unsure:
            return list(items)
        kept = []
        for item in items:
            bodies = unsure.get(item.get("post", 0), [])
            content = item.get("content")
            raw = content.get("raw") if isinstance(content, dict) else None
            mine = str(item.get("author")) == self.site.user_id
            if mine and isinstance(raw, str) and any(same_text(raw, to_html(b)) for b in bodies):
                continue
            kept.append(item)
        return kept
