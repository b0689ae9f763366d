"""The command palette's list of the app's actions, run on the pane that owns each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from cmreader.tui import keys, safe_text

# Where each scope's actions run: the app, the reader screen, or one of its panes.
_TARGETS = {"main": None, "list": "#episodes", "article": "#article", "tree": "#comments"}


class ActionsProvider(Provider):
    """Every action of the key table, with its current key, searchable by name."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Awaitable[None]]]]:
        app = self.app
        main = getattr(app, "main_screen", None)
        remaps = getattr(app, "key_remaps", {})
        commands: list[tuple[str, str, Callable[[], Awaitable[None]]]] = []
        for spec in keys.DEFAULT_KEYS:
            # Moving a cursor from a palette makes no sense; the composer has its own keys.
            if spec.scope == "composer" or spec.action.startswith(("cursor_", "page_")):
                continue
            node: DOMNode = app
            if spec.scope != "app":
                if main is None:
                    continue
                selector = _TARGETS[spec.scope]
                node = main if selector is None else main.query_one(selector)
            shown = remaps.get(spec.action, spec.keys).split(",")[0]
            label = f"{spec.description} ({keys.SCOPES[spec.scope].lower()})"
            # The palette reads help as markup: a key shown as "[" must stay a bracket.
            help_text = (
                safe_text.markup_string("key: ", app.get_key_display(Binding(shown, "")))
                if shown else ""
            )
            commands.append((label, help_text, partial(self._run, node, spec.action)))
        return commands

    @staticmethod
    async def _run(node: DOMNode, action: str) -> None:
        # The action runs in the namespace of the node that owns the binding.
        await node.app.run_action(action, node)

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(safe_text.content(label), callback, text=label, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, safe_text.highlighted(matcher, label), callback, text=label,
                          help=help_text)
