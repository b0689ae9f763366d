"""The cmreader Textual app: given a Store, it opens the reader on the newest episode."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App
from textual.worker import Worker, WorkerState

from cmreader.config import Config
from cmreader.errors import CmreaderError
from cmreader.tui import keys, safe_text
from cmreader.tui.commands import ActionsProvider
from cmreader.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from cmreader.journal import TypedJournal
    from cmreader.store import PostSummary, Store


class CmreaderApp(App[None]):
    """Read episodes and their comments, answer from the keyboard."""

    # Absolute, so a subclass defined elsewhere (tests, snapshots) still finds it.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "cmreader"
    BINDINGS = keys.bindings("app")
    COMMANDS: ClassVar = App.COMMANDS | {ActionsProvider}

    def __init__(
        self,
        store: Store,
        config: Config | None,
        first_posts: list[PostSummary],
        now: datetime | None = None,
        *,
        all_posts: bool = False,
    ) -> None:
        super().__init__()
        self.store = store
        # The first page of episodes, read before the app starts, so the first paint has them.
        self.first_posts = first_posts
        self.all_posts = all_posts  # whether first_posts holds every episode
        self.config = config or Config()
        # The config's remaps, by action name, which every binding has as its id: Textual's
        # keymap applies them to every screen, lists included. One that would give a key two
        # meanings on a screen is refused, and said at start.
        wanted = keys.effective_keys(self.config.keys)
        self.refused_remaps = keys.clashes(wanted)
        self.key_remaps = {a: k for a, k in wanted.items() if a not in self.refused_remaps}
        self.set_keymap(self.key_remaps)
        # Relative dates count from here; None is the real time (tests and snapshots pin it).
        self.now = now
        self.main_screen: MainScreen | None = None
        self.after_first_frame: Callable[[], None] | None = None
        # Every draft and reply goes here before the store (open_journal): made with the
        # composer's pane, after the first frame; its file is created on the first write only.
        self._journal: TypedJournal | None = None

    def get_default_screen(self) -> MainScreen:
        # The reader is the first screen itself, not pushed over Textual's blank default one:
        # that one would be composed, laid out and drawn for nothing before the first frame.
        self.main_screen = MainScreen(self.store, self.first_posts, all_posts=self.all_posts)
        return self.main_screen

    def on_mount(self) -> None:
        for line in self.refused_remaps.values():
            safe_text.notify(self, "Key remap in the config's [keys]: ", line, ".",
                             severity="warning", timeout=10)
        unknown = keys.unknown_actions(self.config.keys)
        if unknown:
            safe_text.notify(
                self,
                f"Unknown action names in the config's [keys]: {', '.join(unknown)}. "
                "Press ? to see the names.",
                severity="warning",
                timeout=10,
            )

    def action_help(self) -> None:
        from cmreader.tui.screens.help import HelpScreen, help_sections

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(help_sections(self)))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place any worker's failure is told: one line on screen, the rest in the log."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        from cmreader.tui.error_log import record

        logged = record(f"worker {event.worker.name!r} failed", error)
        self.log.error(event.worker.name, error)
        if isinstance(error, CmreaderError):
            safe_text.notify(self, str(error), severity="error", timeout=10)
            return
        where = f" The details are in {logged}." if logged else ""
        safe_text.notify(
            self, f"Something went wrong ({type(error).__name__}: {error}); cmreader goes on.",
            where, severity="error", timeout=15,
        )

    def open_journal(self) -> TypedJournal:
        """This process's typed-text journal for the store (one per process)."""
        if self._journal is None:
            from cmreader.journal import TypedJournal, journal_folder

            self._journal = TypedJournal(journal_folder(self.store.path))
        return self._journal

    def on_unmount(self) -> None:
        if self._journal is not None:
            self._journal.close()

    async def action_quit(self) -> None:
        # Whatever sits in an open composer is saved before leaving (ctrl+q works while typing).
        main = self.main_screen
        if main is None or not main.panes_ready:
            # Nothing can have been typed before the conversation pane exists.
            self.exit()
            return
        main.conversation.flush()
        # Until every write asked for has answered: only then is it known what the store holds.
        for _ in range(500):
            if main.calls.writes_in_flight <= 0:
                break
            await asyncio.sleep(0.02)
        question = main.conversation.unsaved_question()
        if question is None:
            self.exit()
            return
        from cmreader.tui.screens.confirm import ConfirmScreen

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        await self.push_screen(ConfirmScreen(question), answer)


def make_app(
    store: Store, config: Config | None = None, now: datetime | None = None
) -> CmreaderApp:
    """The reader on store, as the command, the tests and the snapshots all start it: with the
    first page of episodes read before it starts, so the very first paint shows them."""
    from cmreader.tui.episode_source import first_page_size

    page = first_page_size()
    posts = store.list_posts(page)
    return CmreaderApp(store, config, posts, now, all_posts=len(posts) < page)


def run_app(
    store: Store, config: Config | None = None, *,
    after_first_frame: Callable[[], None] | None = None,
) -> None:
    """Run the app in the terminal until the user quits; after_first_frame is called once
    the first frame is drawn and the other panes are built."""
    app = make_app(store, config)
    app.after_first_frame = after_first_frame
    app.run()
