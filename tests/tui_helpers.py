"""Helpers of the TUI tests: start the app on a store, wait for its workers, read the panes."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from textual.pilot import Pilot

from cmreader.store import Store
from cmreader.store.models import CommentRow
from cmreader.tui.app import CmreaderApp
from cmreader.tui.widgets.comment_tree import CommentTree


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and the messages they post be handled (they may start more)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


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


def row_by_author(store: Store, post_id: int, author: str) -> CommentRow:
    return next(r for r in store.comment_rows(post_id) if r.author == author)


async def select(pilot: Pilot, comment_id: int) -> None:
    tree = tree_of(pilot.app)  # type: ignore[arg-type]
    tree.focus()
    assert tree.select_comment(comment_id)
    await pilot.pause()
