"""The reader's syncs with connected sites: at start, every few minutes, and on S, in a worker."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from cmreader.store.sites import lease_holder
from cmreader.tui.app_work import app_work
from cmreader.tui.messages import SitesSynced, SyncSummaryRead

if TYPE_CHECKING:
    from textual.widget import Widget

    from cmreader.config import SyncSettings
    from cmreader.store import Store

# The first sync waits this long after the panes are built: the reader is usable first.
START_DELAY = 2.0


class SiteSyncs:
    """Starts syncs on the App's workers; one at a time, results posted to `node`."""

    def __init__(self, node: Widget, store: Store, settings: SyncSettings) -> None:
        self.node = node
        self.store = store
        self.settings = settings
        self.running = False
        self.again: tuple[bool, bool] | None = None  # (forced, told) of a sync asked meanwhile
        self.closing = threading.Event()  # set when the reader quits: no sync is waited for
        self.holder = lease_holder()  # this reader's name on the sites' leases

    def start(self) -> None:
        """Read the status line's figures; then sync soon and every few minutes (a store with
        no connected site only reads that it has none: it never talks to a network)."""
        self.read_summary()
        self.node.set_timer(START_DELAY, lambda: self.sync(forced=False))
        if self.settings.every_minutes > 0:
            self.node.set_interval(
                self.settings.every_minutes * 60, lambda: self.sync(forced=False)
            )

    @property
    def app(self) -> object:  # app_work starts the worker on the node's App
        return self.node.app

    def sync(self, *, forced: bool, told: bool = False) -> bool:
        """Start a sync unless one runs (False: not started). forced: try every change now,
        whatever its pause after a failure (S, and right after a change of yours). told: the
        user asked (S): a problem is said, not only shown in the status line."""
        if self.store.read_only:
            return False
        if self.running:
            # S (or a change) while a sync runs: one more follows it, so what was just asked
            # for is not left to the next timer.
            again = self.again or (False, False)
            self.again = (again[0] or forced, again[1] or told)
            return False
        self.running = True
        self._sync(forced, told)
        return True

    def finished(self) -> None:
        """The sync ended (its message handled): the one asked for meanwhile starts."""
        again, self.again = self.again, None
        if again is not None:
            self.sync(forced=again[0], told=again[1])

    @app_work(group="sync")
    def _sync(self, forced: bool, told: bool) -> None:
        """The sync runs in a daemon thread this worker waits on: a reader quitting while the
        site is slow to answer does not wait for it (Textual joins its worker threads at exit;
        the store knows what was sent and not confirmed, and the next sync asks the site)."""
        from cmreader.sync.engine import sync_all

        done: dict[str, Any] = {}

        def run() -> None:
            try:
                done["results"] = sync_all(
                    self.store, self.settings, force=forced, holder=self.holder
                )
                done["summary"] = self.store.sites.summary()
            except BaseException as exc:  # told by the worker, below, on the App's error path
                done["error"] = exc

        thread = threading.Thread(target=run, name="cmreader-sync", daemon=True)
        try:
            thread.start()
            while thread.is_alive():
                thread.join(0.1)
                if self.closing.is_set():
                    # The next cmreader may sync at once: what was sent and not confirmed is
                    # marked as such in the store, and will be looked for on the site first.
                    for site in self.store.sites.all():
                        self.store.sites.drop_lease(site.blog_id, self.holder)
                    return
        finally:
            self.running = False
        if "error" in done:
            raise done["error"]
        self.node.post_message(SitesSynced(done["results"], done["summary"], told))

    @app_work(group="sync-summary", exclusive=True)
    def read_summary(self) -> None:
        self.node.post_message(SyncSummaryRead(self.store.sites.summary()))
