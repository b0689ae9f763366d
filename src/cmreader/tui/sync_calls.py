"""The reader's syncs with connected sites: at start, every few minutes, and on S, in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
        self.connected = False  # known after the first summary is read

    def start(self) -> None:
        """Read the status line's figures; then sync at once and every few minutes, when a
        site is connected (a store with none never talks to a network)."""
        self.read_summary()
        self.node.set_timer(START_DELAY, lambda: self.sync(asked=False, if_connected=True))
        if self.settings.every_minutes > 0:
            self.node.set_interval(
                self.settings.every_minutes * 60,
                lambda: self.sync(asked=False, if_connected=True),
            )

    @property
    def app(self) -> object:  # app_work starts the worker on the node's App
        return self.node.app

    def sync(self, *, asked: bool, if_connected: bool = False) -> bool:
        """Start a sync unless one runs; False when it was not started."""
        if self.running or (if_connected and not self.connected):
            return False
        if self.store.read_only:
            return False
        self.running = True
        self._sync(asked)
        return True

    @app_work(group="sync")
    def _sync(self, asked: bool) -> None:
        from cmreader.sync.engine import sync_all

        try:
            # A sync the user asked for tries every change now, whatever its pause.
            results = sync_all(self.store, self.settings, force=asked)
            summary = self.store.sites.summary()
        finally:
            self.running = False
        self.node.post_message(SitesSynced(results, summary, asked))

    @app_work(group="sync-summary", exclusive=True)
    def read_summary(self) -> None:
        self.node.post_message(SyncSummaryRead(self.store.sites.summary()))
