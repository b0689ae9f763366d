"""The episode list on real stores of thousands of episodes: a page or two read, never all."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from stores import episode

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import PostSummary, Store
from cmreader.tui.episode_source import StoreEpisodes
from cmreader.tui.widgets.paged_list import PagedList

from .conftest import current, running, settle, sync, tree_of

MANY = 2_000


def _published(n: int) -> str:
    # Episode n of MANY: one a day, the highest n the newest.
    return f"{2000 + n // 336:04d}-{1 + n % 336 // 28:02d}-{1 + n % 28:02d}T08:00:00Z"


def _answered(key: str, title: str, published: str) -> PostRecord:
    """An episode where nothing waits: its one comment is the owner's."""
    comment = CommentRecord(f"{key}-c", None, "Becky", published, "Bienvenue !", by_owner=True)
    return PostRecord(key, title, "Becky", published, "Texte", comments=(comment,))


def _store(path: Path, posts: list[PostRecord], blog: str = "main") -> Store:
    store = Store.open(path)
    _import(store, posts, blog)
    return store


def _import(store: Store, posts: list[PostRecord], blog: str) -> None:
    store.import_batch(ImportBatch(
        source=blog, format="test", posts=tuple(posts), owner="Becky",
        blog=BlogRecord(key=f"test:{blog}", kind="test", title=blog.title(),
                        owner_name="Becky"),
    ))


def many_store(tmp: Path, waiting_at: int | None = None) -> Store:
    """MANY episodes with nothing waiting; with waiting_at, the one episode that many from
    the newest holds the small French episode's comments (Marie's question waits)."""
    posts = []
    for n in range(MANY):
        key, title, published = f"e{n:04d}", f"Épisode {n}", _published(n)
        if waiting_at is not None and n == MANY - 1 - waiting_at:
            posts.append(episode(key=key, title=title, published=published))
        else:
            posts.append(_answered(key, title, published))
    return _store(tmp / "many.db", posts)


def lines(app: Any) -> list[str]:
    episodes = app.main_screen.episodes
    return ["".join(seg.text for seg in episodes.render_line(y))
            for y in range(episodes.size.height)]


class PageReads:
    """A message hook counting the pages the list read (each message once, not per bubble)."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self._ids: set[int] = set()

    def __call__(self, message: object) -> None:
        if isinstance(message, PagedList.PageLoaded) and id(message) not in self._ids:
            self._ids.add(id(message))
            self.seen.append(message.page)


@sync
async def test_thousands_of_episodes_open_reading_one_page(
    tui_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = many_store(tui_env)
    reads = PageReads()
    # The pages wait until the test lets them: the first frame must not need them.
    let_read = threading.Event()
    page = StoreEpisodes.page

    def held_page(self: StoreEpisodes, offset: int, limit: int) -> Sequence[PostSummary]:
        let_read.wait(5)
        return page(self, offset, limit)

    monkeypatch.setattr(StoreEpisodes, "page", held_page)
    async with running(store, size=(120, 40), message_hook=reads, settled=False) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await pilot.pause()
        # The first frame's episodes came with the app: drawn before any page is read.
        assert reads.seen == [] and f"Épisode {MANY - 1}" in lines(app)[0]
        let_read.set()
        await settle(pilot)
        assert reads.seen == [0]  # the page the given entries are on, then nothing else
        assert main.episodes.total == MANY
        assert main.episodes.border_title == f"Episodes ({MANY})"
        assert main.current_post is not None and main.current_post.title == f"Épisode {MANY - 1}"
        # Only the pages near the view are held, whatever the list's length.
        assert list(main.episodes._pages.keys()) == [0]
    store.close()


@sync
async def test_G_shows_the_last_episode_and_enter_opens_it(tui_env: Path) -> None:
    store = many_store(tui_env)
    reads = PageReads()
    async with running(store, size=(120, 40), message_hook=reads) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await pilot.press("G")
        await settle(pilot)
        assert main.episodes.cursor == MANY - 1
        shown = lines(app)
        assert any("Épisode 0" in line for line in shown), shown
        assert not any("Épisode 100" in line for line in shown)
        assert len(reads.seen) <= 3, reads.seen  # the first page, the last one or two
        await pilot.press("enter")
        await settle(pilot)
        assert main.current_post is not None and main.current_post.title == "Épisode 0"
        assert app.focused is tree_of(app)
        # Back to the top, its page read again if it had left the cache.
        main.episodes.focus()
        await pilot.press("g")
        await settle(pilot)
        assert f"Épisode {MANY - 1}" in lines(app)[0]
    store.close()


@sync
async def test_paging_down_holds_only_the_pages_near_the_view(tui_env: Path) -> None:
    store = many_store(tui_env)
    reads = PageReads()
    async with running(store, size=(120, 40), message_hook=reads) as (pilot, app):
        main = app.main_screen
        assert main is not None
        for _ in range(12):
            await pilot.press("pagedown")
        await settle(pilot)
        at = main.episodes.cursor
        assert at > 50
        assert any(f"Épisode {MANY - 1 - at}" in line for line in lines(app))
        # A page each time the view reaches the next: never the thousands in between.
        assert len(reads.seen) <= at // 50 + 3, reads.seen
        await pilot.pause(0.3)  # the open once the cursor rests
        await settle(pilot)
        assert main.current_post is not None
        assert main.current_post.title == f"Épisode {MANY - 1 - at}"
    store.close()


@sync
async def test_n_reaches_the_one_waiting_comment_far_down_the_list(tui_env: Path) -> None:
    far = 1_500
    store = many_store(tui_env, waiting_at=far)
    reads = PageReads()
    async with running(store, size=(120, 40), message_hook=reads) as (pilot, app):
        main = app.main_screen
        assert main is not None and main.current_post is not None
        assert main.current_post.title == f"Épisode {MANY - 1}"  # nothing waits there
        await pilot.press("n")
        await settle(pilot)
        assert main.current_post.title == f"Épisode {MANY - 1 - far}"
        assert current(app).author == "Marie"  # the comment that waits, selected
        # The list's cursor followed, to a page read for it; none of those between.
        assert main.episodes.cursor == far
        assert any(f"Épisode {MANY - 1 - far}" in line for line in lines(app))
        assert len(reads.seen) <= 3, reads.seen
        # N from there: nothing else waits, round the end in either direction.
        await pilot.press("N")
        await settle(pilot)
        await pilot.press("N")
        await settle(pilot)
        assert main.current_post.title == f"Épisode {MANY - 1 - far}"
        assert any("Nothing else waits" in n.message for n in app._notifications)
    store.close()


def two_blogs(tmp: Path) -> Store:
    store = _store(tmp / "two.db", [_answered(f"r{n}", f"Recette {n}", _published(2 * n))
                                    for n in range(30)], blog="cuisine")
    _import(store, [_answered(f"c{n}", f"Carnet {n}", _published(2 * n + 1)) for n in range(30)],
            blog="voyages")
    return store


@sync
async def test_two_blogs_each_episode_names_its_blog_and_b_narrows(tui_env: Path) -> None:
    store = two_blogs(tui_env)
    async with running(store, size=(200, 40)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        shown = lines(app)
        assert "Carnet 29" in shown[0] and shown[1].rstrip(" │").endswith("· Voyages")
        assert "Recette 29" in shown[2] and shown[3].rstrip(" │").endswith("· Cuisine")
        assert main.episodes.border_title == "Episodes (60)"
        await pilot.press("b")  # the blogs by title: Cuisine, then Voyages
        await settle(pilot)
        assert main.episodes.border_title == "Episodes · Cuisine (30)"
        shown = lines(app)
        assert "Recette 29" in shown[0] and "Recette 28" in shown[2]
        assert not any("Carnet" in line or "Cuisine" in line for line in shown)
        await pilot.press("b")
        await settle(pilot)
        assert main.episodes.border_title == "Episodes · Voyages (30)"
        assert "Carnet 29" in lines(app)[0]
        # The open episode is in this blog: the cursor is on it.
        assert main.current_post is not None and main.current_post.title == "Carnet 29"
        assert main.episodes.cursor == 0
        await pilot.press("b")
        await settle(pilot)
        assert main.episodes.border_title == "Episodes (60)"
        assert "Voyages" in lines(app)[1]
        await pilot.press("j")
        await pilot.pause(0.3)
        await settle(pilot)
        assert main.current_post.title == "Recette 29"
    store.close()


@sync
async def test_one_blog_has_no_b_and_no_blog_names(tui_env: Path) -> None:
    store = many_store(tui_env)
    async with running(store, size=(120, 40)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        assert not any("· Main" in line for line in lines(app))
        await pilot.press("b")
        await settle(pilot)
        assert main.episodes.border_title == f"Episodes ({MANY})"
    store.close()


@sync
async def test_the_opened_episode_is_no_longer_unread(tui_env: Path) -> None:
    store = many_store(tui_env)
    async with running(store, size=(120, 40)) as (pilot, app):
        main = app.main_screen
        assert main is not None
        shown = lines(app)
        assert not shown[0].lstrip(" │").startswith("●")  # the newest: opened at start
        assert shown[2].lstrip(" │").startswith("●")
        await pilot.press("j")
        await pilot.pause(0.3)
        await settle(pilot)
        assert not lines(app)[2].lstrip(" │").startswith("●")
    store.close()
