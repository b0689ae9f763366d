"""The episode list starts with the page read before the app, then counts and reads its pages."""

from __future__ import annotations

from pathlib import Path

from stores import episode, make_store

from cmreader.tui.episode_source import first_page_size

from .conftest import running, settle, sync

MANY = first_page_size(60) + 15  # more than the first page of any test's terminal


def many_episodes(tmp: Path):
    posts = [
        episode(key=f"ep{n:03d}", title=f"Épisode {n}", published=f"2014-{1 + n // 28:02d}-"
                f"{1 + n % 28:02d}T08:00:00Z")
        for n in range(MANY)
    ]
    return make_store(tmp / "many.db", *posts)


def list_line(app, y: int) -> str:
    return "".join(seg.text for seg in app.main_screen.episodes.render_line(y))


@sync
async def test_first_page_given_then_counted(tui_env: Path) -> None:
    store = many_episodes(tui_env)
    async with running(store, size=(100, 30), settled=False) as (pilot, app):
        main = app.main_screen
        assert main is not None
        # The given page is drawn at mount, before any worker ran.
        assert main.episodes.total in (first_page_size(), MANY)
        assert f"Épisode {MANY - 1}" in list_line(app, 0)
        await settle(pilot, rounds=6)
        assert main.episodes.total == MANY
        assert main.episodes.border_title == f"Episodes ({MANY})"
        assert main.current_post is not None and main.current_post.title == f"Épisode {MANY - 1}"
        assert main.episodes.cursor == 0


@sync
async def test_moving_before_the_rest_arrives_keeps_the_users_place(tui_env: Path) -> None:
    store = many_episodes(tui_env)
    async with running(store, size=(100, 30), settled=False) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await pilot.press("j", "j")  # before any worker has finished
        await settle(pilot, rounds=6)
        assert main.episodes.total == MANY
        assert main.episodes.cursor == 2
        await pilot.press("enter")
        await settle(pilot, rounds=6)
        assert main.current_post is not None and main.current_post.title == f"Épisode {MANY - 3}"


@sync
async def test_a_long_thread_shows_its_top_first_then_all_of_it(tui_env: Path) -> None:
    from cmreader.records import CommentRecord
    from cmreader.tui.messages import EpisodeLoaded, ThreadReloaded
    from cmreader.tui.workers import FIRST_ROWS

    total = FIRST_ROWS * 2 + 7
    extra = tuple(
        CommentRecord(f"x{n}", None, f"lecteur{n}", f"2014-04-{1 + n % 28:02d}T00:00:{n % 60:02d}Z",
                      f"commentaire {n}")
        for n in range(total - 5)
    )
    store = make_store(tui_env / "long.db", episode(extra=extra))
    sent: list[EpisodeLoaded | ThreadReloaded] = []

    def hook(message: object) -> None:
        # What the thread's worker sends: the first screenful, then the whole thread (each
        # message is seen again as it bubbles up to the App).
        if isinstance(message, EpisodeLoaded | ThreadReloaded) and message not in sent:
            sent.append(message)

    async with running(store, size=(100, 30), message_hook=hook, settled=False) as (pilot, app):
        main = app.main_screen
        assert main is not None
        await settle(pilot, rounds=8)
        for _ in range(50):  # a loaded machine: the second read may come a little later
            if len(sent) >= 2:
                break
            await settle(pilot)
        assert [len(m.rows) for m in sent] == [FIRST_ROWS, total]
        assert main.comment_tree.border_title == f"Comments ({total})"
        assert len(main.comment_tree.index.rows) == total
