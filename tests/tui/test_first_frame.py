"""The first frame: the episode list at once, the other panes right after it, keys safe between."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from stores import episode, make_store

from .conftest import running, settle, sync


def test_the_first_frame_does_not_import_the_other_panes() -> None:
    # What the article and the conversation need is imported after the first frame: a module
    # imported by the app's own means it would be back on the first frame's path.
    later = ["cmreader.tui.widgets.article", "cmreader.tui.widgets.conversation",
             "cmreader.tui.widgets.comment_tree", "cmreader.tui.widgets.composer",
             "cmreader.importers", "cmreader.journal", "sqlite_utils", "markdownify",
             "tomllib"]
    code = (
        "import sys, cmreader.cli, cmreader.tui.app, cmreader.store;"
        f"print([m for m in {later!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout


@sync
async def test_keys_before_the_panes_exist_wait_for_them(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The panes are built only when the test says so: the keys surely come before them.
    monkeypatch.setattr("cmreader.tui.screens.main.FIRST_FRAME_GRACE", 60.0)
    older = episode(key="ep2", title="Épisode 2", published="2014-02-10T08:30:00Z")
    store = make_store(tui_env / "s.db", episode(), older)
    async with running(store, settled=False) as (pilot, app):
        main = app.main_screen
        assert main is not None
        # Keys for panes that are not built yet do nothing; enter on an episode is kept.
        await pilot.press("r", "f", "x", "n", "j", "enter")
        assert not main.panes_ready and main.current_post is None
        assert not main.query("FindBar") and not main.query("Composer")
        await main.build_panes()
        await settle(pilot)
        assert main.current_post is not None and main.current_post.key.endswith("ep2")
        assert app.focused is main.comment_tree
        assert main.conversation.composer is None
    store.close()


@sync
async def test_quitting_before_the_panes_exist(tui_env: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmreader.tui.screens.main.FIRST_FRAME_GRACE", 60.0)
    store = make_store(tui_env / "s.db", episode())
    async with running(store, settled=False) as (pilot, app):
        assert app.main_screen is not None and not app.main_screen.panes_ready
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0
    store.close()


def test_the_command_collects_no_garbage_only_until_the_first_frame() -> None:
    code = (
        "import gc, cmreader.launch as launch;"
        "off = not gc.isenabled();"
        "launch.collect_again();"
        "print(off, gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True", "True", "True"]
