"""One comment as lines of rich Text: guides, author, date, markers, and its wrapped body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text

from cmreader.sanitize import clean_line, clean_text
from cmreader.store.models import CommentRow
from cmreader.tui.timefmt import relative
from cmreader.tui.widgets.inline_markdown import render_inline
from cmreader.tui.widgets.thread_model import ThreadIndex


@dataclass(frozen=True)
class CommentStyles:
    """Rich styles of the parts of a comment, resolved from the widget's component classes."""

    guide: Style
    author: Style
    owner: Style
    date: Style
    waiting: Style
    new: Style
    badge: Style
    fold: Style
    body: Style


def _split_long(word: str, width: int) -> list[str]:
    """Cut a word wider than the line into pieces that fit, by cell width."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for char in word:
        size = get_character_cell_size(char)
        if used + size > width and current:
            pieces.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += size
    if current:
        pieces.append("".join(current))
    return pieces


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells; paragraphs and blank lines kept."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.rstrip()
        # Most text is one cell per character: len() is ten times cheaper than cell_len().
        measure = len if paragraph.isascii() else cell_len
        if measure(paragraph) <= width:
            lines.append(paragraph)
            continue
        current, used = "", 0
        for word in paragraph.split(" "):
            size = measure(word)
            if size > width:
                if current:
                    lines.append(current)
                *full, current = _split_long(word, width)
                lines.extend(full)
                used = measure(current)
            elif not current and used == 0:
                current, used = word, size
            elif used + 1 + size <= width:
                current, used = f"{current} {word}", used + 1 + size
            else:
                lines.append(current)
                current, used = word, size
        lines.append(current)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return lines


# A comment longer than this shows its start and says how much more there is: wrapping a
# 10 MB comment to the pane's width would freeze the reader for seconds. The export keeps all.
SHOWN_CHARS = 20_000


def display_body(row: CommentRow) -> Text:
    """The body as shown: cleaned of controls, tabs as spaces, outer blank lines dropped,
    its Markdown (emphasis, code, links, quotes, lists) turned into styles."""
    body = row.body
    rest = len(body) - SHOWN_CHARS
    if rest > 0:
        body = body[:SHOWN_CHARS]
    shown = render_inline(clean_text(body).replace("\t", "    ").strip("\n"))
    if rest > 0:
        shown.append(f"\n… {rest:,} more characters (cmreader export shows the whole comment)")
    return shown


def wrap_text(text: Text, width: int) -> list[Text]:
    """wrap() for styled text: the same lines, each keeping its part of the styles."""
    plain = text.plain
    lines: list[Text] = []
    start = 0
    for paragraph in plain.split("\n"):
        pos = 0
        for piece in wrap(paragraph, width):
            at = paragraph.find(piece, pos) if piece else pos
            if at < 0:  # cannot happen with wrap()'s pieces; plain text beats a crash
                lines.append(Text(piece, end=""))
                continue
            lines.append(text[start + at : start + at + len(piece)])
            pos = at + len(piece)
        start += len(paragraph) + 1
    while len(lines) > 1 and not lines[-1].plain:
        lines.pop()
    return lines


def indent_cap(width: int) -> int:
    """How many levels get their own guide column: deep chains keep half the width for text."""
    return max(1, min(12, (width - 24) // 4))


def body_indent(depth: int, cap: int) -> int:
    """Cells before a comment's text: two per guide column shown, plus the reply column.

    The one formula for the prefix: drawing builds it glyph by glyph, measuring counts it."""
    return 2 * (min(depth, cap) + 1)


def _guides(index: ThreadIndex, i: int, last: str, cap: int) -> str:
    """Guide columns for levels 1..depth of row i; `last` is the glyph pair of its own level."""
    depth = index.rows[i].depth
    if depth == 0:
        return ""
    if depth > cap:
        return "┊ " * (cap - 1) + "↳ "
    columns = [last]
    ancestor = index.parent[i]
    for _ in range(depth - 1):
        if ancestor < 0:
            columns.append("  ")
            continue
        columns.append("│ " if index.next_sib[ancestor] >= 0 else "  ")
        ancestor = index.parent[ancestor]
    return "".join(reversed(columns))


def comment_lines(
    index: ThreadIndex,
    i: int,
    width: int,
    *,
    folded: bool,
    now: datetime,
    styles: CommentStyles,
    spacer: bool,
) -> list[Text]:
    """Every line of row i at this width: optional spacer, the header, then the body."""
    row = index.rows[i]
    cap = indent_cap(width)
    has_children = index.has_children(i)
    own = "├ " if index.next_sib[i] >= 0 else "└ "
    header = Text(_guides(index, i, own, cap), style=styles.guide, no_wrap=True, end="")
    header.append("▸ " if folded else "▾ " if has_children else "• ", styles.fold)
    if row.depth > cap:
        header.append(f"depth {row.depth} ", styles.guide)
    name = clean_line(row.author or "") or "anonymous"
    linked = row.type != "comment"
    if linked:
        # A pingback or trackback is another site pointing here: shown dimmed, with where
        # it comes from, and it never waits for an answer.
        header.append(f"↪ {row.type} from {name}", styles.date)
        if row.source_url:
            header.append(f" ({clean_line(row.source_url)})", styles.date)
    elif row.by_owner:
        header.append(f"★ {name} (you)", styles.owner)
    else:
        header.append(name, styles.author)
    header.append(f" · {relative(row.published, now)}", styles.date)
    if row.status != "approved":
        header.append(f" [{clean_line(row.status)}]", styles.badge)
    _sync_mark(header, row, styles)
    if row.needs_answer:
        header.append(" ● waiting", styles.waiting)
    elif row.answer_mark == "answered":
        header.append(" ✓ answered", styles.date)
    if row.is_new:
        header.append(" ✦ new", styles.new)
    if folded:
        header.append(f" [+{index.hidden_count(i)} hidden]", styles.fold)
    header.truncate(width, overflow="ellipsis")

    own_body = "│ " if index.next_sib[i] >= 0 else "  "
    if row.depth == 0:
        own_body = ""
    elif row.depth > cap:
        own_body = "┊ " * (cap - 1) + "  "
    child = "│ " if has_children and not folded else "  "
    if 0 < row.depth <= cap:
        prefix = _guides(index, i, own_body, cap) + child
    else:
        prefix = own_body + child
    body_width = max(1, width - body_indent(row.depth, cap))
    body = display_body(row)
    assert cell_len(prefix) == body_indent(row.depth, cap)  # drawing and measuring agree
    lines = [Text("", end="")] if spacer else []
    lines.append(header)
    if row.sync_state in _NOTED:
        # Why your change is not on the site yet, where you look: under its own header.
        note = Text(prefix, style=styles.guide, no_wrap=True, end="")
        note.append(f"⚠ {clean_line(row.sync_note or 'not published yet')}", styles.waiting)
        note.truncate(width, overflow="ellipsis")
        lines.append(note)
    for part in wrap_text(body, body_width) if body.plain else [Text("(empty)")]:
        line = Text(prefix, style=styles.guide, no_wrap=True, end="")
        part.stylize_before(styles.date if linked else styles.body, 0, len(part))
        line.append_text(part)
        lines.append(line)
    return lines


# Your change's way to the site, as the header says it.
_SYNC_WORDS = {
    "queued": ("to publish", "badge"),
    "sending": ("sending", "badge"),
    "published": ("published", "date"),
    "failed": ("not published", "waiting"),
    "conflict": ("conflict", "waiting"),
}
_NOTED = ("failed", "conflict")  # states with a line saying why


def _sync_mark(header: Text, row: CommentRow, styles: CommentStyles) -> None:
    if row.sync_state in _SYNC_WORDS:
        word, style = _SYNC_WORDS[row.sync_state]
        header.append(f" ⇅ {word}", getattr(styles, style))
    elif row.origin == "local" and row.status == "approved":
        header.append(" · local", styles.date)  # written here, for a blog not connected


def comment_height(index: ThreadIndex, i: int, width: int, *, spacer: bool) -> int:
    """The number of lines comment_lines returns, without building the Text objects."""
    row = index.rows[i]
    body = display_body(row).plain
    body_width = max(1, width - body_indent(row.depth, indent_cap(width)))
    body_lines = len(wrap(body, body_width)) if body else 1
    return int(spacer) + 1 + (row.sync_state in _NOTED) + body_lines


def estimate_height(row: CommentRow, width: int) -> int:
    """A cheap guess of comment_height, for the part of a thread not measured yet."""
    return 2 + min(len(row.body), SHOWN_CHARS) // max(20, width - 8)
