"""A fast HTML to Markdown converter for the markup comments carry.

WordPress keeps only a short whitelist of tags in comments (a, abbr, acronym, b, blockquote,
cite, code, del, em, i, q, s, strike, strong) and wpautop adds p and br. For documents made of
those tags, with attributes whose effect is known, `convert` gives exactly what the markdownify
converter in `html` gives (same tree as BeautifulSoup's html.parser builder, same rules for
whitespace, escaping and each tag), several times faster. For anything else it returns None and
the caller takes the full converter: unknown tags or attributes, markup html.parser could read
another way (comments, declarations, bare `<` before a letter), entities whose decoding differs
between the two, deep nesting.
"""

from __future__ import annotations

import html as htmllib
import re

# ---- Entities ------------------------------------------------------------------------------

_AMPERSAND = re.compile(r"&(?:(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]*));|&")
_FOLLOWS_AMPERSAND = re.compile(r"[#A-Za-z]")
# Named entities that html.unescape and BeautifulSoup's entity table decode to the same text.
SAFE_ENTITIES = frozenset(
    "amp lt gt quot apos nbsp hellip mdash ndash rsquo lsquo rdquo ldquo laquo raquo copy reg "
    "trade eacute egrave ecirc agrave acirc ccedil ocirc ucirc ugrave icirc iuml euml auml ouml "
    "uuml szlig Eacute Agrave deg euro pound times middot bull".split()
)


def _plain_code_point(value: int) -> bool:
    """Code points that html.unescape and BeautifulSoup both turn into chr(value)."""
    if value < 32 or 127 <= value < 160 or 0xD800 <= value < 0xE000 or value > 0x10FFFF:
        return False
    # Noncharacters: html.unescape drops them, BeautifulSoup keeps them.
    return not (0xFDD0 <= value <= 0xFDEF or (value & 0xFFFE) == 0xFFFE)


def entities_are_plain(text: str) -> bool:
    """True when every & is an entity both parsers decode alike (or a lone ampersand)."""
    for match in _AMPERSAND.finditer(text):
        number, name = match.group(1), match.group(2)
        if number:
            value = int(number[2:], 16) if number[1] in "xX" else int(number[1:])
            if not _plain_code_point(value):
                return False
        elif name is not None:
            if name not in SAFE_ENTITIES:
                return False
        elif _FOLLOWS_AMPERSAND.match(text, match.end()):
            # "&T", "&#;", "&amp" with no semicolon: html.parser reads these its own way.
            return False
    return True


# ---- Tokens --------------------------------------------------------------------------------

_WS = "[\t\n\f\r ]"
# A start or end tag in the one spelling html.parser and this module read alike (attribute
# values quoted, separated by whitespace); any other "<" that html.parser could take for
# markup ("<" before a letter, "/", "!" or "?", or at the very end) is caught by the second
# branch and makes the document fall back.
_TOKEN = re.compile(
    # An inline element holding only text, the commonest shape: converted in one step.
    r"<(b|strong|em|i|del|s|code|cite|abbr|acronym|q)>([^<]*)</\1>"
    rf"|<(/?)([A-Za-z][A-Za-z0-9]*)((?:{_WS}+[A-Za-z][-A-Za-z0-9_:.]*{_WS}*={_WS}*"
    rf"""(?:"[^"]*"|'[^']*'))*){_WS}*(/?)>|<(?=[A-Za-z/!?]|$)"""
)
_ATTRIBUTE = re.compile(rf"""([A-Za-z][-A-Za-z0-9_:.]*){_WS}*={_WS}*(?:"([^"]*)"|'([^']*)')""")

# Attributes markdownify ignores for these tags (the output does not depend on them), plus
# href and title on links, which it reads.
_INERT = frozenset({"class", "id", "style", "dir", "lang", "title"})
_ALLOWED: dict[str, frozenset[str]] = {
    "p": _INERT | {"align"},
    "br": _INERT | {"clear"},
    "a": _INERT | {"href", "rel", "target", "name", "hreflang", "type"},
    "abbr": _INERT,
    "acronym": _INERT,
    "b": _INERT,
    "blockquote": _INERT | {"cite"},
    "cite": _INERT,
    "code": _INERT,
    "del": _INERT | {"cite", "datetime"},
    "em": _INERT,
    "i": _INERT,
    "q": _INERT | {"cite"},
    "s": _INERT,
    "strike": _INERT,
    "strong": _INERT,
}
# Tags around which markdownify drops whitespace-only text and trims text (of those above).
_BLOCKS = frozenset({"p", "blockquote"})
_NAMES = {spelling: name for name in _ALLOWED for spelling in (name, name.upper())}
_NO_ATTRIBUTES: dict[str, str] = {}
# Deeper than this, markdownify's recursion may give up; leave such documents to it.
_MAX_DEPTH = 40
_ASCII_SPACES = " \n\t\f\r"

# ---- markdownify's text rules (MarkdownConverter with the options html.py uses) ------------

_NEWLINE_SPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")
_LINE_WITH_CONTENT = re.compile(r"^(.*)", re.M)
_BACKTICKS = re.compile(r"`+")


def join_children(children: list[str]) -> str:
    """Children's text joined with markdownify's rule: adjacent newline runs merge, at most 2."""
    # Usually no child ending in a newline meets one starting with a newline: plain join.
    joined = "\x00".join(children)
    if "\n\x00\n" not in joined and joined.count("\x00") == len(children) - 1:
        return joined.replace("\x00", "")
    parts = [""]
    for child in children:
        content = child.lstrip("\n")
        leading = len(child) - len(content)
        # A child of newlines only is all leading: it has no trailing run to merge with.
        trailing = len(content) - len(content := content.rstrip("\n"))
        if parts[-1] and leading:
            leading = min(2, max(len(parts.pop()), leading))
        parts.extend(("\n" * leading, content, "\n" * trailing))
    return "".join(parts)


def _chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


_INLINE_MARKS = {"b": "**", "strong": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}


def _quote_line(match: re.Match[str]) -> str:
    line = match.group(1)
    return "> " + line if line else ">"


def _render(name: str, attrs: dict[str, str], text: str, in_code: bool) -> str:
    """markdownify's convert_<name> for `text`, the joined children; in_code: below a <code>."""
    mark = _INLINE_MARKS.get(name)
    if mark is not None:
        if in_code:
            return text
        prefix, suffix, text = _chomp(text)
        return f"{prefix}{mark}{text}{mark}{suffix}" if text else ""
    if name == "p":
        text = text.strip(" \t\r\n")
        return f"\n\n{text}\n\n" if text else ""
    if name == "br":
        return "\\\n" + text
    if name == "a":
        if in_code:
            return text
        prefix, suffix, text = _chomp(text)
        if not text:
            return ""
        href = attrs.get("href")
        title = attrs.get("title")
        if text.replace(r"\_", "_") == href and not title:
            return f"<{href}>"
        title_part = ' "' + title.replace('"', r"\"") + '"' if title else ""
        return f"{prefix}[{text}]({href}{title_part}){suffix}" if href else text
    if name == "code":
        if in_code:
            return text
        prefix, suffix, text = _chomp(text)
        if not text:
            return ""
        ticks = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
        delimiter = "`" * (ticks + 1)
        if ticks:
            text = f" {text} "
        return f"{prefix}{delimiter}{text}{delimiter}{suffix}"
    if name == "blockquote":
        text = text.strip(" \t\r\n")
        if not text:
            return "\n"
        return "\n" + _LINE_WITH_CONTENT.sub(_quote_line, text) + "\n\n"
    if name == "q":
        return '"' + text + '"'
    # abbr, acronym, cite, strike: markdownify has no conversion, the text stays as it is.
    return text


def _text(raw: str, in_code: bool) -> str:
    """A run of text between tags as BeautifulSoup stores it, then as markdownify's
    process_text rewrites it: whitespace runs squeezed, * and _ escaped outside code.

    Entities were checked by entities_are_plain. Trimming next to blocks is the parent's job;
    a whitespace-only string stays whitespace-only, so the parent can still tell.
    """
    if "&" in raw:
        raw = htmllib.unescape(raw)
    if not raw.strip(_ASCII_SPACES):
        # BeautifulSoup turns a string of ASCII spaces into one space or newline.
        return "\n" if "\n" in raw else " "
    if "\n" in raw or "\r" in raw:
        raw = _NEWLINE_SPACE.sub("\n", raw)
    if "\t" in raw or "  " in raw:
        raw = _SPACES.sub(" ", raw)
    if not in_code:
        if "*" in raw:
            raw = raw.replace("*", r"\*")
        if "_" in raw:
            raw = raw.replace("_", r"\_")
    return raw


class _Element:
    """An element being read."""

    __slots__ = ("name", "attrs", "children", "code_inside", "has_block")

    def __init__(self, name: str, attrs: dict[str, str], code_inside: bool) -> None:
        self.name = name
        self.attrs = attrs
        # (tag name, Markdown) for elements, (None, converted text) for strings
        self.children: list[tuple[str | None, str]] = []
        self.code_inside = code_inside  # this element or an ancestor is a <code>
        self.has_block = False  # a child is a p or a blockquote


def _close(element: _Element, in_code: bool) -> str:
    """Markdown for a finished element, as markdownify's process_tag makes it.

    in_code: an ancestor of the element is a <code>.
    """
    children = element.children
    name = element.name
    inside = name in _BLOCKS
    if len(children) == 1 and not inside:
        # The usual inline element around one string: nothing to drop, trim or join.
        text = children[0][1]
    elif element.has_block:
        text = _join_around_blocks(children, inside)
    elif children:
        strings = [value for _, value in children]
        if inside:
            # Whitespace at the edges of a block goes (whitespace-only strings entirely).
            if children[0][0] is None:
                first = children[0][1]
                strings[0] = strings[0].lstrip(" \t\r\n") if first.strip() else ""
            if children[-1][0] is None:
                last = children[-1][1]
                strings[-1] = strings[-1].rstrip() if last.strip() else ""
        text = join_children([string for string in strings if string])
    else:
        text = ""
    if name == "[document]":
        return text.strip("\n")
    return _render(name, element.attrs, text, in_code)


def _join_around_blocks(children: list[tuple[str | None, str]], inside: bool) -> str:
    """The children's Markdown joined, some of them blocks (process_tag's whitespace rules).

    inside: the parent is a block (p, blockquote), whose edge whitespace markdownify drops.
    """
    last = len(children) - 1
    strings: list[str] = []
    for index, (kind, value) in enumerate(children):
        if kind is not None:
            if value:
                strings.append(value)
            continue
        # markdownify looks at the raw neighbours, whitespace-only strings included.
        after_block = index > 0 and children[index - 1][0] in _BLOCKS
        before_block = index < last and children[index + 1][0] in _BLOCKS
        first_in_block = inside and index == 0
        last_in_block = inside and index == last
        if not value.strip() and (first_in_block or last_in_block or after_block or before_block):
            continue
        if after_block or first_in_block:
            value = value.lstrip(" \t\r\n")
        if before_block or last_in_block:
            value = value.rstrip()
        if value:
            strings.append(value)
    return join_children(strings) if strings else ""


def _pop(stack: list[_Element]) -> None:
    """Close the innermost open element into its parent."""
    element = stack.pop()
    parent = stack[-1]
    if element.name in _BLOCKS:
        parent.has_block = True
    parent.children.append((element.name, _close(element, parent.code_inside)))


def _attributes(name: str, text: str) -> dict[str, str] | None:
    """Attributes of a start tag, decoded as html.parser does; None when one is not known."""
    allowed = _ALLOWED[name]
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        key = match.group(1).lower()
        if key not in allowed or key in found:
            return None
        value = match.group(2)
        if value is None:
            value = match.group(3)
        found[key] = htmllib.unescape(value) if "&" in value else value
    return found


def convert(html: str) -> str | None:
    """markdownify's Markdown for `html`, or None when this converter does not handle it."""
    if ("&" in html and not entities_are_plain(html)) or "\x00" in html:
        return None
    document = _Element("[document]", {}, False)
    stack = [document]
    children = document.children
    # split gives the text before the first token, then per token its six groups (leaf name,
    # leaf text; or closing slash, name, attributes, self-closing slash) and the text after it.
    parts = _TOKEN.split(html)
    if parts[0]:
        children.append((None, _text(parts[0], False)))
    tokens = iter(parts)
    next(tokens)
    for leaf, leaf_text, closing, tag, attributes, self_closing, after in zip(
        tokens, tokens, tokens, tokens, tokens, tokens, tokens, strict=True
    ):
        if leaf is not None:
            in_code = stack[-1].code_inside
            mark = _INLINE_MARKS.get(leaf)
            if mark is not None and not in_code:
                # _render's emphasis, inline: the text's edge spaces go outside the marks.
                text = _text(leaf_text, False) if leaf_text else ""
                content = text.strip()
                if content:
                    prefix = " " if text[0] == " " else ""
                    suffix = " " if text[-1] == " " else ""
                    children.append((leaf, prefix + mark + content + mark + suffix))
            else:
                text = _text(leaf_text, in_code or leaf == "code") if leaf_text else ""
                children.append((leaf, _render(leaf, _NO_ATTRIBUTES, text, in_code)))
        elif tag is None:
            return None  # a "<" html.parser would take for markup of another kind
        else:
            name = _NAMES.get(tag)
            if name is None:
                name = _NAMES.get(tag.lower())
                if name is None:
                    return None
            if closing:
                if attributes or self_closing or name == "br":
                    return None
                top = stack[-1]
                if top.name == name:
                    stack.pop()
                    parent = stack[-1]
                    if name in _BLOCKS:
                        parent.has_block = True
                    children = parent.children
                    children.append((name, _close(top, parent.code_inside)))
                else:
                    # BeautifulSoup closes up to the latest open element of that name and
                    # drops an end tag that matches no open element.
                    depth = len(stack) - 1
                    while depth and stack[depth].name != name:
                        depth -= 1
                    if depth:
                        while len(stack) > depth:
                            _pop(stack)
                        children = stack[-1].children
            elif name == "br":
                if attributes and _attributes(name, attributes) is None:
                    return None
                children.append(("br", "\\\n"))
            else:
                attrs = _attributes(name, attributes) if attributes else {}
                if attrs is None or self_closing or len(stack) > _MAX_DEPTH:
                    # <b/> is an empty element for BeautifulSoup; deep nesting is rare
                    return None
                element = _Element(name, attrs, stack[-1].code_inside or name == "code")
                stack.append(element)
                children = element.children
        if after:
            children.append((None, _text(after, stack[-1].code_inside)))
    while len(stack) > 1:  # elements left open end with the document
        _pop(stack)
    return _close(document, False)
