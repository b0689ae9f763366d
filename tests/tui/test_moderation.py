"""Moderating from the comment tree: a, s, d and u, as in wp-admin, staying in place."""

from __future__ import annotations

from pathlib import Path

from stores import episode, make_store

from cmreader.records import CommentRecord
from cmreader.tui.messages import Moderated

from .conftest import current, running, select, settle, sync


def held_store(tmp: Path):
    held = CommentRecord("held", None, "Nouvelle", "2014-03-13T09:00:00Z", "Une question ?",
                         status="pending")
    ping = CommentRecord("ping", None, "Un autre blog", "2014-03-13T10:00:00Z", "[…] lu […]",
                         type="pingback")
    return make_store(tmp / "s.db", episode(extra=(held, ping)))


def by_author(store, author: str):
    post_id = store.list_posts()[0].id
    return next(r for r in store.comment_rows(post_id, show_hidden=True) if r.author == author)


@sync
async def test_approve_spam_and_undo_in_the_tree(tui_env: Path) -> None:
    store = held_store(tui_env)
    held = by_author(store, "Nouvelle")
    done: list[Moderated] = []

    def hook(message: object) -> None:
        if isinstance(message, Moderated) and message not in done:
            done.append(message)

    async with running(store, message_hook=hook) as (pilot, app):
        await select(pilot, held.id)
        await pilot.press("a")
        await settle(pilot)
        assert by_author(store, "Nouvelle").status == "approved"
        assert by_author(store, "Nouvelle").needs_answer  # approved: it waits for you now
        assert current(app).id == held.id  # the cursor stays on it
        assert [(m.moderation.before, m.moderation.after) for m in done] == [
            ("pending", "approved")]
        await pilot.press("s")
        await settle(pilot)
        assert by_author(store, "Nouvelle").status == "spam"
        assert not by_author(store, "Nouvelle").needs_answer
        # Spam is hidden: the cursor is on the comment that took its place.
        assert current(app).id != held.id
        await pilot.press("u")
        await settle(pilot)
        assert by_author(store, "Nouvelle").status == "approved"
        await pilot.press("u")  # nothing left to undo: greyed, does nothing
        await settle(pilot)
        assert by_author(store, "Nouvelle").status == "approved"
    store.close()


@sync
async def test_trash_and_a_pingback_that_never_waits(tui_env: Path) -> None:
    store = held_store(tui_env)
    ping = by_author(store, "Un autre blog")
    assert ping.status == "approved" and not ping.needs_answer
    marie = by_author(store, "Marie")
    async with running(store) as (pilot, app):
        await select(pilot, marie.id)
        await pilot.press("d")  # not yours: trashed at once, no question
        await settle(pilot)
        assert by_author(store, "Marie").status == "trash"
        assert store.list_posts()[0].waiting_count == 0
        await pilot.press("u")
        await settle(pilot)
        assert by_author(store, "Marie").status == "approved"
        assert store.list_posts()[0].waiting_count == 1
    store.close()


@sync
async def test_d_on_your_own_reply_still_asks_before_deleting(tui_env: Path) -> None:
    store = make_store(tui_env / "s.db", episode())
    post_id = store.list_posts()[0].id
    marie = by_author(store, "Marie")
    mine = store.send_reply(post_id, marie.id, "Merci Marie")
    async with running(store) as (pilot, app):
        await select(pilot, mine.id)
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert store.get_comment(mine.id).status == "approved"  # type: ignore[union-attr]
        await pilot.press("a")  # your own reply is not moderated
        await settle(pilot)
        assert store.db.execute("SELECT COUNT(*) FROM moderations").fetchone()[0] == 0
    store.close()


@sync
async def test_unapprove_from_the_command_palette(tui_env: Path) -> None:
    store = held_store(tui_env)
    marie = by_author(store, "Marie")
    async with running(store) as (pilot, app):
        await select(pilot, marie.id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"unapprove")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert by_author(store, "Marie").status == "pending"
        assert store.list_posts()[0].pending_count == 2
    store.close()


@sync
async def test_the_episode_list_counts_held_comments(tui_env: Path) -> None:
    store = held_store(tui_env)
    async with running(store) as (pilot, app):
        main = app.main_screen
        assert main is not None
        prompt = main.episodes.get_option_at_index(0).prompt
        assert "1 held" in str(prompt)
        await select(pilot, by_author(store, "Nouvelle").id)
        await pilot.press("a")
        await settle(pilot)
        assert "held" not in str(main.episodes.get_option_at_index(0).prompt)
    store.close()


@sync
async def test_back_from_the_queue_the_reader_shows_what_it_changed(tui_env: Path) -> None:
    store = held_store(tui_env)
    async with running(store) as (pilot, app):
        main = app.main_screen
        assert main is not None
        assert "1 held" in str(main.episodes.get_option_at_index(0).prompt)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is main
        assert "held" not in str(main.episodes.get_option_at_index(0).prompt)
        assert any(r.author == "Nouvelle" and r.status == "approved"
                   for r in main.comment_tree.index.rows)
    store.close()
