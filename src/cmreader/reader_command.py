"""The reader's start without click: `cmreader` alone opens the reader, so its first frame does
not wait for the command line's machinery (click is a tenth of what cmreader imports)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from cmreader.config import Config, default_db_path, load_config
from cmreader.errors import CmreaderError, StoreCorrupt, StoreFull, StoreReadOnly
from cmreader.sanitize import visible

if TYPE_CHECKING:
    from cmreader.store import Store  # imported late at run time, for start-up speed

T = TypeVar("T")


def say_err(message: str) -> None:
    """One of cmreader's own lines on stderr, every value in it spelled out (visible)."""
    print(visible(message), file=sys.stderr, flush=True)


def told(run: Callable[[], T], *, debug: bool) -> T:
    """run(), with a user's mistake said in one line (a traceback only with --debug)."""
    try:
        return run()
    except CmreaderError as exc:
        if debug:
            raise
        say_err(f"cmreader: {exc}")
        sys.exit(1)
    except sqlite3.Error as exc:
        if debug:
            raise
        say_err(f"cmreader: the store could not be used ({exc})")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


class Context:
    """What every subcommand needs: where the store is and the user's config."""

    def __init__(self, db: Path | None, debug: bool) -> None:
        self.db_given = db is not None
        self.db_path = db if db is not None else default_db_path()
        self.debug = debug
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config()
        return self._config

    def open_store(self, *, create: bool = True, check: bool = False):  # -> Store (imported
        # late for start-up speed). check: run SQLite's quick_check first, for bulk writes.
        from cmreader.store import Store

        store = Store.open(self.db_path, create=create, check=check)
        store.on_wait = lambda line: say_err(f"cmreader: {line}")
        owner = self.config.owner
        # A read-only store is still read; the owners are then the ones it remembers.
        if store.read_only:
            return store
        blog_owners = _blog_owner_changes(store, self.config.blog_owners)
        if (owner and store.owner_name() != owner) or blog_owners:
            try:
                if not check:
                    store.check()  # set_owner rewrites many rows: never into a damaged store
                if owner and store.owner_name() != owner:
                    store.set_owner(owner)
                for blog_id, name in blog_owners:
                    store.set_blog_owner(blog_id, name)
            except (StoreCorrupt, StoreFull, StoreReadOnly):
                if check:
                    store.close()
                    raise  # the command is about to write: this is its error
                # Reading goes on without the new owner; the next write says what is wrong.
        return store


def _blog_owner_changes(store: Store, wanted: dict[str, str]) -> list[tuple[int, str]]:
    """The config's [blogs] owners the store does not have yet, as (blog id, name); a blog not
    imported yet is skipped (it gets its owner on the first start after its import)."""
    changes = []
    for ref, name in wanted.items():
        blog = store.find_blog(ref)
        if blog is not None and blog.owner_name != name:
            changes.append((blog.id, name))
    return changes


def run_reader(context: Context) -> None:
    fresh = not context.db_path.exists()
    store = context.open_store()
    if fresh and not context.db_given and store.is_empty():
        from cmreader.sample import import_sample

        import_sample(store)
    store.on_wait = None  # stderr lines would break the screen: the reader says it its own way
    from cmreader.launch import collect_again
    from cmreader.tui.app import run_app

    try:
        run_app(store, context.config, after_first_frame=collect_again)
    finally:
        store.close()


def start_reader(db: str | None = None) -> None:
    """`cmreader` or `cmreader --db PATH`: the reader, on that store or the default one."""
    told(lambda: run_reader(Context(Path(db) if db else None, False)), debug=False)
