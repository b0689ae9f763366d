"""Untrusted text: no control, escape sequence or bidi override survives clean_text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmreader.sanitize import clean_excerpt, clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("a\x1b]52;c;aGVsbG8=\x07b", "ab"),  # OSC 52 clipboard write
        ("x\x1b]0;title\x1b\\y", "xy"),  # title change ended by ST
        ("\x1b[2J\x1b[Hz", "z"),  # clear screen, cursor home
        ("\x9b31mq\x9d0;t\x9c", "q"),  # 8-bit CSI and OSC
        ("\u202eabc\u2066d\u2069", "abcd"),  # bidi override and isolate
        ("bell\x07 nul\x00 del\x7f", "bell nul del"),
        ("line\r\nnext\ttab", "line\nnext\ttab"),
        ("[red]rouge[/red]", "[red]rouge[/red]"),  # markup is not our business here: kept
        ("évolutivité ☕ 日本", "évolutivité ☕ 日本"),
    ],
)
def test_clean_text(raw: str, safe: str) -> None:
    assert clean_text(raw) == safe


def test_clean_line_folds_whitespace() -> None:
    assert clean_line(" Becky\n\t(admin)\x1b[31m ") == "Becky (admin)"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_nothing_dangerous_survives(text: str) -> None:
    out = clean_text(text)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in out)
    assert not any(0x7F <= ord(ch) <= 0x9F for ch in out)
    assert not any(ch in out for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_clean_excerpt_is_the_head_of_clean_line() -> None:
    text = "a\x1b[31m  b\n" * 1000
    assert clean_excerpt(text, 50) == clean_line(text)[:50]


def test_show_controls_keeps_the_users_text_and_shows_each_control() -> None:
    from cmreader.sanitize import show_controls

    shown = show_controls("a\x1b]52;c;x\x07b\r\nc\td\x7f\x9b\u00e9")
    assert shown == "a\u241b]52;c;x\u2407b\nc\td\u2421\ufffd\u00e9"
    assert clean_text(shown) == shown  # nothing left that the terminal would run
