"""One sync of a connected site: publish its outbox, then read it; one process at a time."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from cmreader.config import SyncSettings
from cmreader.store import Store
from cmreader.store.models import Site
from cmreader.store.remote import PullTally
from cmreader.store.sites import lease_holder
from cmreader.sync import credentials
from cmreader.sync.client import AuthRefused, SiteProblem, WordPressClient
from cmreader.sync.pull import Puller
from cmreader.sync.push import Publisher

# How long one process holds a site: renewed at every page and every item, so only a process
# that died (or hangs longer than this) lets another one take over.
LEASE_SECONDS = 120.0
RENEW_AFTER = 20.0  # seconds between renewals: well inside the lease


@dataclass(frozen=True)
class SiteSynced:
    """How one site's sync ended."""

    blog_id: int
    title: str
    published: int
    pulled: PullTally | None
    problem: str | None  # why it stopped, or None
    busy: bool = False  # another cmreader process was syncing it


def open_client(site: Site, timeout: float) -> WordPressClient:
    saved = credentials.load(site.api_url)
    if saved is None:
        raise AuthRefused(
            "no password saved for this site: run cmreader connect again"
        )
    user, password = saved
    return WordPressClient(site.api_url, user, password, timeout=timeout)


def sync_site(
    store: Store,
    site: Site,
    settings: SyncSettings,
    *,
    force: bool = False,
    client_for: Callable[[Site, float], WordPressClient] = open_client,
    title: str = "",
    holder: str | None = None,
) -> SiteSynced:
    """Publish the site's outbox, then pull; a failure is recorded on the site (and beside
    each item it kept), never raised: the reader and the CLI show it."""
    sites = store.sites
    holder = holder or lease_holder()
    name = title or site.home_url
    if not sites.take_lease(site.blog_id, holder, LEASE_SECONDS):
        return SiteSynced(site.blog_id, name, 0, None, "another cmreader is syncing it", True)

    renewed = [time.monotonic()]

    def renew() -> None:
        # Called at every page and item; written only now and then (a write per page of 100
        # comments cost the first pull a tenth of its time).
        if time.monotonic() - renewed[0] < RENEW_AFTER:
            return
        if not sites.take_lease(site.blog_id, holder, LEASE_SECONDS):
            raise SiteProblem("another cmreader took this sync over")
        renewed[0] = time.monotonic()

    publisher: Publisher | None = None
    try:
        with client_for(site, settings.timeout) as client:
            publisher = Publisher(sites, site, client, renew=renew, force=force)
            publisher.run()
            full = site.sync_count % max(settings.full_every, 1) == 0
            puller = Puller(
                sites, site, client, full=full, recent=settings.recent, renew=renew
            )
            tally = puller.run()
        sites.record_sync(
            site.blog_id,
            problem=None,
            posts_cursor=puller.posts_cursor,
            comments_cursor=puller.comments_cursor,
        )
        return SiteSynced(site.blog_id, name, publisher.published, tally, None)
    except SiteProblem as exc:
        sites.record_sync(site.blog_id, problem=exc.reason)
        published = publisher.published if publisher is not None else 0
        return SiteSynced(site.blog_id, name, published, None, exc.reason)
    finally:
        sites.drop_lease(site.blog_id, holder)


def sync_all(
    store: Store,
    settings: SyncSettings,
    *,
    blog_id: int | None = None,
    force: bool = False,
    client_for: Callable[[Site, float], WordPressClient] = open_client,
    holder: str | None = None,
) -> list[SiteSynced]:
    """Every connected site (or one blog's), one after the other; `holder` names this process
    on their leases (see sites.lease_holder)."""
    titles = {blog.id: blog.title or blog.url or "" for blog in store.list_blogs()}
    return [
        sync_site(
            store, site, settings, force=force, client_for=client_for,
            title=titles.get(site.blog_id, ""), holder=holder,
        )
        for site in store.sites.all()
        if site.connected and (blog_id is None or site.blog_id == blog_id)
    ]
