"""The reader through Pilot: its fixtures, and the helpers its tests import (`from .conftest`).

The episode they read is the small French one of tests/stores.py, in a real store.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from stores import make_store
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from cmreader.config import Config
from cmreader.store import Store
from cmreader.store.models import CommentRow
from cmreader.tui.app import CmreaderApp, make_app
from cmreader.tui.widgets.comment_tree import CommentTree

# The app's clock in tests and snapshots: relative dates ("2 y ago") never move.
CLOCK = datetime(2016, 3, 13, 8, 30, tzinfo=UTC)
# The draft delay in the tests that only need a draft saved, not the real timing.
QUICK_DRAFT_DELAY = 0.05


def app_for(store: Store, config: Config | None = None) -> CmreaderApp:
    """The app as the command starts it (make_app), on the tests' fixed clock."""
    return make_app(store, config, now=CLOCK)


@asynccontextmanager
async def running(
    store: Store,
    size: tuple[int, int] = (120, 40),
    config: Config | None = None,
    *,
    message_hook: Callable[[Any], None] | None = None,
    settled: bool = True,
) -> AsyncIterator[tuple[Pilot[Any], CmreaderApp]]:
    """The app on store (app_for), run headless at size; yields (pilot, app) once settled
    (settled=False: at once, before any worker has finished)."""
    app = app_for(store, config)
    async with app.run_test(size=size, message_hook=message_hook) as pilot:
        if settled:
            await settle(pilot)
        yield pilot, app


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and the messages they post be handled (they may start more)."""
    await panes_built(pilot)
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # replaced by a newer worker of its group (exclusive): that one is awaited next
        except WorkerFailed:
            pass  # told by the App's one error handler: tests look at what it showed
        await pilot.pause()


async def panes_built(pilot: Pilot) -> None:
    """The reader builds its article and conversation panes just after the first frame."""
    main = getattr(pilot.app, "main_screen", None)
    for _ in range(200):
        if main is None or main.panes_ready:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the reader's panes were not built within 2 s")


async def pause_for_draft(pilot: Pilot) -> None:
    """Stop typing for longer than the draft's delay, as it is now (quick_drafts makes it
    short), then let the save land."""
    from cmreader.tui.widgets import composer

    await asyncio.sleep(composer.DRAFT_DELAY + 0.25)
    await settle(pilot)


def tree_of(app: CmreaderApp) -> CommentTree:
    assert app.main_screen is not None
    return app.main_screen.comment_tree


def tree_text(tree: CommentTree) -> list[str]:
    """Plain text of every line the comment pane shows now."""
    return ["".join(seg.text for seg in tree.render_line(y)) for y in range(tree.size.height)]


def current(app: CmreaderApp) -> CommentRow:
    row = tree_of(app).current
    assert row is not None
    return row


async def select(pilot: Pilot, comment_id: int) -> None:
    tree = tree_of(pilot.app)  # type: ignore[arg-type]
    tree.focus()
    assert tree.select_comment(comment_id)
    await pilot.pause()


@pytest.fixture
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> float:
    """A short draft delay (the composer reads DRAFT_DELAY when it starts its timer), for the
    tests that wait for a draft to be saved; the real delay is kept where timing is the point."""
    from cmreader.tui.widgets import composer

    monkeypatch.setattr(composer, "DRAFT_DELAY", QUICK_DRAFT_DELAY)
    return QUICK_DRAFT_DELAY


@pytest.fixture
def tui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp home for everything the app could touch."""
    monkeypatch.setenv("CMREADER_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def ep_store(tui_env: Path) -> Iterator[Store]:
    s = make_store(tui_env / "s.db")
    yield s
    s.close()
