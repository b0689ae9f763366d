"""Replying from the comment tree: composer, drafts that survive, send, edit, delete, undo."""

from __future__ import annotations

import pytest
from stores import first_episode, row_by_author
from textual.pilot import Pilot

from cmreader.store import Store
from cmreader.tui.app import CmreaderApp
from cmreader.tui.widgets.composer import Composer

from .conftest import current, pause_for_draft, running, select, settle, sync, tree_of


async def reply_to(pilot: Pilot, comment_id: int) -> None:
    """Select a comment and open the composer on it."""
    await select(pilot, comment_id)
    await pilot.press("r")
    await settle(pilot)


async def type_and_pause(pilot: Pilot, text: str) -> None:
    """Type, then stop typing for longer than the draft's delay."""
    await pilot.press(*text)
    await pause_for_draft(pilot)


def composer_of(app: CmreaderApp) -> Composer | None:
    assert app.main_screen is not None
    return app.main_screen.conversation.composer


@sync
async def test_reply_send_keeps_cursor_and_folds(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie, boots) = first_episode(store, "Marie", "boots38")
    async with running(store) as (pilot, app):
        tree = tree_of(app)
        await select(pilot, boots.id)
        await pilot.press("space")  # a fold that must survive the reply
        await reply_to(pilot, marie.id)
        composer = composer_of(app)
        assert composer is not None and composer.target.parent_id == marie.id
        assert "Bonjour" in composer.target.quote
        await pilot.press(*"Merci q!")  # q is a letter here, not quit
        assert app.is_running
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert composer_of(app) is None
        replies = [r for r in store.comment_rows(post_id) if r.parent_id == marie.id]
        assert len(replies) == 1
        reply = replies[0]
        assert reply.body == "Merci q!" and reply.origin == "local" and reply.by_owner
        assert store.needs_answer() == []
        assert store.get_draft(post_id, marie.id) is None
        assert current(app).id == marie.id  # still on the comment answered: n goes on from it
        assert tree.folded == {boots.id}


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_draft_saved_while_typing_kept_on_escape_and_restored(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie,) = first_episode(store, "Marie")
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await type_and_pause(pilot, "Bonjour Marie")
        assert composer_of(app) is not None  # still open: saved while typing
        draft = store.get_draft(post_id, marie.id)
        assert draft is not None and draft.body == "Bonjour Marie"
        await pilot.press(*", et")
        await pilot.press("escape")  # closes at once, saving what the debounce had not
        await settle(pilot)
        assert composer_of(app) is None
        assert store.get_draft(post_id, marie.id).body == "Bonjour Marie, et"  # type: ignore[union-attr]
        # Nothing was sent.
        assert [r for r in store.comment_rows(post_id) if r.parent_id == marie.id] == []
        await pilot.press("r")
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None and composer.text == "Bonjour Marie, et"
        await pilot.press("escape")
        await settle(pilot)
        assert store.get_draft(post_id, marie.id) is not None  # untouched: still kept


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_draft_survives_a_killed_app_and_clearing_discards_it(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie,) = first_episode(store, "Marie")
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        await type_and_pause(pilot, "Un brouillon")
    # A new app on the same store (as after a crash) finds the draft.
    async with running(store) as (pilot, app):
        await reply_to(pilot, marie.id)
        composer = composer_of(app)
        assert composer is not None and composer.text == "Un brouillon"
        await pilot.press(*["backspace"] * len("Un brouillon"))
        assert composer.text == ""
        await pilot.press("escape")
        await settle(pilot)
        assert store.get_draft(post_id, marie.id) is None


@sync
async def test_comment_on_the_episode_from_the_list(ep_store: Store) -> None:
    store = ep_store
    post_id = store.list_posts()[0].id
    async with running(store) as (pilot, app):
        await pilot.press("r")
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None and composer.target.parent_id is None
        await pilot.press(*"Merci à tous", "ctrl+s")
        await settle(pilot)
        top = [r for r in store.comment_rows(post_id) if r.body == "Merci à tous"]
        assert len(top) == 1 and top[0].parent_id is None and top[0].depth == 0


@pytest.mark.usefixtures("quick_drafts")
@sync
async def test_edit_delete_confirm_and_undo(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie,) = first_episode(store, "Marie")
    reply = store.send_reply(post_id, marie.id, "Premier jet")
    becky_imported = row_by_author(store, post_id, "Becky")
    async with running(store) as (pilot, app):
        await select(pilot, becky_imported.id)
        await pilot.press("e")  # imported, not written here: refused
        await settle(pilot)
        assert composer_of(app) is None
        await select(pilot, reply.id)
        await pilot.press("e")
        await settle(pilot)
        composer = composer_of(app)
        assert composer is not None and composer.text == "Premier jet"
        await pilot.press("end", *" corrigé")
        await pause_for_draft(pilot)
        assert store.get_edit_draft(reply.id) == "Premier jet corrigé"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.get_comment(reply.id).body == "Premier jet corrigé"  # type: ignore[union-attr]
        assert current(app).id == reply.id
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("n")  # the dialog says no: nothing deleted
        await settle(pilot)
        assert any(r.id == reply.id for r in store.comment_rows(post_id))
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert all(r.id != reply.id for r in store.comment_rows(post_id))
        assert [e.comment_id for e in store.needs_answer()] == [marie.id]
        main = app.main_screen
        assert main is not None and main.check_action("undo", ()) is True
        await pilot.press("u")
        await settle(pilot)
        assert any(r.id == reply.id for r in store.comment_rows(post_id))
        assert current(app).id == reply.id
        assert main.check_action("undo", ()) is None  # nothing left to undo: greyed out
