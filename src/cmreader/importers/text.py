"""Names and titles as exports store them: HTML-escaped, sometimes twice."""

from __future__ import annotations

import html
import re

# What a second escaping leaves once the first is undone: a character reference or one of the
# entities blog software writes itself. Any other "&name;" is left as the person typed it.
_LEFT_OVER = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp|hellip|ndash|mdash|"
    r"lsquo|rsquo|ldquo|rdquo|laquo|raquo);"
)


def unescape_name(text: str | None) -> str:
    """A title or name, XML-decoded already, as plain text.

    WordPress stores titles HTML-escaped, and some exporters escape them once more
    ("&amp;#8217;"): what is still an entity after one pass is decoded again, once.
    """
    if not text:
        return ""
    once = html.unescape(text) if "&" in text else text
    if "&" in once and _LEFT_OVER.search(once):
        once = html.unescape(once)
    return once.strip()
