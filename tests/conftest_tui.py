"""Shared helpers and fixtures of the TUI tests: a small French episode in a real store.

Test modules load the fixtures with pytest_plugins = ["conftest_tui"] and import the helpers.
PYTEST_DONT_REWRITE: imported by the tests before pytest loads it as a plugin.
"""


from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from cmreader.config import Config
from cmreader.records import CommentRecord, ImportBatch, PostRecord
from cmreader.store import Store
from cmreader.store.models import CommentRow
from cmreader.tui.app import CmreaderApp, make_app
from cmreader.tui.widgets.comment_tree import CommentTree

NOW = "2016-03-13T08:30:00Z"
# The app's clock in tests and snapshots: relative dates ("2 y ago") never move.
CLOCK = datetime(2016, 3, 13, 8, 30, tzinfo=UTC)

ARTICLE = """\
# Vie ma vie de Community Manager, épisode 3

Voici donc l'épisode 3 de ma série, avec pour sujet cette fois, **la débrouillardise**.

- facebook
- twitter

> Parfois c'est un peu lourd, on râle, on se décourage...

Un lien : [mon blog](https://becky.example.org/blog).

```
code = "[red]pas de balisage[/red]"
```

Et vous les CM, comment êtes-vous arrivés dans ce métier ?
"""

BOOTS = (
    "bonjour becky, je viens de découvrir ton sympatique blog. je fais des recherches sur "
    "le métier de community manager que je viens de découvrir et qui m'intéresse."
)
BECKY_1 = 'Salut "boots38",\nSi tu cherches des infos sur ce métier, suis des blogs pros.\nBises !'
EVOL = (
    "Avec l'évolutivité de ce métier, difficile de réussir sans avoir de capacités "
    "d'apprendre en autodidacte"
)
BECKY_2 = "Tout à fait, il faut être autonome et effectuer une veille permanente."
LAST = (
    "Bonjour,\nm'informant sur le métier de CM, je voudrais savoir si des livres vous ont "
    "aidé ? si oui lesquels ?\ncdlt"
)


def episode(key: str = "ep3", title: str = "Vie ma vie de Community Manager - épisode 3",
            published: str = "2014-03-10T08:30:00Z",
            extra: tuple[CommentRecord, ...] = ()) -> PostRecord:
    comments = (
        CommentRecord(f"{key}-c1", None, "boots38", "2014-03-10T10:00:00Z", BOOTS),
        CommentRecord(f"{key}-c2", f"{key}-c1", "Becky", "2014-03-10T12:00:00Z", BECKY_1,
                      by_owner=True),
        CommentRecord(f"{key}-c3", None, "Julien", "2014-03-11T09:00:00Z", EVOL),
        CommentRecord(f"{key}-c4", f"{key}-c3", "Becky", "2014-03-11T10:00:00Z", BECKY_2,
                      by_owner=True),
        CommentRecord(f"{key}-c5", None, "Marie", "2014-03-12T09:00:00Z", LAST),
    )
    return PostRecord(key, title, "Becky", published, ARTICLE, comments=comments + extra)


def app_for(store: Store, config: Config | None = None) -> CmreaderApp:
    """The app as the command starts it (make_app), on the tests' fixed clock."""
    return make_app(store, config, now=CLOCK)


def make_store(path: Path, *posts: PostRecord) -> Store:
    store = Store.open(path)
    batch = ImportBatch(source="test", format="test", posts=posts or (episode(),), owner="Becky")
    store.import_batch(batch)
    return store


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test in its own event loop (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and the messages they post be handled (they may start more)."""
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # replaced by a newer worker of its group (exclusive): that one is awaited next
        except WorkerFailed:
            pass  # told by the App's one error handler: tests look at what it showed
        await pilot.pause()


def tree_of(app: CmreaderApp) -> CommentTree:
    assert app.main_screen is not None
    return app.main_screen.comment_tree


def tree_text(tree: CommentTree) -> list[str]:
    """Plain text of every line the comment pane shows now."""
    return ["".join(seg.text for seg in tree.render_line(y)) for y in range(tree.size.height)]


def current(app: CmreaderApp) -> CommentRow:
    row = tree_of(app).current
    assert row is not None
    return row


def row_by_author(store: Store, post_id: int, author: str) -> CommentRow:
    return next(r for r in store.comment_rows(post_id) if r.author == author)


async def select(pilot: Pilot, comment_id: int) -> None:
    tree = tree_of(pilot.app)  # type: ignore[arg-type]
    tree.focus()
    assert tree.select_comment(comment_id)
    await pilot.pause()


@pytest.fixture
def tui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp home for everything the app could touch."""
    monkeypatch.setenv("CMREADER_DB", str(tmp_path / "s.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def ep_store(tui_env: Path) -> Iterator[Store]:
    s = make_store(tui_env / "s.db")
    yield s
    s.close()
