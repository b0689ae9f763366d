"""The reader under attack and on a bad day: hostile titles, pasted escapes, steady typing,
a full disk, a vanished store, a read-only store. Real stores, the real app through Pilot."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from mounts import fill, remount_read_only, tmpfs
from stores import episode, first_episode, make_store
from textual.pilot import Pilot
from textual.widgets import TextArea

from cmreader.config import Config
from cmreader.journal import read_pending
from cmreader.store import Store
from cmreader.tui.app import CmreaderApp
from cmreader.tui.screens.confirm import ConfirmScreen
from cmreader.tui.widgets.composer import DRAFT_DELAY, Composer

from .conftest import pause_for_draft, running, select, settle, sync

HOSTILE_TITLES = (
    "Fixing [/b] tags in old posts",
    "[Update] New release is out",
    "[@click=app.screenshot('x','DIR')]Episode 6[/]",
)
OSC52 = "\x1b]52;c;aGFja2Vk\x07"


def composer_of(app: CmreaderApp) -> Composer:
    assert app.main_screen is not None and app.main_screen.conversation.composer is not None
    return app.main_screen.conversation.composer


def messages(app: CmreaderApp) -> list[str]:
    """Every notification shown so far; each must have been given as plain text."""
    shown = list(app._notifications)
    assert all(not n.markup for n in shown), [n.message for n in shown if n.markup]
    return [n.message for n in shown]


async def reply_to_marie(pilot: Pilot, store: Store) -> tuple[int, int]:
    post_id, (marie,) = first_episode(store, "Marie")
    await select(pilot, marie.id)
    await pilot.press("r")
    await settle(pilot)
    return post_id, marie.id


@sync
async def test_titles_are_never_markup(tui_env: Path) -> None:
    posts = [episode(key=f"t{n}", title=title, published=f"2015-0{n + 1}-01T00:00:00Z")
             for n, title in enumerate(HOSTILE_TITLES)]
    store = make_store(tui_env / "s.db", *posts)
    async with running(store) as (pilot, app):
        assert app.main_screen is not None
        seen = []
        for post in store.list_posts():
            app.main_screen.open_episode(post.id, None, None)
            await settle(pilot)
            title = app.main_screen.article._border_title
            assert title is not None
            seen.append(title.plain)
        assert sorted(seen) == sorted(HOSTILE_TITLES)
        # The click that would run an action is not in the title: nothing was parsed.
        await pilot.click("#article", offset=(4, 0))
        await settle(pilot)
        assert app.is_running
    assert not list(tui_env.glob("**/x*.svg"))
    store.close()


@sync
async def test_own_messages_keep_their_brackets(ep_store: Store) -> None:
    async with running(ep_store, config=Config(keys={"no_such_action": "w"})) as (_, app):
        assert any("the config's [keys]: no_such_action" in m for m in messages(app))


@sync
async def test_a_draft_holding_escapes_is_shown_harmlessly(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie,) = first_episode(store, "Marie")
    store.save_draft(post_id, marie.id, f"avant{OSC52}après\x9b31m")
    async with running(store) as (pilot, app):
        await reply_to_marie(pilot, store)
        area = composer_of(app).query_one(TextArea)
        assert area.text == "avant\u241b]52;c;aGFja2Vk\u2407après\ufffd31m"
        # Pasted text too: every edit goes through the same door.
        area.insert("\x1b[2J\x1b]0;pwned\x07")
        await pilot.pause()
        shown = "".join(
            seg.text for y in range(area.size.height) for seg in area.render_line(y)
        )
        assert "\x1b" not in area.text and "\x07" not in area.text
        assert "\x1b" not in shown and "\x9b" not in shown and "\u241b[2J" in area.text


@sync
async def test_every_key_shown_is_in_the_journal_at_once(ep_store: Store) -> None:
    """Before the draft timer fires, the journal already holds what the composer shows."""
    store = ep_store
    async with running(store) as (pilot, app):
        await reply_to_marie(pilot, store)
        await pilot.press(*"Bonjour")
        composer = composer_of(app)
        assert composer.text == "Bonjour" and composer._timer is not None  # not saved yet
        assert [t.text for t in read_pending(app.open_journal().path)] == ["Bonjour"]
        await pilot.press("backspace")
        assert [t.text for t in read_pending(app.open_journal().path)] == ["Bonjou"]


@sync
async def test_steady_typing_is_saved_within_a_second(ep_store: Store) -> None:
    """Three keys a second never pause long enough for a debounce: saving must not wait."""
    store = ep_store
    async with running(store) as (pilot, app):
        post_id, marie_id = await reply_to_marie(pilot, store)
        typed = ""
        pressed: list[float] = []  # when each key went in
        saved_while_typing = []
        loop = asyncio.get_running_loop()
        for letter in "Bonjour Marie, merci":
            await pilot.press(letter)
            pressed.append(loop.time())
            typed += letter
            await asyncio.sleep(0.3)
            draft = store.get_draft(post_id, marie_id)
            saved_while_typing.append((loop.time(), draft.body if draft else ""))
        # At every moment, the store held at least what was typed a second before.
        for at, body in saved_while_typing:
            due = sum(1 for t in pressed if t <= at - (DRAFT_DELAY + 0.4))
            assert len(body) >= due, (due, body)
        assert saved_while_typing[-1][1] and typed.startswith(saved_while_typing[-1][1])


# -- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system of this test's own (tmpfs), unmounted at the end."""
    with tmpfs(tmp_path / "disk", "4m") as where:
        yield where


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_disk_full_keeps_the_text_says_so_and_asks_before_quitting(
    small_disk: Path, tui_env: Path
) -> None:
    store = make_store(small_disk / "s.db")
    big = "Une très longue réponse. " * 8_160 + "Fin."  # about 204,000 characters
    async with running(store) as (pilot, app):
        post_id, marie_id = await reply_to_marie(pilot, store)
        filler = fill(small_disk, 0)
        composer = composer_of(app)
        composer.query_one(TextArea).insert(big)
        await pause_for_draft(pilot)
        assert composer.problem is not None and "full" in composer.problem
        assert composer.text == big and composer.has_class("-unsaved")
        assert composer.border_subtitle is not None and "NOT SAVED" in composer.border_subtitle
        assert any("Not saved" in m for m in messages(app))
        # Sending fails the same way, and the text stays.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.main_screen is not None and app.main_screen.conversation.composer is composer
        assert composer.text == big
        # The journal (on another disk) holds it.
        journal = app.open_journal()
        assert [t.text for t in read_pending(journal.path)] == [big]
        # Quitting asks first, and no means stay.
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert app.is_running and composer.text == big
        # Room again: the next key saves it, and the warning goes.
        filler.unlink()
        await pilot.press("!")
        await pause_for_draft(pilot)
        assert composer.problem is None
        draft = store.get_draft(post_id, marie_id)
        assert draft is not None and draft.body == big + "!"
    store.close()


# -- the store vanishes or cannot be written -------------------------------------------------


@sync
async def test_a_store_deleted_while_running_is_noticed_before_anything_is_lost(
    ep_store: Store,
) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        await reply_to_marie(pilot, store)
        os.unlink(store.path)
        await pilot.press(*"Merci Marie")
        await pilot.press("ctrl+s")
        await settle(pilot)
        composer = composer_of(app)
        assert composer.text == "Merci Marie" and composer.problem
        assert "replaced" in composer.problem or "deleted" in composer.problem
        assert not any(m == "Reply sent." for m in messages(app))
        assert [t.text for t in read_pending(app.open_journal().path)][-1] == "Merci Marie"


@sync
async def test_a_read_only_store_is_readable_and_refuses_writes_clearly(tui_env: Path) -> None:
    with tmpfs(tui_env / "ro", "4m") as folder:
        make_store(folder / "s.db").close()
        remount_read_only(folder)
        store = Store.open(folder / "s.db")
        try:
            await _read_only_session(store)
        finally:
            store.close()


async def _read_only_session(store: Store) -> None:
    async with running(store) as (pilot, app):
        assert app.main_screen is not None and app.main_screen.current_post is not None
        tree = app.main_screen.comment_tree
        assert len(tree.index) == 5  # the comments show although "visited" cannot be written
        title = app.main_screen.episodes._border_title
        assert title is not None and "read-only" in title.plain
        await reply_to_marie(pilot, store)
        assert app.main_screen.conversation.composer is None
        assert any("read-only" in m for m in messages(app))
        await pilot.press("q")  # a plain key again: it quits, it does not type
        await settle(pilot)
        assert not app.is_running


@sync
async def test_a_reply_during_another_process_long_write_waits_and_lands(
    ep_store: Store,
) -> None:
    store = ep_store
    holder: subprocess.Popen[str] | None = None
    try:
        async with running(store) as (pilot, app):
            post_id, marie_id = await reply_to_marie(pilot, store)
            # Another process takes the write lock and keeps it until told to let go.
            holder = subprocess.Popen(
                [sys.executable, "-c", (
                    "import sqlite3, sys\n"
                    f"db = sqlite3.connect({str(store.path)!r}, isolation_level=None)\n"
                    "db.execute('BEGIN IMMEDIATE')\n"
                    "print('holding', flush=True)\n"
                    "sys.stdin.readline()\n"
                    "db.execute('ROLLBACK')\n"
                )],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
            assert holder.stdin is not None and holder.stdout is not None
            assert holder.stdout.readline() == "holding\n"
            await pilot.press(*"Merci Marie")
            await pilot.press("ctrl+s")
            composer = composer_of(app)
            for _ in range(100):
                await asyncio.sleep(0.05)
                if "waiting for another cmreader" in str(composer.border_subtitle):
                    break
            assert "waiting for another cmreader" in str(composer.border_subtitle)
            assert composer.problem is None
            holder.stdin.write("\n")
            holder.stdin.flush()
            for _ in range(100):
                await asyncio.sleep(0.05)
                if app.main_screen is not None and app.main_screen.conversation.composer is None:
                    break
            await settle(pilot)
            replies = [r for r in store.comment_rows(post_id) if r.parent_id == marie_id]
            assert [(r.body, r.status) for r in replies] == [("Merci Marie", "approved")]
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()


# -- one path for errors ---------------------------------------------------------------------


@sync
async def test_any_worker_failure_is_told_once_and_logged(ep_store: Store, tui_env: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure nobody foresaw (here the article's renderer breaks) is shown, never lost."""
    from textual.worker import Worker, WorkerState

    from cmreader.tui.error_log import log_path
    from cmreader.tui.widgets import article

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(article, "render_article", broken)
    failed: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Worker.StateChanged) and message.state is WorkerState.ERROR:
            failed.append(message.worker.name)

    async with running(ep_store, message_hook=hook) as (_, app):
        assert failed
        shown = [m for m in messages(app) if "RuntimeError: the renderer broke" in m]
        assert len(shown) == len(failed) and app.is_running
        assert str(log_path()) in shown[0]
    assert "the renderer broke" in log_path().read_text()


@sync
async def test_a_store_error_in_a_read_is_one_clear_line(ep_store: Store) -> None:
    async with running(ep_store) as (pilot, app):
        ep_store.db.execute("ALTER TABLE comments RENAME TO gone")  # the store is broken now
        await pilot.press("i")
        await settle(pilot)
        assert any("gone" not in m and "no such table" in m for m in messages(app)), messages(app)
        assert app.is_running
