"""Comment Markdown shown as styled text: emphasis, code, links, images, quotes, lists, tables.

Comments are short and many, so instead of a Markdown renderer per comment this reads the
few constructs comments use, line by line, into one rich Text whose plain text is what is
shown. Nothing here is console markup: styles are spans on a Text.
"""

from __future__ import annotations

import re

from rich.style import Style
from rich.text import Text

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_QUOTE = re.compile(r"^((?:>\s?)+)(.*)$")
_ITEM = re.compile(r"^(\s*)[*+-]\s+(.*)$")
# A table as Markdown writes it (the importers' HTML conversion makes these): its rows are
# shown with a bar between cells, its |---|---| line as a rule.
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Inline constructs, tried left to right; escapes first so "\*" never opens emphasis.
_INLINE = re.compile(
    r"(?P<escape>\\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>|~]))"
    r"|(?P<code>`(?P<code_text>[^`\n]+)`)"
    r"|(?P<strong>(?P<strong_mark>\*\*|__)(?P<strong_text>\S(?:.*?\S)?)(?P=strong_mark))"
    r"|(?P<em>(?<![\w*])(?P<em_mark>[*_])(?P<em_text>[^\s*_](?:[^*_\n]*?[^\s*_])?)(?P=em_mark)(?![\w*]))"
    r"|(?P<image>!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\))"
    r"|(?P<link>\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)(?:\s+\"[^\"]*\")?\))"
)

BOLD = Style(bold=True)
ITALIC = Style(italic=True)
CODE = Style(bold=True)
LINK = Style(underline=True)
QUOTE = Style(italic=True, dim=True)


def render_inline(body: str) -> Text:
    """The body as shown, with Markdown syntax turned into styles."""
    out = Text(end="")
    for n, line in enumerate(body.split("\n")):
        if n:
            out.append("\n")
        line_style = None
        if line.endswith("\\") and not line.endswith("\\\\"):
            line = line[:-1]  # a hard line break: the line ends here anyway
        heading = _HEADING.match(line)
        if heading:
            line, line_style = heading.group(2), BOLD
        quote = _QUOTE.match(line)
        if quote:
            depth = quote.group(1).count(">")
            out.append("▌ " * depth, QUOTE)
            line, line_style = quote.group(2), QUOTE
        if _TABLE_RULE.match(line) and "-" in line:
            out.append("─" * 20, QUOTE)
            continue
        row = _TABLE_ROW.match(line)
        if row:
            cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row.group(1))]
            for k, cell in enumerate(cells):
                if k:
                    out.append(" │ ", QUOTE)
                _append_inline(out, cell, line_style)
            continue
        item = _ITEM.match(line)
        if item:
            out.append(item.group(1) + "• ")
            line = item.group(2)
        _append_inline(out, line, line_style)
    return out


def _append_inline(out: Text, line: str, line_style: Style | None) -> None:
    pos = 0
    for match in _INLINE.finditer(line):
        if match.start() > pos:
            out.append(line[pos : match.start()], line_style)
        if match.group("escape"):
            out.append(match.group("escaped"), line_style)
        elif match.group("code"):
            out.append(match.group("code_text"), _join(line_style, CODE))
        elif match.group("strong"):
            out.append(match.group("strong_text"), _join(line_style, BOLD))
        elif match.group("em"):
            out.append(match.group("em_text"), _join(line_style, ITALIC))
        elif match.group("image"):
            # A terminal shows no picture: say there is one, what it shows, and where it is.
            alt = _unescape(match.group("alt")).strip()
            out.append(f"[image: {alt}]" if alt else "[image]", _join(line_style, ITALIC))
            out.append(f" ({match.group('src')})", _join(line_style, Style(dim=True)))
        else:  # a link
            label, url = match.group("label"), match.group("url")
            out.append(_unescape(label), _join(line_style, LINK))
            if _unescape(label) != url:
                out.append(f" ({url})", _join(line_style, Style(dim=True)))
        pos = match.end()
    if pos < len(line):
        out.append(line[pos:], line_style)


def _join(outer: Style | None, inner: Style) -> Style:
    return inner if outer is None else outer + inner


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|~])", r"\1", text)
