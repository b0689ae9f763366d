"""Shared footing for the XML importers: safe parsing, one-line failures, loop-free threads."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from html.entities import html5
from typing import TypeVar
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden

from cmreader.errors import ImportFailed
from cmreader.importers.decoding import as_utf8_xml
from cmreader.importers.xmlroot import root_start
from cmreader.records import ImportBatch

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
_ROOT_NAME = re.compile(rb"<[A-Za-z_][\w.:-]*")
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")
# Expat's reasons for a document that stops before its end.
_CUT_OFF = ("no element found", "unclosed token", "unclosed CDATA section", "partial character")
# HTML entities outside CDATA (WordPress writes "&nbsp;" in plain fields); CDATA and comments
# are matched first so that what they hold stays as it is.
_ENTITY_OR_VERBATIM = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|&([A-Za-z][A-Za-z0-9]{1,31});", re.S
)
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
# Characters XML 1.0 forbids anywhere, even in CDATA (tab, newline and return are allowed).
_FORBIDDEN_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f]")

T = TypeVar("T")


def _root_start(data: bytes) -> int | None:
    """Offset just after the root element's name, skipping the prolog."""
    start = root_start(data)
    root = _ROOT_NAME.match(data, start) if start is not None else None
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


def _parse_error_line(error: ET.ParseError, data: bytes) -> str:
    line, column = getattr(error, "position", (0, 0))
    reason = _POSITION_SUFFIX.sub("", str(error)).strip() or "parse error"
    if reason in _CUT_OFF:
        end_line = data.count(b"\n") + 1
        end_column = len(data) - (data.rfind(b"\n") + 1)
        return (
            f"looks cut off: the XML stops at line {end_line}, column {end_column}, "
            f"before its end ({reason})"
        )
    return f"not well-formed XML (line {line}, column {column}): {reason}"


def _html_entities_to_references(data: bytes) -> bytes | None:
    """HTML named entities outside CDATA as character references, which XML knows."""

    def reference(match: re.Match[bytes]) -> bytes:
        name = match.group(1)
        if name is None or name in _XML_ENTITIES:
            return match.group(0)
        text = html5.get(name.decode("ascii") + ";")
        if text is None:
            return match.group(0)  # not HTML either: left for the parser to name
        return b"".join(b"&#%d;" % ord(char) for char in text)

    fixed = _ENTITY_OR_VERBATIM.sub(reference, data)
    return fixed if fixed != data else None


def _drop_controls(data: bytes, notes: dict[str, int]) -> bytes | None:
    """The document without the control characters XML forbids, noting how many and where."""
    first = _FORBIDDEN_CONTROL.search(data)
    if first is None:
        return None
    fixed, count = _FORBIDDEN_CONTROL.subn(b"", data)
    line = data.count(b"\n", 0, first.start()) + 1
    noun = "control character" if count == 1 else "control characters"
    notes[f"{noun} XML forbids (dropped; first at line {line})"] = count
    return fixed


class _RootReached(Exception):
    """The probe met the root element: the prolog is behind it."""


def _refuse_dtd(data: bytes) -> None:
    """DTDForbidden when the document declares a DTD, read by expat up to the root element.

    A DTD can only stand before the root, and entities can only be declared in one: without
    it, expat knows no entity but XML's own five, so nothing expands and nothing is fetched.
    That lets the C tree builder read the document (defusedxml's pure-Python one takes twice
    as long on big exports). A prolog expat cannot read is left for the real parse to report.
    """
    probe = expat.ParserCreate()

    def doctype(name: str, sysid: str | None, pubid: str | None, _subset: bool) -> None:
        raise DTDForbidden(name, sysid, pubid)

    def root(_name: str, _attributes: object) -> None:
        raise _RootReached

    probe.StartDoctypeDeclHandler = doctype
    probe.StartElementHandler = root
    try:
        probe.Parse(data, True)
    except (_RootReached, expat.ExpatError):
        pass


def _fromstring(data: bytes) -> ET.Element:
    _refuse_dtd(data)
    return ET.fromstring(data)


def parse_xml(path: str, data: bytes) -> ET.Element:
    """Parse `data` (read from `path`) into its root element, refusing DTDs and entities."""
    return parse_xml_noting(path, data)[0]


def parse_xml_noting(path: str, data: bytes) -> tuple[ET.Element, dict[str, int]]:
    """parse_xml, and what had to be left out to read the file (to say in the summary).

    Files people really have are read when their data is clear: undeclared prefixes get a
    namespace, HTML entities become characters, stray control characters are dropped (and
    said). Each mend is tried only after the parser stumbled, so clean files pay nothing.
    """
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    data = as_utf8_xml(path, data)
    notes: dict[str, int] = {}
    tried: set[str] = set()
    try:
        while True:
            try:
                return _fromstring(data), notes
            except ET.ParseError as error:
                reason = str(error)
                fixed: bytes | None = None
                if "unbound prefix" in reason and "prefixes" not in tried:
                    tried.add("prefixes")
                    fixed = _declare_missing_prefixes(data)
                elif "undefined entity" in reason and "entities" not in tried:
                    tried.add("entities")
                    fixed = _html_entities_to_references(data)
                elif "invalid token" in reason and "controls" not in tried:
                    tried.add("controls")
                    fixed = _drop_controls(data, notes)
                if fixed is None:
                    raise
                data = fixed
    except DefusedXmlException as error:
        raise ImportFailed(
            path, "refused: the XML declares a DTD or entities (possible XML bomb)"
        ) from error
    except ET.ParseError as error:
        raise ImportFailed(path, _parse_error_line(error, data)) from error
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


def with_notes(batch: ImportBatch, notes: dict[str, int]) -> ImportBatch:
    """The batch, saying in its summary what reading the file left out."""
    return replace(batch, skipped={**batch.skipped, **notes}) if notes else batch
