"""Writing answers: the drafts list, saved replies, the commenter's history, the editor."""

from __future__ import annotations

from pathlib import Path

from stores import episode, first_episode, make_store

from cmreader.store import Store
from cmreader.tui.screens.drafts import DraftsScreen

from .conftest import running, settle, sync
from .test_lists import heading, lines_of, screen_list
from .test_reply import composer_of


def two_episodes(tmp: Path) -> Store:
    older = episode(key="ep2", title="Épisode 2", published="2014-02-10T08:30:00Z")
    return make_store(tmp / "w.db", episode(), older)


@sync
async def test_the_drafts_list_resumes_a_draft_and_discards_another(tui_env: Path) -> None:
    store = two_episodes(tui_env)
    post_id, (marie,) = first_episode(store, "Marie")
    older = store.list_posts()[1].id
    store.save_draft(older, None, "Un commentaire sur l'épisode 2")
    store.save_draft(post_id, marie.id, "Bonjour Marie, pour les livres")  # the newest
    assert [p.has_draft for p in store.list_posts()] == [True, True]
    async with running(store) as (pilot, app):
        main = app.main_screen
        assert main is not None
        assert "✎ draft" in main.episodes.get_option_at_index(0).prompt.plain
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, DraftsScreen)
        assert "Drafts not sent: 2" in heading(app)
        shown = lines_of(screen_list(app))
        assert "reply to Marie" in shown[1] and "Bonjour Marie" in shown[2]
        assert "on the episode" in shown[4]
        # d asks first; n keeps it.
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert store.get_draft(older, None) is not None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.get_draft(older, None) is None
        assert "Drafts not sent: 1" in heading(app)
        # enter resumes the other: the reader on Marie's comment, the composer on the draft.
        await pilot.press("g", "enter")
        await settle(pilot)
        assert app.screen is main
        composer = composer_of(app)
        assert composer is not None and composer.target.parent_id == marie.id
        assert composer.text == "Bonjour Marie, pour les livres"
        assert main.comment_tree.current is not None
        assert main.comment_tree.current.id == marie.id
        # The discarded draft's episode lost its mark, once the list was read again.
        assert [p.has_draft for p in store.list_posts()] == [True, False]
        assert "✎ draft" not in main.episodes.get_option_at_index(1).prompt.plain
    store.close()
