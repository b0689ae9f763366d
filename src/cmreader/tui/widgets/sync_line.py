"""The sites' status line ("synced 2 min ago · 3 to publish · 1 failed") and its syncs."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import on
from textual.message import Message
from textual.widgets import Static

from cmreader.config import SyncSettings
from cmreader.store import Store
from cmreader.store.models import SyncSummary
from cmreader.tui import safe_text
from cmreader.tui.messages import SitesSynced, SyncSummaryRead
from cmreader.tui.sync_calls import SiteSyncs
from cmreader.tui.timefmt import relative

# After a change of yours, the sync that publishes it starts this soon.
PUBLISH_DELAY = 1.0


def sync_words(summary: SyncSummary, *, running: bool, now: datetime) -> list[str]:
    """The line's parts, in the order they are read."""
    if running:
        parts = ["syncing…"]
    elif summary.problem:
        parts = [f"not synced: {summary.problem}"]
    elif summary.synced_at:
        when = relative(summary.synced_at, now)
        parts = ["synced just now" if when == "now" else f"synced {when}"]
    else:
        parts = ["not synced yet"]
    if summary.to_publish:
        parts.append(f"{summary.to_publish} to publish")
    if summary.failed:
        parts.append(f"{summary.failed} failed")
    if summary.conflicts:
        parts.append(f"{summary.conflicts} in conflict")
    return parts


class SyncLine(Static):
    """One line under the panes, above the footer (which is docked: this one is not, or they
    would overlap), shown only when the store has a connected site."""

    DEFAULT_CSS = """
    SyncLine {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        display: none;
    }
    SyncLine.-connected { display: block; }
    SyncLine.-trouble { color: $warning; }
    """

    class StoreChanged(Message):
        """A sync brought or published something: the screen reads its panes again."""

    def __init__(self, store: Store, settings: SyncSettings) -> None:
        super().__init__(id="sync-line")
        self.syncs = SiteSyncs(self, store, settings)
        self.summary: SyncSummary | None = None

    def on_mount(self) -> None:
        self.syncs.start()
        self.set_interval(30, self._show)  # "synced 2 min ago" stays true

    def on_unmount(self) -> None:
        self.syncs.closing.set()

    def sync_now(self) -> None:
        """S: sync every connected site now, whatever their pauses after a failure."""
        if self.syncs.sync(forced=True, told=True):
            self._show()
        elif self.syncs.running:
            safe_text.notify(self, "A sync is under way; another follows it.", timeout=3)

    def wrote(self) -> None:
        """A change of yours was stored: it may be queued for a site, to go out soon."""
        self.syncs.read_summary()
        self.set_timer(PUBLISH_DELAY, lambda: self.syncs.sync(forced=True))

    @on(SyncSummaryRead)
    def _summary_read(self, message: SyncSummaryRead) -> None:
        self.summary = message.summary
        self._show()

    @on(SitesSynced)
    def _synced(self, message: SitesSynced) -> None:
        before, self.summary = self.summary, message.summary
        self._show()
        # What waits to be published changed state (a reply now failed, say): its line too.
        changed = before is not None and before[3:] != message.summary[3:]
        if message.asked and not message.results:
            safe_text.notify(
                self, "No site is connected: cmreader connect URL --user NAME", timeout=6
            )
        for result in message.results:
            tally = result.pulled
            changed |= bool(result.published) or (tally is not None and any(tally))
            if result.problem and message.asked:
                safe_text.notify(
                    self, result.title, ": not synced: ", result.problem,
                    severity="warning", timeout=8,
                )
        if changed:
            self.post_message(self.StoreChanged())
        self.syncs.finished()

    def _show(self) -> None:
        summary = self.summary
        if summary is None:
            return
        self.set_class(summary.sites > 0, "-connected")
        self.set_class(bool(summary.problem or summary.failed or summary.conflicts), "-trouble")
        # Real time, not the app's clock: the sync happened now, whatever the app is told.
        words = sync_words(summary, running=self.syncs.running, now=datetime.now(UTC))
        self.update(safe_text.content("⇅ ", " · ".join(words)))
