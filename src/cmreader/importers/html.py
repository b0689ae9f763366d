"""Blog HTML to Markdown: WordPress shortcodes, block comments and scripts removed first."""

from __future__ import annotations

import functools
import html as htmllib
import re
from typing import TYPE_CHECKING

from cmreader.importers import fasthtml

if TYPE_CHECKING:
    from markdownify import MarkdownConverter

# Shortcodes WordPress and its common plugins expand; only these are touched, because text in
# square brackets ("coracles [simple boat]") is ordinary prose.
_MEDIA = "embed|audio|video|playlist|youtube|vimeo|soundcloud|dailymotion|googlevideo|wpvideo"
_KNOWN = (
    f"{_MEDIA}|caption|wp_caption|gallery|slideshow|contact-form|contact-field|polldaddy|"
    "code|sourcecode|source|archives|blip.tv|gist|instagram|twitter|tweet|recipe|sitemap"
)
_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_ENCLOSED_MEDIA = re.compile(rf"\[({_MEDIA})\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_SHORTCODE_TAG = re.compile(rf"\[(/?)({_KNOWN})(?![\w-])([^\]]*)\]", re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_URL_ATTRS = ("url", "src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "flv")
# [youtube=http://...] and [youtube http://...]: the WordPress.com short forms.
_BARE_URL = re.compile(r"""^[=\s]*["']?(https?://[^\s"'\]]+)""")

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_HAS_PARAGRAPH = re.compile(r"<p[\s>]", re.I)
_BLOCK = re.compile(
    r"</?(?:p|div|ul|ol|li|h[1-6]|blockquote|pre|table|thead|tbody|tr|td|th|dl|dt|dd|hr|figure|"
    r"figcaption|section|article|aside|header|footer|nav|address|form|fieldset|details)[\s/>]",
    re.I,
)
_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.S | re.I)
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_MANY_BLANKS = re.compile(r"\n{3,}")
# A link holding no text (or only spaces): its address is all a reader could see of it.
_EMPTY_LINK = re.compile(r"<a\b([^>]*)>\s*</a\s*>", re.I)
# Inline code broken into lines with <br> (wpautop adds them to multi-line code): a block.
_CODE_WITH_BREAKS = re.compile(
    r"<code\b[^>]*>((?:(?!</?code\b).)*?<br\s*/?>(?:(?!</?code\b).)*?)</code\s*>", re.S | re.I
)
_BREAK_NEWLINE = re.compile(r"<br\s*/?>\n?", re.I)
# In the Markdown, a "<" that would open a raw HTML tag can only come from text the person
# typed escaped ("&lt;img ...&gt;"): it is escaped so it stays text. Autolinks stay links.
_CODE_OR_TAG_START = re.compile(
    r"(```.*?```|`[^`\n]*`)|<(?=[A-Za-z/!?])(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)", re.S
)
# markdownify writes a <br> as a trailing backslash; a run of them is a paragraph break.
_BREAK_RUN = re.compile(r"\\\n(?:[ \t]*\\\n)+")
_BREAK_BEFORE_BLANK = re.compile(r"\\\n(?=[ \t]*(?:\n|$))")


def _attrs(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text):
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(match.group(1).lower(), value)
    return found


def _media_url(attrs_text: str) -> str:
    attrs = _attrs(attrs_text)
    for name in _URL_ATTRS:
        if attrs.get(name):
            return attrs[name]
    bare = _BARE_URL.match(attrs_text)
    return bare.group(1) if bare else ""


def _caption(match: re.Match[str]) -> str:
    inner = match.group(3).strip()
    # Before WordPress 3.4 the caption text sat in a caption="..." attribute, not in the body.
    legacy = _attrs(match.group(2)).get("caption", "").strip()
    return f"{inner}\n\n{legacy}" if legacy and legacy not in inner else inner


def _enclosed_media(match: re.Match[str]) -> str:
    inner = match.group(3).strip()
    return inner or _media_url(match.group(2))


def _lone_tag(match: re.Match[str]) -> str:
    if match.group(1):
        return ""
    if re.fullmatch(_MEDIA, match.group(2), re.I):
        return _media_url(match.group(3))
    return ""


def strip_shortcodes(text: str) -> str:
    """Remove known shortcodes, keeping what a reader would see (captions, media URLs)."""
    if "[" not in text:
        return text
    text = _CAPTION.sub(_caption, text)
    text = _ENCLOSED_MEDIA.sub(_enclosed_media, text)
    return _SHORTCODE_TAG.sub(_lone_tag, text)


def _autop(text: str) -> str:
    """Blank-line paragraphs and single-newline breaks, as WordPress's wpautop renders them."""
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00pre{len(kept) - 1}\x00"

    if "<pre" in text.lower():
        text = _PRE.sub(hold, text)
    chunks = []
    for chunk in _BLANK_LINES.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK.search(chunk) or chunk.startswith("\x00pre"):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    joined = "\n\n".join(chunks)
    if not kept:
        return joined
    return re.sub(r"\x00pre(\d+)\x00", lambda m: kept[int(m.group(1))], joined)


def _link_text(match: re.Match[str]) -> str:
    href = _attrs(match.group(1)).get("href", "").strip()
    if not href:
        return ""
    return f"<a{match.group(1)}>{htmllib.escape(href, quote=False)}</a>"


def _code_block(match: re.Match[str]) -> str:
    return "<pre><code>" + _BREAK_NEWLINE.sub("\n", match.group(1)) + "</code></pre>"


def _keep_tags_as_text(markdown: str) -> str:
    """Escape each "<" that a Markdown renderer would take for raw HTML, outside code."""
    if "<" not in markdown:
        return markdown
    return _CODE_OR_TAG_START.sub(lambda m: m.group(1) or "\\<", markdown)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _MANY_BLANKS.sub("\n\n", "\n".join(lines)).strip()


# The shape most comments have once _autop ran: paragraphs holding only text and <br>. For it,
# _fast_paragraphs gives markdownify's exact output about ten times faster (imports of 10,000+
# comments spend most of their time here); anything else takes the full converter.
_SIMPLE_DOC = re.compile(r"(?:\s*<p(?:\s[^<>]*)?>[^<]*(?:<br\s*/?>[^<]*)*</p\s*>)+\s*", re.I)
_P_INNER = re.compile(r"<p(?:\s[^<>]*)?>([^<]*(?:<br\s*/?>[^<]*)*)</p\s*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_NEWLINE_SPACE = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_SPACES = re.compile(r"[\t ]+")


def _fast_paragraphs(text: str) -> str | None:
    """Markdown for <p>text<br>text</p>... documents, or None when the text has another shape."""
    if not _SIMPLE_DOC.fullmatch(text) or ("&" in text and not fasthtml.entities_are_plain(text)):
        return None
    paragraphs = []
    for inner in _P_INNER.findall(text):
        pieces = _BR.split(inner)
        children: list[str] = []
        for i, raw in enumerate(pieces):
            if i > 0:
                children.append("\\\n")
            piece = htmllib.unescape(raw) if "&" in raw else raw
            first, last = i == 0, i == len(pieces) - 1
            if not piece or (not piece.strip() and (first or last)):
                continue
            piece = _SPACES.sub(" ", _NEWLINE_SPACE.sub("\n", piece))
            piece = piece.replace("*", r"\*").replace("_", r"\_")
            if first:
                piece = piece.lstrip(" \t\r\n")
            if last:
                piece = piece.rstrip()
            if piece:
                children.append(piece)
        body = fasthtml.join_children(children).strip(" \t\r\n")
        if body:
            paragraphs.append(f"\n\n{body}\n\n")
    return fasthtml.join_children(paragraphs).strip("\n")


@functools.cache
def _markdownify() -> MarkdownConverter:
    """The full converter, made (and markdownify and BeautifulSoup imported) on first need:
    most comments never need it, and an import of comments only then never loads them."""
    from markdownify import ATX, MarkdownConverter

    return MarkdownConverter(
        heading_style=ATX,
        bullets="-",
        strong_em_symbol="*",
        newline_style="backslash",
        code_language="",
    )


def __getattr__(name: str) -> object:
    # `_CONVERTER`, the full converter by the name it always had, made when first asked for.
    if name == "_CONVERTER":
        return _markdownify()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _prepare(html: str, shortcodes: bool = True) -> tuple[str, bool]:
    """The body with comments, scripts and shortcodes gone, and whether it holds any tag.

    When it does, it comes back as the HTML the converters get (wpautop'd when it had no <p>).
    """
    text = html.replace("\r\n", "\n").replace("\r", "\n")
    text = _COMMENT.sub("", text)
    text = _SCRIPT.sub("", text)
    if shortcodes:
        text = strip_shortcodes(text)
    if not _ANY_TAG.search(text):
        return text, False
    text = text if _HAS_PARAGRAPH.search(text) else _autop(text)
    if "</a" in text or "</A" in text:
        text = _EMPTY_LINK.sub(_link_text, text)
    if "<code" in text or "<CODE" in text:
        text = _CODE_WITH_BREAKS.sub(_code_block, text)
    return text, True


def _convert(text: str) -> str:
    """markdownify's Markdown for `text`, taking a faster converter when one handles it."""
    fast = _fast_paragraphs(text)
    if fast is None:
        # Comments hold only a few inline tags: fasthtml gives markdownify's output for them.
        fast = fasthtml.convert(text)
    return fast if fast is not None else _markdownify().convert(text)


def html_to_markdown(html: str, *, shortcodes: bool = True) -> str:
    """Convert blog HTML (WordPress, Blogger, Disqus) to Markdown text.

    shortcodes: remove WordPress's known shortcodes (False for platforms that have none).
    """
    text, is_markup = _prepare(html, shortcodes)
    if not is_markup:
        # Plain text: only entities need decoding; no Markdown escaping of what the person typed
        # beyond keeping a decoded "<b>" from becoming a tag.
        return _keep_tags_as_text(_tidy(htmllib.unescape(text) if "&" in text else text))
    try:
        markdown = _convert(text)
    except RecursionError:
        # Absurdly nested markup: keep the words rather than fail the whole import.
        markdown = htmllib.unescape(_ANY_TAG.sub("", text))
    markdown = _BREAK_RUN.sub("\n\n", markdown)
    markdown = _BREAK_BEFORE_BLANK.sub("\n", markdown)
    markdown = _keep_tags_as_text(_tidy(markdown))
    return markdown[:-1].rstrip() if markdown.endswith("\\") else markdown
