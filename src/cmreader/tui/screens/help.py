"""The help screen, generated from the live bindings so it shows the keys as remapped."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cmreader.tui import keys, safe_text


def bindings_table(app_bindings: list[tuple[str, BindingsMap]], key_display) -> Text:  # type: ignore[no-untyped-def]
    """One section per scope: keys, what they do, and the name to use in config.toml."""
    text = safe_text.text(end="")
    for heading, bindings_map in app_bindings:
        by_action: dict[str, tuple[list[str], Binding]] = {}
        for key, bindings in bindings_map.key_to_bindings.items():
            for binding in bindings:
                if binding.system or not binding.description:
                    continue
                entry = by_action.setdefault(binding.action, ([], binding))
                if binding.id and not entry[1].id:
                    # Textual's own ctrl+q has no id; show the remappable one's name.
                    entry = by_action[binding.action] = (entry[0], binding)
                shown = key_display(binding.with_key(key))
                if shown not in entry[0]:
                    entry[0].append(shown)
        if not by_action:
            continue
        text.append_text(safe_text.text((f"\n{heading}\n", "bold underline"), multiline=True))
        for shown_keys, binding in by_action.values():
            text.append_text(safe_text.text(
                (f"  {' / '.join(shown_keys):<18}", "bold cyan"),
                f" {binding.description:<28}",
                (f" {binding.id or ''}", "dim"),
            ))
            text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Every key of every pane; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background 60%;
    }
    #help-box {
        width: 90;
        max-width: 95%;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", show=True)]

    def __init__(self, sections: list[tuple[str, BindingsMap]]) -> None:
        super().__init__(id="help")
        self.sections = sections

    def compose(self) -> ComposeResult:
        intro = safe_text.text(
            ("cmreader keys", "bold"),
            ("\nRemap any key in config.toml, section [keys]: name = \"key[,key]\" "
             "(the dim names below).\nctrl+p opens the command palette with every action.\n",
             "dim"),
            multiline=True,
        )
        with VerticalScroll(id="help-box"):
            yield Static(
                intro + bindings_table(self.sections, self.app.get_key_display), id="help-text"
            )


def help_sections(app) -> list[tuple[str, BindingsMap]]:  # type: ignore[no-untyped-def]
    """(heading, live bindings) for the app, the reader screen and each of its panes."""
    sections: list[tuple[str, BindingsMap]] = [(keys.SCOPES["app"], app._bindings)]
    main = getattr(app, "main_screen", None)
    if main is None:
        return sections
    sections.append((keys.SCOPES["main"], main._bindings))
    for selector, scope in (("#episodes", "list"), ("#article", "article"),
                            ("#comments", "tree")):
        for node in main.query(selector):
            sections.append((keys.SCOPES[scope], node._bindings))
    sections.append((keys.SCOPES["composer"], BindingsMap(keys.bindings("composer"))))
    # The keys in force: Textual applies the keymap when it looks a key up, not to the nodes.
    keymap = getattr(app, "key_remaps", {})
    sections = [(title, keys.remapped(bindings_map, keymap)) for title, bindings_map in sections]
    return sections
