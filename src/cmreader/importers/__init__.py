"""Importers: detect a file's format from its content and parse it into records."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cmreader.errors import ImportFailed
from cmreader.importers.decoding import as_utf8_xml, gunzip
from cmreader.importers.xmlroot import root_start
from cmreader.records import ImportBatch

FORMATS = ("pagedump", "wxr", "blogger", "disqus")
# Big exports are read whole; past this size a file is surely not a blog export.
MAX_BYTES = 512 * 1024 * 1024


def _parser(name: str) -> Callable[[str, bytes], ImportBatch]:
    # Imported on demand: starting the reader must not pay for XML parsing code.
    if name == "pagedump":
        from cmreader.importers.pagedump import parse_pagedump

        return parse_pagedump
    if name == "wxr":
        from cmreader.importers.wxr import parse_wxr

        return parse_wxr
    if name == "blogger":
        from cmreader.importers.blogger import parse_blogger

        return parse_blogger
    from cmreader.importers.disqus import parse_disqus

    return parse_disqus


def read_file(path: str) -> bytes:
    """The file's bytes, or one clear line saying why not."""
    p = Path(path)
    try:
        if p.is_dir():
            raise ImportFailed(path, "is a folder, not an export file")
        if p.stat().st_size > MAX_BYTES:
            raise ImportFailed(path, "larger than 512 MB, not a blog export")
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(path, "no such file") from exc
    except PermissionError as exc:
        raise ImportFailed(path, "permission denied") from exc
    except OSError as exc:
        raise ImportFailed(path, f"cannot read it ({exc.strerror})") from exc


# The root elements of the exports, found anywhere in a file that does not start as XML.
_EXPORT_ROOT = re.compile(rb"<(disqus|rss|feed)[\s>]", re.IGNORECASE)
_EXPORT_NAMES = {b"disqus": "Disqus", b"rss": "WordPress (RSS)", b"feed": "Blogger (Atom)"}
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def detect_format(path: str, data: bytes) -> str:
    """Which importer fits, from the content alone (the file name is not trusted)."""
    if not data.strip():
        raise ImportFailed(path, "the file is empty")
    data = as_utf8_xml(path, data)  # UTF-16 and other encodings: read as what they are
    head = data[:65536]
    if b"\x00" in head:
        raise ImportFailed(path, "a binary file, not a blog export")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        root = _root_name(stripped)
        if root == b"rss" and b"wordpress.org/export" in head:
            return "wxr"
        if root == b"feed" and (b"blogger" in head or b"schemas.google.com" in head):
            return "blogger"
        if root == b"disqus":
            return "disqus"
        if root is None:
            raise ImportFailed(path, "not well-formed XML: no root element found")
        name = root.decode("ascii", "replace")
        raise ImportFailed(
            path,
            f"unknown format: XML with root <{name}>, not a WordPress, Blogger or Disqus export",
        )
    export = _EXPORT_ROOT.search(head)
    if export:
        # An export with something before its first element (a damaged or cut file): it is
        # not an article to import as text, whatever --format pagedump would make of it.
        kind = _EXPORT_NAMES[export.group(1).lower()]
        raise ImportFailed(
            path, f"a damaged {kind} export: text before its first XML element, not well-formed"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(path, "unknown format: neither XML nor UTF-8 text") from None
    from cmreader.importers.pagedump import has_labels

    if text.lstrip().startswith("---") or has_labels(text):
        return "pagedump"
    raise ImportFailed(
        path,
        "unknown format: text without Blogger's Reply/Delete labels "
        "(use --format pagedump to import it as an article)",
    )


def _root_name(xml: bytes) -> bytes | None:
    """The local name of the first element, skipping the declaration, comments and doctype."""
    start = root_start(xml)
    match = _XML_ROOT.match(xml, start) if start is not None else None
    return match.group(2) if match else None


def load(path: str, fmt: str | None = None) -> ImportBatch:
    """Read and parse one file; every problem is an ImportFailed naming the file."""
    # Disqus mails its exports gzipped: recognised from the content, whatever the name.
    data = gunzip(path, read_file(path), MAX_BYTES)
    if fmt is None:
        fmt = detect_format(path, data)
    elif fmt not in FORMATS:
        raise ImportFailed(path, f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    elif not data.strip():
        raise ImportFailed(path, "the file is empty")
    try:
        batch = _parser(fmt)(path, data)
    except ImportFailed:
        raise
    except RecursionError as exc:
        raise ImportFailed(path, "nested too deeply to read") from exc
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, UnicodeError) as exc:
        # The cause stays attached: --debug shows its traceback.
        raise ImportFailed(
            path, f"not a valid {fmt} export ({exc.__class__.__name__}: {exc})"
        ) from exc
    return batch
