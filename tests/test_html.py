"""html_to_markdown: the Markdown that imported bodies become."""

from __future__ import annotations

import pytest

from cmreader.importers.html import html_to_markdown


def test_headings_are_atx() -> None:
    assert html_to_markdown("<h1>One</h1><h3>Three</h3>") == "# One\n\n### Three"


def test_emphasis() -> None:
    assert (
        html_to_markdown("<p><strong>bold</strong> and <em>soft</em></p>") == "**bold** and *soft*"
    )
    assert html_to_markdown("<p><b>B</b><i>I</i></p>") == "**B***I*"


def test_links() -> None:
    html = '<p>see <a href="https://ex.org/a">the page</a> or https://ex.org</p>'
    assert html_to_markdown(html) == "see [the page](https://ex.org/a) or https://ex.org"


def test_lists() -> None:
    assert html_to_markdown("<ul><li>a</li><li>b</li></ul>") == "- a\n- b"
    nested = "<ol><li>one</li><li>two<ul><li>sub</li></ul></li></ol>"
    assert html_to_markdown(nested) == "1. one\n2. two\n   - sub"


def test_blockquote() -> None:
    assert html_to_markdown("<blockquote><p>Stay hungry.</p></blockquote>") == "> Stay hungry."


def test_code_block_and_inline_code() -> None:
    html = "<p>use <code>x</code>:</p><pre><code>a = 1\n\nb = 2</code></pre>"
    assert html_to_markdown(html) == "use `x`:\n\n```\na = 1\n\nb = 2\n```"


def test_plain_text_comes_back_as_itself() -> None:
    text = "Salut !  \nsnake_case and 2*3 [simple boat]   "
    assert html_to_markdown(text) == "Salut !\nsnake_case and 2*3 [simple boat]"


def test_plain_text_entities_are_decoded() -> None:
    assert html_to_markdown("AT&amp;T &lt;3 &#8217;") == "AT&T <3 \u2019"


def test_bare_newlines_become_paragraphs_without_p() -> None:
    html = "First <b>para</b>\nsame para\n\nSecond para"
    assert html_to_markdown(html) == "First **para**\\\nsame para\n\nSecond para"


def test_double_br_is_a_paragraph() -> None:
    html = "Nice picture!!!<BR/><BR/>I mean <B>NICE</B> picture."
    assert html_to_markdown(html) == "Nice picture!!!\n\nI mean **NICE** picture."


def test_no_runs_of_blank_lines_and_trimmed() -> None:
    out = html_to_markdown("\n\n<p>a</p>\n\n\n\n\n<p>b</p>\n\n<p></p><p></p>\n\n")
    assert out == "a\n\nb"
    assert "\n\n\n" not in html_to_markdown("one\n\n\n\n\ntwo")


def test_gutenberg_and_html_comments_are_removed() -> None:
    html = (
        "<!-- wp:paragraph -->\n<p>Hello</p>\n<!-- /wp:paragraph -->\n"
        '<!-- wp:image {"id":5} --><p>World<!-- a note --></p><!-- /wp:image -->'
    )
    assert html_to_markdown(html) == "Hello\n\nWorld"


def test_script_and_style_content_is_removed() -> None:
    html = "<p>a</p><script>alert('x')</script><style>p{color:red}</style><p>b</p>"
    assert html_to_markdown(html) == "a\n\nb"
    assert html_to_markdown("<p>a</p><script>never closed") == "a"


def test_caption_keeps_its_inner_markup() -> None:
    html = '[caption id="attachment_1" width="300"]<img src="i.png" alt="A cat" /> A cat[/caption]'
    assert html_to_markdown(html) == "![A cat](i.png) A cat"


def test_legacy_caption_attribute_is_kept() -> None:
    html = '[caption id="a" caption="Burns like spinifex"]<img src="i.png" alt="husk" />[/caption]'
    assert html_to_markdown(html) == "![husk](i.png)\n\nBurns like spinifex"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>Look</p>[gallery ids="1,2,3"]', "Look"),
        ("[gallery]", ""),
        ("<p>Watch</p>[embed]https://youtu.be/x[/embed]", "Watch\n\nhttps://youtu.be/x"),
        ('[audio src="https://ex.org/a.mp3"]', "https://ex.org/a.mp3"),
        ("[youtube=https://www.youtube.com/watch?v=abc]", "https://www.youtube.com/watch?v=abc"),
        ("[contact-form][contact-field label='Name'/][/contact-form]", ""),
        ("coracles [simple boat] and [1]", "coracles [simple boat] and [1]"),
    ],
)
def test_shortcodes(html: str, expected: str) -> None:
    assert html_to_markdown(html) == expected


def test_empty_input() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("   \n\n ") == ""


def test_absurd_nesting_does_not_raise() -> None:
    html = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert "deep" in html_to_markdown(html)
