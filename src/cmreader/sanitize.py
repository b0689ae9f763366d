"""The one place that turns untrusted imported text into text safe to show in a terminal."""

from __future__ import annotations

import re

# ESC sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ST),
# and two-byte escapes. Their 8-bit C1 forms (0x9b CSI, 0x9d OSC, ...) too.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                      # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])                 # OSC, DCS, SOS, PM, APC ...
        [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?              # ... up to BEL or ST
  | \x1b[ -/]*[0-~]?                                        # other ESC sequences
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding, override and
# isolate characters that can make text display in another order than it is stored.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_text(text: str) -> str:
    """Remove every escape sequence, control and bidi override; keep newline and tab."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_line(text: str) -> str:
    """Like clean_text, for a one-line field (title, author): newlines and tabs become spaces."""
    return " ".join(clean_text(text).split())


def clean_excerpt(text: str, size: int) -> str:
    """The first `size` characters of clean_line(text), without cleaning all of a huge text."""
    # Escape sequences and whitespace runs shrink the text: take a generous head.
    return clean_line(text[: size * 4 + 256])[:size]


# What `visible` spells out: the controls and bidi characters above, plus the lone surrogates
# Python uses for bytes of a file name that are not UTF-8 (a raw 0x9b byte is an 8-bit CSI).
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """A path or value for a one-line message: every control, escape, bidi override and
    undecodable byte written out as a harmless \\x or \\u escape, so the user still sees which
    file it is and the terminal runs nothing."""
    return _INVISIBLE.sub(_spell, text)


# For text the user wrote (a pasted ESC would write the clipboard): the controls are not
# dropped, as in imported text, but shown as their pictures, so nothing typed disappears.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\n\t"}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({c: "\ufffd" for c in range(0x80, 0xA0)})


def show_controls(text: str) -> str:
    """The user's own text with every control character but newline and tab turned into its
    visible picture (U+2400...): kept, shown, and never run by the terminal."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_PICTURES)
