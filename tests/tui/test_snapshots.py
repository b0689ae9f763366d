"""Snapshots of the reader at fixed sizes: the main screen, a folded thread, the help, search,
inbox, composer and delete confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest
from stores import first_episode, make_store
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from cmreader.tui.app import CmreaderApp

from .conftest import app_for, select, settle


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

    def test_160x40(self, snap_compare, tui_env: Path) -> None:
        assert snap_compare(app_on_sample(tui_env), terminal_size=(160, 40), run_before=ready)


class TestFolded:
    """boots38's thread folded in the comment pane, its hidden reply counted."""

    def test_folded_thread_120x40(self, snap_compare, tui_env: Path) -> None:
        async def fold(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("tab", "tab")  # the comments, on boots38's question
            await pilot.press("space")
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(120, 40), run_before=fold)


class TestHelp:
    """Every key and what it does, over the main screen."""

    def test_help_120x40(self, snap_compare, tui_env: Path) -> None:
        async def open_help(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("question_mark")
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(120, 40), run_before=open_help)


class TestSearch:
    """Searching for "livres": Marie's question is the one result."""

    def test_search_results_100x30(self, snap_compare, tui_env: Path) -> None:
        async def search(pilot: Pilot) -> None:
            await ready(pilot)
            await pilot.press("slash")
            await ready(pilot)
            await pilot.press(*"livres")
            # A blinking cursor would make the picture depend on the moment it is taken.
            for box in pilot.app.screen.query(Input):
                box.cursor_blink = False
            await pilot.pause(0.4)
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(100, 30), run_before=search)


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
            # A blinking cursor would make the picture depend on the moment it is taken.
            pilot.app.screen.query_one("#composer-text", TextArea).cursor_blink = False
            await ready(pilot)

        assert snap_compare(app_on_sample(tui_env), terminal_size=(100, 30), run_before=reply)


class TestConfirmDelete:
    """d on one of your own replies asks before deleting it."""

    def test_confirm_delete_100x30(self, snap_compare, tui_env: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
        # Sent half an hour before the app's clock (CLOCK), not in its future.
        monkeypatch.setattr("cmreader.store.replies.now_iso", lambda: "2016-03-13T08:00:00.000000Z")
        store = make_store(tui_env / "snap.db")
        post_id, (marie,) = first_episode(store, "Marie")
        reply_id = store.send_reply(post_id, marie.id, "Merci Marie, lis les blogs pros.").id

        async def ask(pilot: Pilot) -> None:
            await ready(pilot)
            await select(pilot, reply_id)
            await pilot.press("d")
            await ready(pilot)

        assert snap_compare(app_for(store), terminal_size=(100, 30), run_before=ask)
