"""Publishing the outbox: each change sent once, in order, and never lost on the way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from cmreader.store.models import OutboxItem, Site
from cmreader.store.site_store import SiteStore
from cmreader.sync.client import (
    AuthRefused,
    ServerFailed,
    SiteProblem,
    Unreachable,
    WordPressClient,
)
from cmreader.sync.convert import FROM_SITE, TO_SITE, same_text, to_html

# A change that failed is tried again after a pause that doubles, up to an hour.
_FIRST_PAUSE = 30.0
_LONGEST_PAUSE = 3600.0


class Conflict(Exception):
    """The site refuses this change for now (the comment answered is in its trash, say)."""


class _Waits(Exception):
    """This change needs another to be published first (an answer to your unpublished reply)."""


def next_try(attempts: int, now: datetime) -> str:
    pause = min(_FIRST_PAUSE * 2 ** max(attempts - 1, 0), _LONGEST_PAUSE)
    return (now + timedelta(seconds=pause)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> datetime:
    return datetime.now(UTC)


class Publisher:
    """Sends a site's open outbox items in the order they were made."""

    def __init__(
        self,
        store: SiteStore,
        site: Site,
        client: WordPressClient,
        *,
        renew: Callable[[], None],
        force: bool = False,
    ) -> None:
        self.store = store
        self.site = site
        self.client = client
        self.renew = renew
        self.force = force
        self.published = 0
        self.going: set[int] = set()

    def run(self) -> None:
        """Publish what is due. A site that cannot be reached, or refuses the password, stops
        the run (raised): every later item waits its turn, so the order holds."""
        waiting: set[int] = set()  # comments whose earlier change is not on the site yet
        made: dict[int, int] = {}  # your replies published in this run: their site ids
        stamp = _now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        items = self.store.outbox(self.site.blog_id)
        # Your replies on their way: an answer to one of them waits for it.
        self.going = {item.comment_id for item in items if item.action == "reply"}
        for item in items:
            # The list was read before this run published anything: ids it made since.
            if item.comment_remote is None and item.comment_id in made:
                item = item._replace(comment_remote=made[item.comment_id])
            if item.parent_remote is None and item.parent_id in made:
                item = item._replace(parent_remote=made[item.parent_id])
            if item.comment_id in waiting or (item.parent_id is not None
                                              and item.parent_id in waiting):
                waiting.add(item.comment_id)
                continue
            if not self.force and item.next_try and item.next_try > stamp:
                waiting.add(item.comment_id)
                continue
            self.renew()
            try:
                remote_id = self._send(item)
            except _Waits:
                waiting.add(item.comment_id)
                continue
            except Conflict as exc:
                self.store.set_back(item.id, "conflict", str(exc), next_try(item.attempts, _now()))
                waiting.add(item.comment_id)
                continue
            except (Unreachable, ServerFailed, AuthRefused) as exc:
                self.store.set_back(
                    item.id, "failed", f"not published yet: {exc.reason}",
                    next_try(item.attempts + 1, _now()),
                )
                raise
            except SiteProblem as exc:
                self.store.set_back(
                    item.id, "failed", f"refused by the site: {exc.reason}",
                    next_try(item.attempts + 1, _now()),
                )
                waiting.add(item.comment_id)
                continue
            self.store.published(item, remote_id)
            if remote_id is not None:
                made[item.comment_id] = remote_id
            self.published += 1

    def _send(self, item: OutboxItem) -> int | None:
        if item.action == "reply":
            return self._reply(item)
        if item.comment_remote is None:
            raise _Waits()
        route = f"wp/v2/comments/{item.comment_remote}"
        self.store.begin_attempt(item.id)
        try:
            if item.action == "edit":
                self.client.json("POST", route, json={"content": to_html(item.body or "")})
            elif item.action == "trash":
                self._trash(route)
            else:
                wanted = "approved" if item.action == "untrash" else (item.status or "approved")
                answer = self.client.json("POST", route, json={"status": TO_SITE[wanted]})
                got = FROM_SITE.get(str(answer.get("status")), "") if isinstance(answer, dict) \
                    else ""
                if got != wanted:
                    raise SiteProblem(f"the site kept the status {got or 'unknown'}")
        except SiteProblem as exc:
            if exc.status == 404:
                raise Conflict("the comment is no longer on the site") from None
            raise
        return None

    def _trash(self, route: str) -> None:
        try:
            self.client.request("DELETE", route)
        except SiteProblem as exc:
            if exc.status != 410:  # 410: it was in the trash already
                raise

    def _reply(self, item: OutboxItem) -> int:
        if item.post_remote is None:
            raise Conflict("its episode is not on the site")
        if item.parent_id is not None and item.parent_remote is None:
            if item.parent_id in self.going:
                raise _Waits()  # the comment it answers is your reply, not published yet
            raise Conflict("it answers a reply of yours that is not on the site")
        if item.parent_remote is not None:
            self._check_parent(item.parent_remote)
        html = to_html(item.body or "")
        if item.attempts:
            # Sent before with no answer: the site may hold it. Look before sending again.
            found = self._find(item, html)
            if found is not None:
                return found
        self.store.begin_attempt(item.id)
        payload: dict[str, Any] = {
            "post": item.post_remote, "parent": item.parent_remote or 0, "content": html,
        }
        try:
            answer = self.client.json("POST", "wp/v2/comments", json=payload)
        except SiteProblem as exc:
            if exc.status != 409:
                raise
            # comment_duplicate: WordPress has this text from you already, the reply whose
            # answer was lost. It is that comment.
            found = self._find(item, html)
            if found is None:
                raise Conflict(
                    "the site already has this exact text from you elsewhere; edit it to send"
                ) from None
            return found
        remote_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(remote_id, int):
            raise SiteProblem("the site did not say which comment it made")
        return remote_id

    def _check_parent(self, parent_remote: int) -> None:
        try:
            parent = self.client.json(
                "GET", f"wp/v2/comments/{parent_remote}", params={"context": "edit"}
            )
        except SiteProblem as exc:
            if exc.status in (404, 410):
                raise Conflict("the comment it answers was deleted on the site") from None
            raise
        status = FROM_SITE.get(str(parent.get("status")), "") if isinstance(parent, dict) else ""
        if status == "trash":
            raise Conflict("the comment it answers is in the site's trash")
        if status == "spam":
            raise Conflict("the comment it answers is marked spam on the site")

    def _find(self, item: OutboxItem, html: str) -> int | None:
        """Your comment under the same parent with this text, if the site has it."""
        found = self.client.json(
            "GET",
            "wp/v2/comments",
            params={
                "post": item.post_remote, "parent": item.parent_remote or 0,
                "author": self.site.user_id, "status": "any", "context": "edit",
                "orderby": "id", "order": "desc", "per_page": 100,
                "_fields": "id,content",
            },
        )
        matches = [
            int(comment["id"])
            for comment in (found if isinstance(found, list) else ())
            if isinstance(comment, dict) and isinstance(comment.get("id"), int)
            and isinstance(content := comment.get("content"), dict)
            and isinstance(raw := content.get("raw"), str) and same_text(raw, html)
        ]
        # One of them may be another of your replies, published and known here already.
        known = self.store.published_replies(self.site.blog_id, matches)
        return next((m for m in matches if m not in known), None)
