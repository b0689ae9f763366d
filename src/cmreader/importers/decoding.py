"""Export bytes as people have them (gzipped, UTF-16, GBK, a stray byte first) made UTF-8 XML."""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib

from cmreader.errors import ImportFailed

_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DECLARATION = re.compile(rb"<\?xml\b[^>]*?\?>")
_ENCODING = re.compile(rb"""(\bencoding\s*=\s*)(["'])([A-Za-z][\w.:-]*)\2""")
# Encodings whose every byte is a character: any file "decodes", so a UTF-8 file declared as
# one of them would come out as mojibake without a word.
_SINGLE_BYTE_LATIN = {"iso8859_1", "iso8859_15", "cp1252"}
_LEADING_JUNK = b" \t\r\n\xef\xbb\xbf"


def gunzip(path: str, data: bytes, limit: int) -> bytes:
    """The bytes inside a gzipped export (recognised by its magic number), else `data`."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
            # Read one byte past the limit: a small file that unpacks to gigabytes is refused.
            inner = packed.read(limit + 1)
    except EOFError as error:
        raise ImportFailed(
            path, f"looks cut off: the gzip data ends early (after {len(data):,} bytes)"
        ) from error
    except (OSError, zlib.error) as error:
        raise ImportFailed(path, f"damaged gzip data ({error})") from error
    if len(inner) > limit:
        raise ImportFailed(path, f"unpacks to more than {limit // (1024 * 1024)} MB")
    return inner


def _utf16(data: bytes) -> str | None:
    """The codec of UTF-16 XML, with or without a byte order mark."""
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    if len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        return "utf-16-le"
    if len(data) >= 4 and data[0] == 0 and data[2] == 0 and data[1] != 0:
        return "utf-16-be"
    return None


def _position(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1)
    return f"line {line}, column {column}"


def as_utf8_xml(path: str, data: bytes) -> bytes:
    """XML in any declared or marked encoding as UTF-8 bytes starting at its first `<`.

    Bytes that are not XML come back unchanged. UTF-8, the common case, is not decoded here
    (the parser reads it); only what stands before `<?xml` is dropped.
    """
    codec = _utf16(data)
    if codec is not None:
        head = data[:200].decode(codec, "replace").lstrip(" \t\r\n\ufeff")
        if not head.startswith("<"):
            return data  # two bytes that look like a byte order mark, then no XML
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            raise ImportFailed(
                path, f"not valid UTF-16 (bad bytes at offset {error.start:,})"
            ) from error
        return _declare_utf8(text.lstrip(" \t\r\n\ufeff").encode("utf-8"))
    start = len(data) - len(data.lstrip(_LEADING_JUNK))
    if not data.startswith(b"<", start):
        return data
    if start:
        data = data[start:]
    declared = _declared(data)
    if declared is None:
        return data
    label = declared.decode("ascii")
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        raise ImportFailed(path, f"declares an unknown encoding {label!r}") from None
    if name in ("utf_8", "ascii"):
        return data
    if name in _SINGLE_BYTE_LATIN and not data.isascii() and _is_utf8(data):
        raise ImportFailed(
            path,
            f"declared as {label} but its bytes are UTF-8: its non-Latin "
            "text would turn to mojibake (fix the encoding in its first line to UTF-8)",
        )
    try:
        text = data.decode(name)
    except UnicodeDecodeError as error:
        if error.end >= len(data) and "incomplete" in str(error.reason):
            raise ImportFailed(
                path, f"looks cut off: it ends inside a character ({_position(data, error.start)})"
            ) from error
        raise ImportFailed(
            path,
            f"not valid {label}: byte 0x{data[error.start]:02x} at "
            f"{_position(data, error.start)}",
        ) from error
    return _declare_utf8(text.encode("utf-8"))


def _declared(data: bytes) -> bytes | None:
    declaration = _DECLARATION.match(data)
    if declaration is None:
        return None
    encoding = _ENCODING.search(declaration.group(0))
    return encoding.group(3) if encoding else None


def _declare_utf8(data: bytes) -> bytes:
    """The document with its declaration saying UTF-8, as its bytes now are."""
    declaration = _DECLARATION.match(data)
    if declaration is None:
        return data
    fixed = _ENCODING.sub(rb"\1\2UTF-8\2", declaration.group(0), count=1)
    return fixed + data[declaration.end() :]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
