"""The list screens on a paged list: inbox, moderation queue and search read only what shows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from stores import ARTICLE, episode, make_store

from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store
from cmreader.tui.screens.inbox import InboxScreen
from cmreader.tui.screens.picker import GoTo, ListScreen, ReplyTo
from cmreader.tui.screens.queue import QueueScreen
from cmreader.tui.screens.search import SearchScreen
from cmreader.tui.widgets.paged_list import PAGE_SIZE, PagedList

from .conftest import current, running, settle, sync

MANY = 400  # eight pages of waiting comments, beside the episode's one (Marie's)


def when(n: int) -> str:
    """A distinct date for comment n, later for a larger n."""
    return f"2015-{1 + n // 600:02d}-{1 + n // 24 % 25:02d}T{n % 24:02d}:00:00Z"


def waiting(n: int, status: str = "approved", word: str = "question") -> CommentRecord:
    return CommentRecord(f"w{n}", None, f"lecteur{n}", when(n), f"{word} numéro {n} ?",
                         status=status)


def many_waiting(tmp: Path, count: int = MANY, status: str = "approved") -> Store:
    post = PostRecord("many", "Beaucoup de questions", "Becky", "2015-01-01T08:00:00Z", ARTICLE,
                      comments=tuple(waiting(n, status) for n in range(count)))
    return make_store(tmp / "many.db", episode(), post)


def two_blogs(tmp: Path) -> Store:
    """The French episode in one blog; a second blog with three waiting comments."""
    store = make_store(tmp / "blogs.db")
    other = PostRecord("cuisine", "Recettes d'hiver", "Becky", "2015-02-01T08:00:00Z", "Soupe",
                       comments=tuple(waiting(n) for n in range(3)))
    store.import_batch(ImportBatch(
        source="cuisine.xml", format="wxr", posts=(other,), owner="Becky",
        blog=BlogRecord("https://cuisine.example.org", "wxr", title="Cuisine de Becky",
                        owner_name="Becky"),
    ))
    return store


def lines_of(paged: PagedList[Any]) -> list[str]:
    """Plain text of every line the list shows now."""
    return ["".join(s.text for s in paged.render_line(y)) for y in range(paged.size.height)]


def screen_list(app: Any) -> PagedList[Any]:
    screen = app.screen
    assert isinstance(screen, ListScreen)
    return screen.paged


def heading(app: Any) -> str:
    return str(app.screen.heading.render())


class Pages:
    """The pages the lists read, as their messages tell (message_hook sees a message at each
    node it bubbles through: each is counted once)."""

    def __init__(self) -> None:
        self.messages: list[PagedList.PageLoaded] = []

    def __call__(self, message: object) -> None:
        if isinstance(message, PagedList.PageLoaded) and not any(
            message is seen for seen in self.messages
        ):
            self.messages.append(message)

    @property
    def read(self) -> list[int]:
        return [m.page for m in self.messages]

    @property
    def most_in_one_reading(self) -> int:
        """The most pages one reading of a list (opening, reloading after a write) took."""
        return max(Counter(m.generation for m in self.messages).values())


@sync
async def test_the_inbox_counts_everything_and_reads_only_the_pages_it_shows(
    tui_env: Path,
) -> None:
    store = many_waiting(tui_env)
    pages = Pages()
    async with running(store, size=(100, 30), message_hook=pages) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        assert app.screen.id == "inbox"
        assert "Waiting for your answer: 401" in heading(app)
        paged = screen_list(app)
        assert paged.total == MANY + 1 and pages.read == [0]
        shown = lines_of(paged)
        assert "Vie ma vie de Community Manager" in shown[0]  # Marie's, the oldest, first
        assert "lecteur0" in shown[4] and "question numéro 0" in shown[5]
        await pilot.press("G")
        await settle(pilot)
        assert paged.cursor == MANY
        assert sorted(set(pages.read)) == [0, 7, 8]  # the last page and the screen above it
        assert len(pages.read) == 3
        assert any(f"lecteur{MANY - 1}" in line for line in lines_of(paged))
        await pilot.press("g", "j", "j")
        await settle(pilot)
        assert paged.cursor == 2 and paged.current.author == "lecteur1"  # type: ignore[union-attr]
        assert len(pages.read) == 3  # page 0 was kept
        await pilot.press("pagedown")
        await settle(pilot)
        assert paged.cursor == 2 + (paged.size.height // 3)
    store.close()


@sync
async def test_a_page_not_read_yet_shows_a_placeholder(tui_env: Path) -> None:
    store = many_waiting(tui_env)
    async with running(store, size=(100, 30)) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        paged = screen_list(app)
        paged.move_to(MANY // 2)  # asks for its page; nothing has answered yet
        assert paged.current is None
        assert any(line.strip() == "…" for line in lines_of(paged))
        await settle(pilot)
        assert paged.current is not None and paged.current.author == f"lecteur{MANY // 2 - 1}"
    store.close()


@sync
async def test_the_inbox_sorts_newest_first_and_narrows_by_blog(tui_env: Path) -> None:
    store = two_blogs(tui_env)
    async with running(store) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        paged = screen_list(app)
        assert paged.total == 4 and "oldest first" in heading(app)
        assert paged.current.author == "Marie"  # type: ignore[union-attr]
        # Two blogs: each entry says which.
        assert "Cuisine de Becky" in lines_of(paged)[3]
        await pilot.press("o")
        await settle(pilot)
        assert "newest first" in heading(app)
        assert paged.current.author == "lecteur2"  # type: ignore[union-attr]
        blogs = [b.title for b in store.list_blogs()]
        await pilot.press("b")
        await settle(pilot)
        first = store.list_blogs()[0]
        assert blogs[0] in heading(app)
        assert paged.total == store.inbox_count(blog_id=first.id)
        await pilot.press("b")
        await settle(pilot)
        assert paged.total == store.inbox_count(blog_id=store.list_blogs()[1].id)
        assert paged.total != 4
        await pilot.press("b")  # and back to every blog
        await settle(pilot)
        assert paged.total == 4
    store.close()


async def open_inbox(pilot: Any, app: Any, results: list[GoTo | None] | None = None) -> None:
    """The inbox with the reader's calls, so its writes are on."""
    main = app.main_screen
    assert main is not None
    await app.push_screen(InboxScreen(app.store, main.calls),
                          None if results is None else results.append)
    await settle(pilot)


def shown_letter_keys(app: Any) -> list[str]:
    """The one-character keys the footer offers now."""
    return [
        key for key, active in app.screen.active_bindings.items()
        if active.binding.show and (len(key) == 1 or key == "question_mark")
    ]


@sync
async def test_the_inbox_filter_types_every_key_and_narrows(tui_env: Path) -> None:
    store = many_waiting(tui_env, 30)
    async with running(store) as (pilot, app):
        await open_inbox(pilot, app)
        paged = screen_list(app)
        assert paged.total == 31
        assert {"a", "s", "d", "x", "q", "o"} <= set(shown_letter_keys(app))
        await pilot.press("slash")
        assert shown_letter_keys(app) == []
        await pilot.press(*"numéro 2", "q", "a")  # the letters type, nothing is done
        assert app.screen.id == "inbox"
        assert app.screen.query_one("#inbox-filter").value == "numéro 2qa"  # type: ignore[attr-defined]
        await pilot.press("backspace", "backspace")
        await pilot.pause(0.3)
        await settle(pilot)
        assert paged.total == 11  # 2 and 20 to 29
        assert "numéro 2" in heading(app)
        await pilot.press("enter")  # keep the filter, back to the list
        assert app.focused is paged and "q" in shown_letter_keys(app)
        await pilot.press("slash", "escape")  # escape in the filter clears it
        await settle(pilot)
        assert paged.total == 31 and app.screen.id == "inbox"
        await pilot.press("q")
        assert app.screen is app.main_screen
    store.close()


@sync
async def test_enter_goes_to_the_comment_and_r_asks_for_a_reply(tui_env: Path) -> None:
    store = many_waiting(tui_env, 5)
    async with running(store) as (pilot, app):
        main = app.main_screen
        results: list[GoTo | None] = []
        await open_inbox(pilot, app, results)
        await pilot.press("j", "r")
        await settle(pilot)
        entry = store.inbox_page(offset=1, limit=1)[0]
        assert results == [ReplyTo(entry.post_id, entry.comment_id)]
        assert isinstance(results[0], ReplyTo)
        assert app.screen is main
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        entry = store.inbox_page(offset=2, limit=1)[0]
        assert app.screen is main and current(app).id == entry.comment_id
    store.close()


@sync
async def test_x_marks_answered_moves_on_and_u_brings_it_back(tui_env: Path) -> None:
    store = many_waiting(tui_env, 5)
    async with running(store) as (pilot, app):
        await open_inbox(pilot, app)
        paged = screen_list(app)
        first, second = store.inbox_page(limit=2)
        await pilot.press("x")
        await settle(pilot)
        assert store.inbox_count() == 5
        assert first.comment_id not in {e.comment_id for e in store.inbox_page()}
        # The answered one left the list: the cursor is on the next one, at the same index.
        assert paged.cursor == 0 and paged.current.comment_id == second.comment_id  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert store.inbox_count() == 6
        assert paged.current.comment_id == first.comment_id  # type: ignore[union-attr]
    store.close()


@sync
async def test_the_queue_approves_and_moves_on_spam_never_waits_undo_restores(
    tui_env: Path,
) -> None:
    store = many_waiting(tui_env, 120, status="pending")
    pages = Pages()
    async with running(store, size=(100, 30), message_hook=pages) as (pilot, app):
        await pilot.press("m")
        await settle(pilot)
        assert app.screen.id == "queue"
        assert isinstance(app.screen, QueueScreen)
        paged = screen_list(app)
        assert paged.total == 120 and "Waiting for moderation: 120" in heading(app)
        assert pages.read == [0]
        first, second, third = store.queue_page(limit=3)
        waiting_before = store.inbox_count()
        await pilot.press("a")
        await settle(pilot)
        assert store.get_comment(first.comment_id).status == "approved"  # type: ignore[union-attr]
        assert store.inbox_count() == waiting_before + 1
        assert first.comment_id in {e.comment_id for e in store.inbox_page(limit=500)}
        assert paged.total == 119 and paged.cursor == 0
        assert paged.current.comment_id == second.comment_id  # type: ignore[union-attr]
        await pilot.press("s")
        await settle(pilot)
        assert store.get_comment(second.comment_id).status == "spam"  # type: ignore[union-attr]
        assert store.inbox_count() == waiting_before + 1  # spam never waits
        assert paged.current.comment_id == third.comment_id  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert store.get_comment(second.comment_id).status == "pending"  # type: ignore[union-attr]
        assert paged.total == 119 and paged.current.comment_id == second.comment_id  # type: ignore[union-attr]
        await pilot.press("u")
        await settle(pilot)
        assert store.get_comment(first.comment_id).status == "pending"  # type: ignore[union-attr]
        assert store.inbox_count() == waiting_before and paged.total == 120
        await pilot.press("G", "d")  # the last one: trashed, the cursor on the new last
        await settle(pilot)
        assert paged.total == 119 and paged.cursor == 118
        assert pages.most_in_one_reading <= 2  # what is in view, and a screen around it
        await pilot.press("g", "enter")
        await settle(pilot)
        assert app.screen is app.main_screen and current(app).id == first.comment_id
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("q")
        assert app.screen is app.main_screen
    store.close()


@sync
async def test_search_counts_every_result_and_pages_as_you_scroll(tui_env: Path) -> None:
    count = PAGE_SIZE * 2 + 20
    post = PostRecord("zz", "Le zanzibar", "Becky", "2015-01-01T08:00:00Z", "Rien",
                      comments=tuple(waiting(n, word="zanzibar") for n in range(count)))
    store = make_store(tui_env / "search.db", episode(), post)
    pages = Pages()
    async with running(store, size=(100, 30), message_hook=pages) as (pilot, app):
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"zanzib")
        await pilot.pause(0.4)
        await settle(pilot)
        total = store.search_count("zanzib")
        assert total >= count
        assert f"{total} results" in heading(app)
        assert pages.read == [0]
        await pilot.press("down")
        paged = screen_list(app)
        assert app.focused is paged
        await pilot.press("G")
        await settle(pilot)
        assert paged.cursor == total - 1 and paged.current is not None
        assert 2 in pages.read and 1 not in pages.read
        await pilot.press("slash")  # back to the words
        assert app.focused is app.screen.query_one("#search-input")
        assert shown_letter_keys(app) == []
    store.close()


@sync
async def test_hostile_text_in_a_list_shows_as_plain_text(tui_env: Path) -> None:
    hostile = CommentRecord("evil", None, "[red]Mallory[/red]\x1b]52;c;aGk=\x07",
                            "2015-01-01T00:00:00Z", "\x1b[2J[b]gras[/b]\u202e ?")
    post = PostRecord("evil", "Titre\x1b[31m [i]rouge[/i]", "Becky", "2015-01-01T08:00:00Z",
                      "Texte", comments=(hostile,))
    store = make_store(tui_env / "evil.db", post)
    async with running(store) as (pilot, app):
        await pilot.press("i")
        await settle(pilot)
        shown = lines_of(screen_list(app))
        assert "Titre [i]rouge[/i]" in shown[0]
        assert "[red]Mallory[/red]" in shown[1]
        assert "[b]gras[/b]" in shown[2]
        assert not any(c in "".join(shown) for c in "\x1b\x07\u202e")
    store.close()


@sync
async def test_search_moderates_comments_only_and_undoes(ep_store: Store) -> None:
    store = ep_store
    post_id = store.list_posts()[0].id
    marie = next(r for r in store.comment_rows(post_id) if r.author == "Marie")
    reply = store.send_reply(post_id, marie.id, "Des livres ? Plutôt des blogs.")
    async with running(store) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await app.push_screen(SearchScreen(store, main.calls))
        await settle(pilot)
        await pilot.press(*"livres")
        await pilot.pause(0.4)
        await settle(pilot)
        paged = screen_list(app)
        assert paged.total == 2 and "2 results" in heading(app)
        hits = {hit.comment_id: n for n, hit in enumerate(store.search_page("livres"))}
        await pilot.press("down")
        paged.move_to(hits[reply.id])
        await pilot.press("s")  # your own reply: not moderated
        await settle(pilot)
        assert store.get_comment(reply.id).status == "approved"  # type: ignore[union-attr]
        assert any("your own reply" in n.message for n in app._notifications)
        paged.move_to(hits[marie.id])
        await pilot.press("s")
        await settle(pilot)
        assert store.get_comment(marie.id).status == "spam"  # type: ignore[union-attr]
        assert paged.total == 1 and "1 result for" in heading(app)
        await pilot.press("u")
        await settle(pilot)
        assert store.get_comment(marie.id).status == "approved"  # type: ignore[union-attr]
        assert paged.total == 2 and paged.current.comment_id == marie.id  # type: ignore[union-attr]
