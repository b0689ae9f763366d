"""Where an XML document's root element starts, past its declaration, comments and doctype."""

from __future__ import annotations

_LEADING = b"\xef\xbb\xbf \t\r\n"


def root_start(xml: bytes) -> int | None:
    """The offset of the root element's "<", or None when no element starts the document.

    A byte order mark and whitespace are skipped, and so are the declaration, processing
    instructions, comments and a doctype (to its first ">"), and any text between them.
    """
    pos = len(xml) - len(xml.lstrip(_LEADING))
    while True:
        start = xml.find(b"<", pos)
        if start < 0:
            return None
        if xml.startswith(b"<?", start) or xml.startswith(b"<!", start):
            ender = b"-->" if xml.startswith(b"<!--", start) else b">"
            close = xml.find(ender, start + 2)
            if close < 0:
                return None  # an unclosed comment or declaration: no root to be found
            pos = close + len(ender)
            continue
        return start
