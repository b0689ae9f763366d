"""The links of the article in a list: enter opens one in the browser."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cmreader.tui import safe_text


def links_of(comment: str | None, article: str) -> list[tuple[str, str]]:
    """(label, url) of a comment's links first (when on one), then the article's."""
    from cmreader.tui.widgets.article import article_links

    links = article_links(comment) if comment is not None else []
    return links + [link for link in article_links(article) if link not in links]


class LinksScreen(ModalScreen[None]):
    """Every link of the article; enter opens it, escape goes back."""

    DEFAULT_CSS = """
    LinksScreen {
        align: center middle;
        background: $background 60%;
    }
    #links-box {
        width: 80%;
        height: 70%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q", "dismiss", "Back", show=True)]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__(id="links")
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield Static(safe_text.text(("Links of the article (enter opens)", "bold")))
            options = []
            for n, (label, url) in enumerate(self.links):
                prompt = safe_text.text((label, "bold"), no_wrap=True, overflow="ellipsis")
                if label != url:
                    prompt.append_text(safe_text.text("\n", (url, "dim"), multiline=True))
                options.append(Option(prompt, id=str(n)))
            yield OptionList(*options, id="links-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.open_url(self.links[event.option_index][1])
        self.dismiss(None)
