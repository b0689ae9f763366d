"""The cmreader Textual app: given a Store, it opens the reader on the newest episode."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App

from cmreader.config import Config
from cmreader.errors import CmreaderError
from cmreader.tui import keys
from cmreader.tui.commands import ActionsProvider
from cmreader.tui.screens.main import MainScreen
from cmreader.tui.timefmt import now_from_env

if TYPE_CHECKING:
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
        config: Config | None = None,
        first_posts: list[PostSummary] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        # The first page of episodes, read before the app starts, so the first paint has them.
        self.first_posts = first_posts
        self.config = config or Config()
        self.key_remaps = keys.effective_keys(self.config.keys)
        keys.apply_remaps(self._bindings, self.key_remaps)
        # Relative dates count from here; CMREADER_NOW (or setting this) keeps them still.
        self.now: datetime | None = now_from_env()
        self.main_screen: MainScreen | None = None

    def on_mount(self) -> None:
        if self.config.owner:
            self._set_owner(self.config.owner)
        self.main_screen = MainScreen(self.store, self.first_posts)
        self.push_screen(self.main_screen)
        unknown = keys.unknown_actions(self.config.keys)
        if unknown:
            self.notify(
                f"Unknown action names in the config's [keys]: {', '.join(unknown)}. "
                "Press ? to see the names.",
                severity="warning",
                timeout=10,
            )

    def _set_owner(self, owner: str) -> None:
        def work() -> None:
            try:
                # In the worker, like every store call: the UI thread never waits on SQLite.
                if self.store.owner_name() != owner:
                    self.store.set_owner(owner)
            except CmreaderError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error")

        self.run_worker(work, thread=True, exit_on_error=False, group="owner")

    def action_help(self) -> None:
        from cmreader.tui.screens.help import HelpScreen, help_sections

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(help_sections(self)))

    async def action_quit(self) -> None:
        # Whatever sits in an open composer is saved before leaving (ctrl+q works while typing).
        main = self.main_screen
        if main is not None and main.flush_composer():
            await self.workers.wait_for_complete()
        self.exit()


def run_app(store: Store, config: Config | None = None) -> None:
    """Run the app in the terminal until the user quits."""
    from cmreader.tui.screens.main import FIRST_PAGE

    CmreaderApp(store, config, store.list_posts(FIRST_PAGE)).run()
