"""The look of the reader's panes, one rule for each pane class (DEFAULT_CSS)."""


def pane_css(selector: str) -> str:
    """A framed pane, its border in the accent colour while it has the focus."""
    return f"""
    {selector} {{
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }}
    {selector}:focus {{
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
    }}
    """
