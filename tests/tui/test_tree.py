"""The comment tree: moving, folding, jumping, markers and safe rendering of untrusted text."""

from __future__ import annotations

from pathlib import Path

from stores import episode, make_store, row_by_author

from cmreader.records import CommentRecord
from cmreader.store import Store

from .conftest import current, running, settle, sync, tree_of, tree_text


@sync
async def test_opens_on_newest_episode_with_list_focused(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        assert app.focused is not None and app.focused.id == "episodes"
        assert app.main_screen is not None and app.main_screen.current_post is not None
        assert app.main_screen.current_post.title.startswith("Vie ma vie")
        lines = tree_text(tree_of(app))
        assert any("boots38" in line for line in lines)
        assert any("★ Becky (you)" in line for line in lines)
        assert any("● waiting" in line for line in lines)
        assert any("2 y ago" in line for line in lines)
        article = app.main_screen.article
        assert article.virtual_size.height > 5


@sync
async def test_move_top_bottom(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        await pilot.press("tab", "tab")
        assert app.focused is tree_of(app)
        assert current(app).author == "boots38"
        await pilot.press("j")
        assert current(app).author == "Becky"
        await pilot.press("down", "j")
        assert current(app).author == "Becky"  # boots38 > Becky > Julien > Becky
        await pilot.press("k", "up")
        assert current(app).author == "Becky"
        await pilot.press("G")
        assert current(app).author == "Marie"
        await pilot.press("g")
        assert current(app).author == "boots38"


@sync
async def test_fold_one_and_all(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        tree = tree_of(app)
        await pilot.press("tab", "tab")
        await pilot.press("space")
        boots = current(app)
        assert boots.id in tree.folded
        assert any("[+1 hidden]" in line for line in tree_text(tree))
        await pilot.press("j")  # the folded reply is skipped
        assert current(app).author == "Julien"
        await pilot.press("k", "space")
        assert boots.id not in tree.folded
        assert not any("hidden]" in line for line in tree_text(tree))
        await pilot.press("j", "space")  # on a reply: folds its parent, cursor goes there
        assert current(app).id == boots.id and boots.id in tree.folded
        await pilot.press("Z")
        assert tree.folded == set()
        await pilot.press("z")
        julien = row_by_author(store, boots.post_id, "Julien")
        assert tree.folded == {boots.id, julien.id}
        assert sum("[+1 hidden]" in line for line in tree_text(tree)) == 2
        await pilot.press("G")
        assert current(app).author == "Marie"
        await pilot.press("Z")
        assert tree.folded == set()


@sync
async def test_parent_and_siblings(ep_store: Store) -> None:
    store = ep_store
    async with running(store) as (pilot, app):
        await pilot.press("tab", "tab", "j")
        assert current(app).author == "Becky"
        await pilot.press("p")
        assert current(app).author == "boots38"
        await pilot.press("right_square_bracket")
        assert current(app).author == "Julien"
        await pilot.press("right_square_bracket")
        assert current(app).author == "Marie"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert current(app).author == "boots38"


@sync
async def test_hidden_toggle_shows_spam(tui_env: Path) -> None:
    spam = CommentRecord("spam1", None, "bot", "2014-03-12T10:00:00Z", "Achetez !", status="spam")
    store = make_store(tui_env / "s.db", episode(extra=(spam,)))
    async with running(store) as (pilot, app):
        tree = tree_of(app)
        assert all(r.status != "spam" for r in tree.rows)
        await pilot.press("H")
        await settle(pilot)
        assert any(r.status == "spam" for r in tree.rows)
        await pilot.press("tab", "tab", "G")
        assert current(app).author == "bot"
        assert any("[spam]" in line for line in tree_text(tree))
        await pilot.press("H")
        await settle(pilot)
        assert all(r.status != "spam" for r in tree.rows)
    store.close()


@sync
async def test_markup_and_escapes_are_shown_as_text(tui_env: Path) -> None:
    nasty = CommentRecord("m1", None, "[bold]x[/bold]", "2014-03-12T10:00:00Z",
                          "[red]rouge[/red] et \x1b[31mvert\x1b]0;titre\x07 \x9b2J fin")
    store = make_store(tui_env / "s.db", episode(extra=(nasty,)))
    async with running(store) as (pilot, app):
        tree = tree_of(app)
        await pilot.press("tab", "tab", "G")
        lines = tree_text(tree)
        assert any("[red]rouge[/red] et vert" in line for line in lines)
        assert any("[bold]x[/bold]" in line for line in lines)
        for y in range(tree.size.height):
            for segment in tree.render_line(y):
                assert "\x1b" not in segment.text and "\x9b" not in segment.text
        article = app.main_screen.article  # type: ignore[union-attr]
        for y in range(article.size.height):
            text = "".join(s.text for s in article.render_line(y))
            assert "\x1b" not in text
    store.close()


@sync
async def test_deep_chain_and_big_thread_stay_usable(tui_env: Path) -> None:
    chain = tuple(
        CommentRecord(f"d{n}", f"d{n - 1}" if n else None, f"u{n}", "2014-03-12T10:00:00Z",
                      f"niveau {n}")
        for n in range(2000)
    )
    store = make_store(tui_env / "s.db", episode(extra=chain))
    async with running(store) as (pilot, app):
        tree = tree_of(app)
        await pilot.press("tab", "tab", "G")
        assert current(app).depth == 1999
        assert any("↳ ▾" in line or "depth 1999" in line for line in tree_text(tree))
        assert all(len(line) <= tree.size.width for line in tree_text(tree))
        await pilot.press("p")
        assert current(app).depth == 1998
        await pilot.press("g")
        assert current(app).author == "boots38"
    store.close()


def test_a_huge_comment_shows_its_start_and_what_is_left() -> None:
    from cmreader.store.models import CommentRow
    from cmreader.tui.widgets.comment_render import SHOWN_CHARS, display_body

    body = "Un très long commentaire. " * 400_000
    row = CommentRow(1, 1, None, 0, "big", None, body, "approved", "imported", False, True,
                     False, None)
    shown = display_body(row).plain
    assert shown.startswith("Un très long commentaire.")
    assert len(shown) < SHOWN_CHARS + 100
    assert f"{len(body) - SHOWN_CHARS:,} more characters" in shown


@sync
async def test_pingbacks_are_dimmed_with_their_source_and_drafts_marked(tui_env: Path) -> None:
    from dataclasses import replace

    ping = CommentRecord("ping", None, "Un autre blog", "2014-03-12T10:00:00Z",
                         "[…] lu chez Becky […]", author_url="https://autre.example/billet",
                         type="pingback")
    draft_post = replace(episode(key="brouillon", title="Pas encore publié",
                                 published="2014-04-01T00:00:00Z"), status="draft")
    store = make_store(tui_env / "s.db", episode(extra=(ping,)), draft_post)
    async with running(store) as (pilot, app):
        listing = "\n".join(p.title for p in store.list_posts())
        assert "Pas encore publié" in listing
        assert app.main_screen is not None
        prompts = [str(o.prompt) for o in app.main_screen.episodes._options]
        draft_prompt = next(p for p in prompts if "Pas encore publié" in p)
        assert draft_prompt.lstrip("● ").startswith("draft Pas encore publié")
        assert "waiting" not in draft_prompt  # comments on an unpublished post never wait
        published = next(p for p in store.list_posts() if p.status == "publish")
        app.main_screen.open_episode(published.id, None, "comments")
        await settle(pilot)
        shown = "\n".join(tree_text(tree_of(app)))
        assert "↪ pingback from Un autre blog (https://autre.example/billet)" in shown
        assert "waiting" not in shown.split("pingback from")[1].split("\n")[0]
        assert published.waiting_count == 1  # Marie's question only: the pingback never waits
    store.close()
