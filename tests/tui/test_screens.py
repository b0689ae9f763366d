"""Jumping around: waiting comments across episodes, x, inbox, search, help, quit, remaps."""

from __future__ import annotations

from pathlib import Path

from stores import episode, first_episode, make_store

from cmreader.config import Config
from cmreader.store import Store

from .conftest import current, running, select, settle, sync, tree_of, tree_text


def two_episodes(tmp: Path) -> Store:
    newer = episode()
    older = episode(key="ep2", title="Vie ma vie de CM - épisode 2",
                    published="2014-02-10T08:30:00Z")
    return make_store(tmp / "s.db", newer, older)


@sync
async def test_n_and_N_go_across_episodes(tui_env: Path) -> None:
    store = two_episodes(tui_env)
    newest, older = store.list_posts()
    async with running(store) as (pilot, app):
        await pilot.press("n")
        await settle(pilot)
        assert current(app).author == "Marie" and current(app).post_id == newest.id
        assert app.focused is tree_of(app)
        await pilot.press("n")  # none left here: the next episode that has one
        await settle(pilot)
        assert app.main_screen.current_post.id == older.id  # type: ignore[union-attr]
        assert current(app).author == "Marie" and current(app).needs_answer
        await pilot.press("N")  # back to the previous episode's last waiting comment
        await settle(pilot)
        assert app.main_screen.current_post.id == newest.id  # type: ignore[union-attr]
        assert current(app).author == "Marie"
    store.close()


@sync
async def test_x_toggles_answered(ep_store: Store) -> None:
    store = ep_store
    post_id, (marie, boots) = first_episode(store, "Marie", "boots38")
    async with running(store) as (pilot, app):
        await select(pilot, marie.id)
        await pilot.press("x")
        await settle(pilot)
        assert store.needs_answer() == []
        assert not current(app).needs_answer and current(app).id == marie.id
        assert store.list_posts()[0].waiting_count == 0
        await pilot.press("x")
        await settle(pilot)
        assert [e.comment_id for e in store.needs_answer()] == [marie.id]
        await select(pilot, boots.id)  # answered by Becky: x makes it wait again
        await pilot.press("x")
        await settle(pilot)
        assert {e.comment_id for e in store.needs_answer()} == {marie.id, boots.id}
        assert any("● waiting" in line and "boots38" in line for line in tree_text(tree_of(app)))


@sync
async def test_inbox_enter_selects_and_reply_answers(tui_env: Path) -> None:
    store = two_episodes(tui_env)
    newest, older = store.list_posts()
    # Oldest first; same dates in both episodes, so the second one is in the older episode.
    first = store.needs_answer()[1]
    assert first.post_id == older.id
    async with running(store) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.id == "inbox"
        await pilot.press("escape")
        assert app.screen is app.main_screen
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert app.main_screen.current_post.id == older.id  # type: ignore[union-attr]
        assert current(app).id == first.comment_id
        assert app.focused is tree_of(app)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Oui : lisez des blogs.", "ctrl+s")
        await settle(pilot)
        replies = [r for r in store.comment_rows(older.id) if r.parent_id == first.comment_id]
        assert len(replies) == 1 and replies[0].origin == "local" and replies[0].by_owner
        assert [e.post_id for e in store.needs_answer()] == [newest.id]
    store.close()


@sync
async def test_search_finds_without_accents_and_opens(ep_store: Store) -> None:
    store = ep_store
    post_id, (julien,) = first_episode(store, "Julien")
    async with running(store) as (pilot, app):
        await pilot.press("slash")
        assert app.screen.id == "search"
        await pilot.press(*"evolutivite")
        await pilot.pause(0.4)
        await settle(pilot)
        assert app.screen.targets == [(post_id, julien.id)]  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert current(app).id == julien.id


@sync
async def test_help_lists_every_key_and_q_quits(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.id == "help"
        shown = str(app.screen.query_one("#help-text").render())
        for words in ("Fold/unfold", "Next waiting", "Send", "Inbox", "Search", "Parent",
                      "Trash (your own reply: delete)", "Approve", "Moderation queue", "Undo",
                      "toggle_hidden"):
            assert words in shown
        await pilot.press("escape")
        assert app.screen is app.main_screen
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@sync
async def test_remapped_keys_from_config(ep_store: Store) -> None:
    store = ep_store
    config = Config(keys={"cursor_down": "t", "quit": "Q", "no_such_action": "w"})
    async with running(store, config=config) as (pilot, app):
        assert any("no_such_action" in n.message for n in app._notifications)
        await pilot.press("tab", "tab")
        await pilot.press("t")
        assert current(app).author == "Becky"
        await pilot.press("j")  # no longer bound
        assert current(app).author == "Becky"
        await pilot.press("question_mark")
        await pilot.pause()
        assert "t " in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape", "q")
        assert app.is_running
        await pilot.press("Q")
        await pilot.pause()
        assert not app.is_running


@sync
async def test_a_remapped_key_moves_in_the_lists_too(tui_env: Path) -> None:
    from cmreader.records import CommentRecord

    extra = tuple(CommentRecord(f"w{n}", None, f"lecteur{n}", f"2014-04-{n + 1:02d}T10:00:00Z",
                                f"question {n}") for n in range(4))
    store = make_store(tui_env / "s.db", episode(extra=extra))
    config = Config(keys={"cursor_down": "t"})
    async with running(store, config=config) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        listing = app.screen.query_one("PagedList")
        assert listing.cursor == 0  # type: ignore[attr-defined]
        await pilot.press("t", "t")
        assert listing.cursor == 2  # type: ignore[attr-defined]
        await pilot.press("j")  # the default key is gone, as in the reader
        assert listing.cursor == 2  # type: ignore[attr-defined]
    store.close()


@sync
async def test_a_remap_that_gives_a_key_two_meanings_is_refused(ep_store: Store) -> None:
    config = Config(keys={"mark_answered": "j", "fold_all": "y"})
    async with running(ep_store, config=config) as (pilot, app):
        lines = [str(n.message) for n in app._notifications]
        assert any('mark_answered = "j" is refused: j is already cursor_down' in line
                   for line in lines), lines
        assert app.key_remaps == {"fold_all": "y"}
        await pilot.press("tab", "tab")
        await pilot.press("j")  # still moves: the refused remap changed nothing
        assert current(app).author == "Becky"
        await pilot.press("y")
        await settle(pilot)
        assert app.main_screen is not None and app.main_screen.comment_tree.folded
    ep_store.close()


@sync
async def test_command_palette_runs_an_action(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Inbox")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.id == "inbox"


@sync
async def test_small_terminal_shows_all_panes(ep_store: Store) -> None:
    store = ep_store
    async with running(store, size=(80, 24)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        for pane in (main.episodes, main.article, main.comment_tree):
            assert pane.region.width >= 20 and pane.region.height >= 6
        assert any("boots38" in line for line in tree_text(main.comment_tree))
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert main.has_class("-wide")
        assert main.article.region.x > main.episodes.region.right - 1
        assert main.comment_tree.region.x > main.article.region.x
