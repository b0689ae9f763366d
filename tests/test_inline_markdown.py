"""Comment Markdown as styled text: the syntax goes, the styles stay, nothing is markup."""

from __future__ import annotations

import pytest
from rich.text import Text

from cmreader.tui.widgets.comment_render import wrap, wrap_text
from cmreader.tui.widgets.inline_markdown import render_inline


def styled(text: Text) -> list[tuple[str, str]]:
    return [(text.plain[s.start : s.end], str(s.style)) for s in text.spans]


@pytest.mark.parametrize(
    ("source", "shown", "spans"),
    [
        ("**Headings**", "Headings", [("Headings", "bold")]),
        ("un *mot* et _un autre_", "un mot et un autre", [("mot", "italic"),
                                                          ("un autre", "italic")]),
        ("a \\*pas\\* b snake\\_case", "a *pas* b snake_case", []),
        ("# Titre", "Titre", [("Titre", "bold")]),
        ("* premier", "• premier", []),
        ("voir [mon blog](https://becky.example.org)", "voir mon blog (https://becky.example.org)",
         [("mon blog", "underline"), (" (https://becky.example.org)", "dim")]),
        ("le `code` ici", "le code ici", [("code", "bold")]),
        ("[red]rouge[/red] [bold]x[/]", "[red]rouge[/red] [bold]x[/]", []),
        ("2*3*4 et a_b_c", "2*3*4 et a_b_c", []),
    ],
)
def test_render_inline(source: str, shown: str, spans: list[tuple[str, str]]) -> None:
    text = render_inline(source)
    assert text.plain == shown
    assert styled(text) == spans


def test_quotes_are_marked_and_styled() -> None:
    text = render_inline("> > cité deux fois\nréponse")
    assert text.plain == "▌ ▌ cité deux fois\nréponse"
    assert all("italic" in style for _, style in styled(text))


def test_wrapping_keeps_styles_and_lines() -> None:
    text = render_inline("un **très long mot en gras** puis du texte normal\n\nfin")
    lines = wrap_text(text, 12)
    assert [line.plain for line in lines] == wrap(text.plain, 12)
    bold = "".join(line.plain[s.start : s.end] for line in lines for s in line.spans)
    assert bold.replace(" ", "") == "trèslongmotengras"


def test_hard_line_breaks_leave_no_backslash() -> None:
    assert render_inline("première ligne\\\nseconde").plain == "première ligne\nseconde"
    assert render_inline("un vrai \\\\").plain == "un vrai \\"


def test_images_show_their_alt_text_and_address() -> None:
    shown = render_inline("voici ![mon chat](https://ex.org/chat.jpg) et ![](https://ex.org/x.png)")
    assert shown.plain == ("voici [image: mon chat] (https://ex.org/chat.jpg) et "
                           "[image] (https://ex.org/x.png)")


def test_tables_show_as_rows() -> None:
    source = "| Livre | Auteur |\n|---|:---:|\n| Le CM | Becky |\n| Blogs \\| pros | Zoé |"
    assert render_inline(source).plain.split("\n") == [
        "Livre │ Auteur",
        "─" * 20,
        "Le CM │ Becky",
        "Blogs | pros │ Zoé",  # an escaped bar is a bar inside its cell
    ]
