"""S on a store with no connected site: it says so, shows no status line, and touches no network."""

from __future__ import annotations

import asyncio

import pytest

from cmreader.store import Store
from cmreader.tui.messages import SitesSynced
from cmreader.tui.widgets.sync_line import PUBLISH_DELAY, SyncLine

from .conftest import running, select, settle, sync


@sync
async def test_s_without_a_connected_site_says_so(ep_store: Store, monkeypatch) -> None:
    import httpx

    def no_network(*args, **kwargs):
        raise AssertionError("a store with no connected site opened a connection")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    seen: list[SitesSynced] = []
    async with running(ep_store, message_hook=lambda m: isinstance(m, SitesSynced)
                       and seen.append(m)) as (pilot, app):
        said: list[str] = []
        shown = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), shown(message, **kw))[1]
        await pilot.press("S")
        for _ in range(50):
            await settle(pilot)
            if seen:
                break
        assert seen and seen[-1].results == []
        assert "No site is connected: cmreader connect URL --user NAME" in said
        line = app.main_screen.query_one(SyncLine)
        assert not line.display or not line.has_class("-connected")


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_a_reply_on_a_store_without_sites_says_nothing_of_sites(ep_store: Store) -> None:
    from stores import first_episode

    _, (marie,) = first_episode(ep_store, "Marie")
    async with running(ep_store) as (pilot, app):
        said: list[str] = []
        shown = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), shown(message, **kw))[1]
        await select(pilot, marie.id)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Merci")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await asyncio.sleep(PUBLISH_DELAY + 0.3)  # the sync after a change has run by now
        await settle(pilot)
        assert "Reply sent." in said
        assert not any("site" in s.lower() for s in said), said
