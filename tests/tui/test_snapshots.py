"""Snapshots of the reader at fixed sizes: the main screen, the inbox and the composer."""

from __future__ import annotations

from pathlib import Path

from stores import make_store
from textual.pilot import Pilot

from cmreader.tui.app import CmreaderApp

from .conftest import app_for, settle


def app_on_sample(tmp: Path) -> CmreaderApp:
    return app_for(make_store(tmp / "snap.db"))


async def ready(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.pause(0.2)
    await settle(pilot)


class TestMainScreen:
    """The three panes on the newest episode, list focused, at the sizes users have."""

    def test_80x24(self, snap_compare, tui_env: Path) -> None:
        assert snap_compare(app_on_sample(tui_env), terminal_size=(80, 24), run_before=ready)

    def test_120x40(self, snap_compare, tui_env: Path) -> None:
        assert snap_compare(app_on_sample(tui_env), terminal_size=(120, 40), run_before=ready)


class TestInbox:
    """The comments that wait for an answer, across episodes."""

    def test_inbox_100x30(self, snap_compare, tui_env: Path) -> None:
        async def open_inbox(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("i")
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(100, 30), run_before=open_inbox)


class TestComposer:
    """Replying to the last question, with its text in view and a half-typed answer."""

    def test_composer_100x30(self, snap_compare, tui_env: Path) -> None:
        async def reply(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("i")
            await ready(pilot)
            await pilot.press("enter")
            await ready(pilot)
            await pilot.press("r")
            await ready(pilot)
            await pilot.press(*"Merci !")
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(100, 30), run_before=reply)
