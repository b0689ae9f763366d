"""The triage loop keeps its place: n into a long thread, a reply, the list's cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from stores import episode, make_store

from cmreader.records import CommentRecord, PostRecord
from cmreader.store import Store

from .conftest import current, running, settle, sync, tree_of, tree_text


def long_thread_store(tmp: Path) -> Store:
    """The newest episode has nothing waiting; an older one ends, after 300 answered
    comments, with the one comment that waits."""
    answered = []
    for n in range(150):
        answered.append(CommentRecord(f"q{n}", None, f"lecteur{n}",
                                      f"2014-02-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
                                      f"question {n}"))
        answered.append(CommentRecord(f"a{n}", f"q{n}", "Becky",
                                      f"2014-02-{1 + n % 28:02d}T11:{n % 60:02d}:00Z",
                                      f"réponse {n}", by_owner=True))
    last = CommentRecord("last", None, "Dernière", "2014-03-01T09:00:00Z", "Et moi ?")
    older = PostRecord("long", "Le long fil", "Becky", "2014-02-01T08:00:00Z", "Texte",
                       comments=(*answered, last))
    calm = episode(extra=())
    newest = PostRecord("calm", "Rien à répondre", "Becky", "2014-04-01T08:00:00Z", "Calme",
                        comments=calm.comments[:2])
    return make_store(tmp / "long.db", newest, older)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@sync
async def test_n_opens_the_waiting_comment_at_the_end_of_a_long_thread_and_shows_it(
    tui_env: Path, size: tuple[int, int]
) -> None:
    store = long_thread_store(tui_env)
    newest, older = store.list_posts()
    async with running(store, size=size) as (pilot, app):
        main = app.main_screen
        assert main is not None and main.current_post is not None
        assert main.current_post.id == newest.id
        await pilot.press("n")
        await settle(pilot)
        await pilot.pause()
        assert main.current_post.id == older.id
        assert current(app).author == "Dernière"
        assert any("Dernière" in line for line in tree_text(tree_of(app)))
        assert main.episodes.highlighted_option.id == str(older.id)  # type: ignore[union-attr]
    store.close()


@sync
async def test_after_n_and_a_reply_the_screen_stays_on_the_comment_answered(
    tui_env: Path, quick_drafts: float
) -> None:
    store = long_thread_store(tui_env)
    newest, older = store.list_posts()
    async with running(store, size=(120, 40)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        main.episodes.focus()  # n pressed while the list has the focus
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Merci !", "ctrl+s")
        await settle(pilot, rounds=6)
        await pilot.pause(0.3)  # the list's delayed open, had its cursor stayed behind
        await settle(pilot)
        assert main.current_post is not None and main.current_post.id == older.id
        assert current(app).author == "Dernière"
        assert not current(app).needs_answer
    store.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@sync
async def test_the_composer_shows_the_line_being_typed(tui_env: Path, size: tuple[int, int],
                                                       quick_drafts: float) -> None:
    from textual.widgets import TextArea

    store = make_store(tui_env / "s.db", episode())
    async with running(store, size=size) as (pilot, app):
        await pilot.press("tab", "G", "r")
        await settle(pilot)
        for n in range(8):
            await pilot.press(*f"ligne {n}", "enter")
        await pilot.press(*"la dernière")
        await pilot.pause()
        area = app.screen.query_one("#composer-text", TextArea)
        x, y = area.cursor_screen_offset
        region = area.content_region
        assert region.height >= 2, region
        assert region.y <= y < region.bottom and region.bottom <= size[1] - 1, (region, y)
        composer = app.screen.query_one("#composer")
        pane = app.screen.query_one("#conversation")
        # Inside the conversation pane: a composer taller than its room is cut off, unseen.
        assert composer.region.bottom <= pane.region.bottom, (composer.region, pane.region)
        assert y < composer.region.bottom - 1, (y, composer.region)
    store.close()


@sync
async def test_the_composers_footer_offers_no_key_that_types_a_character(
    tui_env: Path, quick_drafts: float
) -> None:
    from textual.widgets._footer import FooterKey

    store = make_store(tui_env / "s.db", episode())
    async with running(store, size=(160, 40)) as (pilot, app):
        def offered() -> set[str]:
            return {key.description for key in app.screen.query(FooterKey)}

        assert {"Search", "Inbox", "Quit"} <= offered()
        await pilot.press("tab", "G", "r")
        await settle(pilot)
        await pilot.pause()
        shown = offered()
        assert "Send" in shown
        assert not {"Search", "Inbox", "Quit", "Reply", "Approve"} & shown, shown
        await pilot.press(*"/q?")
        assert app.screen.query_one("#composer-text").text == "/q?"  # type: ignore[attr-defined]
    store.close()


@sync
async def test_the_episode_list_uses_the_width_it_has(tui_env: Path) -> None:
    store = make_store(tui_env / "s.db", episode())
    async with running(store, size=(200, 40)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        assert main.episodes.region.width == 40  # a fifth of 200 columns (38 below 190)
        assert main.article.region.x > main.episodes.region.right - 1
    async with running(store, size=(150, 40)) as (pilot, app):
        assert app.main_screen is not None and app.main_screen.episodes.region.width == 38
    store.close()


@sync
async def test_r_in_the_inbox_replies_with_the_comment_in_view_and_stays_there(
    tui_env: Path, quick_drafts: float
) -> None:
    store = long_thread_store(tui_env)
    newest, older = store.list_posts()
    async with running(store, size=(100, 30)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.pause()
        assert app.screen is main and main.current_post is not None
        assert main.current_post.id == older.id
        composer = main.conversation.composer
        assert composer is not None and composer.target.parent_id == current(app).id
        assert current(app).author == "Dernière"
        await pilot.press(*"Bienvenue !", "ctrl+s")
        await settle(pilot, rounds=6)
        assert main.current_post.id == older.id and current(app).author == "Dernière"
        assert store.inbox_count() == 0
    store.close()


@sync
async def test_r_on_a_search_result_replies_to_that_comment(tui_env: Path,
                                                          quick_drafts: float) -> None:
    store = long_thread_store(tui_env)
    newest, older = store.list_posts()
    async with running(store, size=(100, 30)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await pilot.press("slash", *"moi")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        await pilot.pause()
        assert app.screen is main and main.current_post is not None
        assert main.current_post.id == older.id
        composer = main.conversation.composer
        assert composer is not None and current(app).author == "Dernière"
        assert composer.target.parent_id == current(app).id
    store.close()


@sync
async def test_coming_back_to_the_inbox_finds_it_as_it_was_left(tui_env: Path) -> None:
    extra = tuple(CommentRecord(f"w{n}", None, f"lecteur{n}", f"2014-04-{n + 1:02d}T10:00:00Z",
                                f"question {n}") for n in range(6))
    store = make_store(tui_env / "s.db", episode(extra=extra))
    async with running(store, size=(100, 30)) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        listing = app.screen.query_one("PagedList")
        await pilot.press("o", "j", "j")  # newest first, third entry
        await settle(pilot)
        chosen = listing.current  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.main_screen
        assert current(app).id == chosen.comment_id
        await pilot.press("i")
        await settle(pilot)
        listing = app.screen.query_one("PagedList")
        assert app.screen.newest_first  # type: ignore[attr-defined]
        assert listing.current.comment_id == chosen.comment_id  # type: ignore[attr-defined]
    store.close()
