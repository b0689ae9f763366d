"""The one builder of on-screen text: every piece is cleaned and none is ever read as markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from cmreader.sanitize import clean_text

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.fuzzy import Matcher
    from textual.notifications import SeverityLevel

# A piece is plain text, or (text, style) where the style is cmreader's own, never the data's.
Piece = str | tuple[str, str]


def _one_line(text: str) -> str:
    # Unlike clean_line, keep the spaces at the edges: they join one piece to the next.
    return clean_text(text).replace("\n", " ").replace("\t", " ")


def _pieces(pieces: tuple[Piece, ...], multiline: bool) -> list[tuple[str, str]]:
    clean = clean_text if multiline else _one_line
    out = []
    for piece in pieces:
        text, style = (piece, "") if isinstance(piece, str) else piece
        out.append((clean(text), style))
    return out


def content(*pieces: Piece) -> Content:
    """One line for a border title, subtitle or label: Textual never parses it as markup."""
    return Content.assemble(*((t, s) if s else t for t, s in _pieces(pieces, False)))


def text(*pieces: Piece, multiline: bool = False, **options: object) -> Text:
    """A Rich Text for a Static or an option prompt; newlines kept only when multiline."""
    out = Text(**options)  # type: ignore[arg-type]
    for t, s in _pieces(pieces, multiline):
        out.append(t, s or None)
    return out


def plain(*pieces: Piece) -> str:
    """The cleaned one-line string, for places that take a str and are told markup=False."""
    return "".join(t for t, _ in _pieces(pieces, False))


def notify(
    node: DOMNode,
    *pieces: Piece,
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    """A notification built from cleaned pieces; Textual is told not to read it as markup."""
    node.app.notify(plain(*pieces), severity=severity, timeout=timeout, markup=False)


def markup_string(*pieces: Piece) -> str:
    """For the few Textual APIs that take only a markup string (a palette hit's help): the
    cleaned pieces with every markup character escaped, so they show exactly as written."""
    from textual.markup import escape

    return escape(plain(*pieces))


def highlighted(matcher: Matcher, label: str) -> Content:
    """A palette label with the letters the query matched in bold, the label never parsed."""
    shown = plain(label)
    out = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if score:
        for offset in offsets:
            if not shown[offset].isspace():
                out = out.stylize("bold", offset, offset + 1)
    return out


def built(value: Text | Content) -> Text | Content:
    """Hand on text that was built here already; a plain str is refused, never shown."""
    if not isinstance(value, Text | Content):
        raise TypeError(f"on-screen text must be built by safe_text, not {type(value).__name__}")
    return value
