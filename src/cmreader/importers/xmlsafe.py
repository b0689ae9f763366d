"""Shared footing for the XML importers: safe parsing, one-line failures, loop-free threads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TypeVar

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from cmreader.errors import ImportFailed

# Namespaces for prefixes that old exporters used without declaring them (WordPress.com 2008
# wrote `excerpt:encoded` with no xmlns:excerpt); any other undeclared prefix gets a private URI.
_KNOWN_PREFIXES = {
    "excerpt": "http://wordpress.org/export/1.0/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.0/",
}
_TAG_PREFIX = re.compile(rb"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_ATTR_PREFIX = re.compile(rb"\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_DECLARED = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_ROOT_NAME = re.compile(rb"<[A-Za-z_][\w.:-]*")
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")

T = TypeVar("T")


def _root_start(data: bytes) -> int | None:
    """Offset just after the root element's name, skipping the prolog."""
    pos = 0
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    while True:
        skip = _PROLOG_SKIP.match(data, pos)
        if not skip or skip.end() == pos:
            break
        pos = skip.end()
    root = _ROOT_NAME.match(data, pos)
    return root.end() if root else None


def _declare_missing_prefixes(data: bytes) -> bytes | None:
    """The document with undeclared prefixes bound on its root, or None when nothing to add."""
    at = _root_start(data)
    if at is None:
        return None
    tag_end = data.find(b">", at)
    root_tag = data[at:tag_end] if tag_end != -1 else b""
    used = {m.group(1) for m in _TAG_PREFIX.finditer(data)}
    used |= {m.group(1) for m in _ATTR_PREFIX.finditer(data)}
    missing = sorted(used - {m.group(1) for m in _DECLARED.finditer(root_tag)} - {b"xml", b"xmlns"})
    if not missing:
        return None
    declarations = b"".join(
        b' xmlns:%s="%s"'
        % (
            prefix,
            _KNOWN_PREFIXES.get(prefix.decode(), f"urn:x-undeclared:{prefix.decode()}").encode(),
        )
        for prefix in missing
    )
    return data[:at] + declarations + data[at:]


def _parse_error_line(error: ET.ParseError) -> str:
    line, column = getattr(error, "position", (0, 0))
    reason = _POSITION_SUFFIX.sub("", str(error)).strip() or "parse error"
    return f"not well-formed XML (line {line}, column {column}): {reason}"


def parse_xml(path: str, data: bytes) -> ET.Element:
    """Parse `data` (read from `path`) into its root element, refusing DTDs and entities."""
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    try:
        try:
            return fromstring(data, forbid_dtd=True)
        except ET.ParseError as error:
            if "unbound prefix" not in str(error):
                raise
            fixed = _declare_missing_prefixes(data)
            if fixed is None:
                raise
            return fromstring(fixed, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ImportFailed(
            path, "refused: the XML declares a DTD or entities (possible XML bomb)"
        ) from error
    except ET.ParseError as error:
        raise ImportFailed(path, _parse_error_line(error)) from error
    except (ValueError, LookupError, UnicodeError, RecursionError, MemoryError) as error:
        # An unknown encoding name, undecodable bytes, absurd nesting: still one clear line.
        raise ImportFailed(path, f"cannot read the XML: {one_line(error)}") from error


def one_line(error: BaseException) -> str:
    """An exception as a single short line for ImportFailed messages."""
    text = " ".join(str(error).split()) or error.__class__.__name__
    return text if len(text) <= 200 else text[:197] + "..."


def guarded(path: str, what: str, parse: Callable[[], T]) -> T:
    """Run `parse`, turning any unexpected exception into ImportFailed for `path`."""
    try:
        return parse()
    except ImportFailed:
        raise
    except Exception as error:
        # Parsers check what they can; whatever slips through must still be one line, no trace.
        raise ImportFailed(
            path, f"unexpected data in the {what}: {error.__class__.__name__}: {one_line(error)}"
        ) from error
