"""f finds text inside the open thread: accents folded, enter for the next, escape closes."""

from __future__ import annotations

from cmreader.store import Store
from cmreader.tui.widgets.find_bar import FindBar
from cmreader.tui.widgets.thread_model import ThreadIndex

from .conftest import current, running, sync, tree_of


@sync
async def test_find_moves_to_matches_and_closes(ep_store: Store) -> None:
    async with running(ep_store, size=(100, 30)) as (pilot, app):
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.focused, FindBar)
        await pilot.press(*"evolutivite")
        await pilot.pause()
        assert current(app).author == "Julien"  # "évolutivité", without the accents
        assert app.screen.query_one(FindBar).border_title == "1/1"
        await pilot.press("ctrl+a", "ctrl+k", *"metier")  # in four comments
        await pilot.pause()
        seen = [current(app).author]  # the current comment matches: it stays
        for key in ("enter", "enter", "up"):
            await pilot.press(key)
            await pilot.pause()
            seen.append(current(app).author)
        # Next, next again wrapping to the top, then back.
        assert seen == ["Julien", "Marie", "boots38", "Marie"]
        assert app.screen.query_one(FindBar).border_title == "4/4"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query(FindBar)
        assert app.focused is tree_of(app)
        assert current(app).author == "Marie"


def test_thread_matches_needs_every_word(ep_store: Store) -> None:
    rows = ep_store.comment_rows(ep_store.list_posts()[0].id)
    index = ThreadIndex(rows)
    assert [rows[i].author for i in index.matches("MÉTIER cm")] == ["Marie"]
    assert [rows[i].author for i in index.matches("becky")] == ["boots38", "Becky", "Becky"]
    assert index.matches("   ") == []
