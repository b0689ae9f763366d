"""The reader on a store connected to the real site, through Pilot: S, the status line, and
each reply's state beside it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.conftest import running, select, settle, sync, tree_of, tree_text

from cmreader.config import Config, SyncSettings
from cmreader.tui.messages import SitesSynced
from cmreader.tui.widgets.sync_line import SyncLine
from sync.helpers import connected, on_site, row_by_body

CONFIG = Config(sync=SyncSettings(every_minutes=0, timeout=3.0))


def _line(app) -> str:
    return str(app.main_screen.query_one(SyncLine).render())


async def _until(pilot, done, what: str) -> None:
    """Until done() holds, the reader having handled what its syncs posted (10 s at most)."""
    for _ in range(100):
        await settle(pilot)
        if done():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not seen in 10 s: {what}")


@sync
async def test_reply_moderate_and_see_the_site_from_the_reader(
    wordpress, fault_proxy, tmp_path: Path
) -> None:
    post = wordpress.add_post("Episode", "<p>text</p>")
    wordpress.add_comment(post, "A question from Ann", author="Ann")
    held = wordpress.add_comment(post, "Held for review", author="Bob", status="hold")
    spammy = wordpress.add_comment(post, "Looks fine", author="Cid")
    store = connected(tmp_path, fault_proxy.url, wordpress)
    seen: list[SitesSynced] = []

    def hook(message: object) -> None:
        if isinstance(message, SitesSynced):
            seen.append(message)

    async with running(store, config=CONFIG, message_hook=hook) as (pilot, app):
        said: list[str] = []
        shown = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), shown(message, **kw))[1]
        await _until(pilot, lambda: seen, "the sync at start")
        assert "synced just now" in _line(app)

        # Reply and approve: both go out on their own, a moment after they are stored.
        await select(pilot, row_by_body(store, "A question from Ann").id)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Thanks Ann")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Stored and queued is not posted: it is never said to be.
        assert "Reply saved; publishing it on the site…" in said and "Reply sent." not in said
        await select(pilot, row_by_body(store, "Held for review").id)
        await pilot.press("a")
        await _until(
            pilot, lambda: {c["id"]: c["status"] for c in wordpress.comments()}[held]
            == "approved", "the approval on the site",
        )
        await _until(pilot, lambda: "to publish" not in _line(app), "nothing left to publish")
        assert len(on_site(wordpress, "Thanks Ann")) == 1
        assert {c["id"]: c["status"] for c in wordpress.comments()}[held] == "approved"
        assert row_by_body(store, "Thanks Ann").sync_state == "published"
        assert any("Admin (you)" in line and "published" in line for line in tree_text(
            tree_of(app)))
        assert "to publish" not in _line(app)

        # Spam on the site: S brings it back.
        wordpress.set_comment_status(spammy, "spam")
        await pilot.press("S")
        await _until(pilot, lambda: row_by_body(store, "Looks fine").status == "spam", "spam")
        # Spam leaves the thread (H shows it).
        await _until(pilot, lambda: not any("Cid" in line for line in tree_text(tree_of(app))),
                     "the spam out of the thread")

        # The site goes away: the reply is kept, and says why it is not out yet.
        fault_proxy.down()
        await select(pilot, row_by_body(store, "A question from Ann").id)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Written offline")
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: "1 failed" in _line(app), "the failed publication")
        assert "not synced: site unreachable" in _line(app)
        assert "1 to publish" in _line(app) and "1 failed" in _line(app)
        lines = tree_text(tree_of(app))
        shown = "\n".join(lines)
        assert "⚠ not published yet: site unreachable" in shown, shown

        # Back: S publishes it, once.
        fault_proxy.up()
        await pilot.press("S")
        await _until(pilot, lambda: "to publish" not in _line(app), "the reply published")
        assert len(on_site(wordpress, "Written offline")) == 1
        assert "synced just now" in _line(app) and "to publish" not in _line(app)


def test_quitting_during_a_slow_sync_does_not_wait_for_the_site(
    wordpress, fault_proxy, tmp_path: Path
) -> None:
    import time

    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "A question", author="Ann")
    store = connected(tmp_path, fault_proxy.url, wordpress)

    async def quit_while_syncing() -> None:
        async with running(store, config=CONFIG) as (pilot, app):
            fault_proxy.delay(30.0, count=50)  # every answer from now on comes 30 s late
            await pilot.press("S")
            await pilot.pause(0.5)
            assert "syncing…" in _line(app)
            started[0] = time.perf_counter()
            await pilot.press("q")

    started = [0.0]
    asyncio.run(quit_while_syncing())
    assert time.perf_counter() - started[0] < 5.0
    fault_proxy.clear()
    # The next reader syncs at once: the lease went with the one that quit.
    (site,) = store.sites.all()
    assert store.sites.take_lease(site.blog_id, "next:reader", 60)


@sync
async def test_s_during_a_sync_is_followed_by_another(
    wordpress, fault_proxy, tmp_path: Path
) -> None:
    post = wordpress.add_post("Episode", "")
    wordpress.add_comment(post, "A question", author="Ann")
    store = connected(tmp_path, fault_proxy.url, wordpress)
    seen: list[SitesSynced] = []

    def hook(message: object) -> None:
        if isinstance(message, SitesSynced):
            seen.append(message)

    async with running(store, config=CONFIG, message_hook=hook) as (pilot, app):
        await _until(pilot, lambda: seen, "the sync at start")
        fault_proxy.delay(1.0, count=2)
        await pilot.press("S")
        await pilot.pause(0.2)
        wordpress.add_comment(post, "Came during the sync", author="Bob")
        await pilot.press("S")  # while the first runs: it follows, and sees Bob's comment
        await _until(pilot, lambda: len(seen) >= 3, "the sync asked for meanwhile")
        assert any(r.body == "Came during the sync" for r in store.comment_rows(
            store.list_posts()[0].id))
