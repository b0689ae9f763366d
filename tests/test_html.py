"""html_to_markdown: the Markdown that imported bodies become."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmreader.errors import ImportFailed
from cmreader.importers import fasthtml
from cmreader.importers.html import _CONVERTER, _prepare, html_to_markdown
from cmreader.importers.xmlsafe import parse_xml


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


def test_fast_paragraph_path_matches_markdownify() -> None:
    # The <p>/<br>-only shortcut must give exactly what the full converter gives.
    import random

    from cmreader.importers.html import _CONVERTER, _fast_paragraphs

    rnd = random.Random(3)
    atoms = ["a", "b c", " ", "\n", "\n\n", " \n ", "\t", "*", "_", "x_y", "\\", "#", "1.", "é"]
    atoms += ["&amp;", "&lt;", "&nbsp;", "&eacute;", "&#233;", "&#x263a;", "AT&T", "&", "\xa0"]
    breaks = ["<br>", "<br/>", "<br />", "<BR>"]
    used = 0
    for _ in range(3000):
        doc = "".join(
            rnd.choice(["", "\n", " \n\n "])
            + rnd.choice(["<p>", '<p class="x">', "<P>"])
            + "".join(
                rnd.choice(atoms) if rnd.random() < 0.8 else rnd.choice(breaks)
                for _ in range(rnd.randint(0, 8))
            )
            + "</p>"
            for _ in range(rnd.randint(1, 4))
        )
        fast = _fast_paragraphs(doc)
        if fast is not None:
            used += 1
            assert fast == _CONVERTER.convert(doc), doc
    assert used > 1000


# ---- fasthtml: the comment-markup converter must give markdownify's output exactly ----------

_BODY_FIELDS = {"encoded", "comment_content", "content", "message"}


def _fixture_bodies(fixtures: Path) -> list[str]:
    """Raw HTML of every post and comment body in the WordPress, Blogger and Disqus exports."""
    bodies = []
    for folder in ("wordpress", "blogger", "disqus"):
        for path in sorted((fixtures / folder).iterdir()):
            try:
                root = parse_xml(str(path), path.read_bytes())
            except ImportFailed:
                continue  # the deliberately broken exports
            for element in root.iter():
                tag = element.tag if isinstance(element.tag, str) else ""
                if tag.rsplit("}", 1)[-1] in _BODY_FIELDS and element.text:
                    bodies.append(element.text)
    return bodies


def _fast_and_slow(html: str) -> tuple[str | None, str] | None:
    """(fasthtml's Markdown or None, markdownify's) for what html_to_markdown converts."""
    text, is_markup = _prepare(html)
    if not is_markup:
        return None
    return fasthtml.convert(text), _CONVERTER.convert(text)


def test_fasthtml_matches_markdownify_on_every_fixture_body(fixtures_dir: Path) -> None:
    bodies = _fixture_bodies(fixtures_dir)
    assert len(bodies) > 150
    accepted = 0
    for body in bodies:
        pair = _fast_and_slow(body)
        if pair is not None and pair[0] is not None:
            accepted += 1
            assert pair[0] == pair[1], body
    assert accepted > 30


# Text with what Markdown and HTML treat specially; none of it makes "<" or "&" start markup
# once glued to a neighbour.
_ATOMS = [
    "word",
    "Becky",
    "snake_case",
    "2*3",
    "**not bold**",
    "_x_",
    "[simple boat]",
    "[1]",
    "# not a heading",
    "#tag",
    "`tick`",
    "``",
    "a < b",
    " <3 ",
    "1 > 0",
    "AT&amp;T",
    " & ",
    "&lt;b&gt;",
    "&nbsp;",
    "&eacute;",
    "&#233;",
    "&#x263a;",
    "&hellip;",
    "&quot;q&quot;",
    "café",
    "naïve",
    "Ça va ?",
    "Zoë",
    "\xa0",
    " \xa0",
    "\xa0 ",
    "\u2003",
    "\u3000",
    "\u2028",
    "\x0b",
    "\x0c",
    " \x0c\n",
    " ",
    "  ",
    "   ",
    "\t",
    "\n",
    "\n\n",
    " \n ",
    "\n\n\n",
    "\\",
    "- item",
    "1. one",
    "> quoted",
    "https://ex.org/a_b",
    "~~",
    "=",
    "|",
]
_TEXT = st.lists(st.sampled_from(_ATOMS), max_size=4).map("".join)
_BREAKS = st.sampled_from(["<br>", "<br/>", "<br />", "<BR>", '<br class="x">'])
_INLINE = ["b", "strong", "em", "i", "code", "del", "s", "strike", "q", "cite", "abbr", "acronym"]
_ATTRIBUTES: dict[str, list[str]] = {
    "a": [
        ' href="https://ex.org/a_b"',
        " href='https://ex.org/?a=1&amp;b=2'",
        ' href="https://ex.org/" title="The &quot;page&quot;"',
        ' href="https://ex.org/x" rel="nofollow ugc"',
        ' HREF="https://ex.org/p" target="_blank"',
        ' href=""',
        ' name="anchor"',
        "",
    ],
    "blockquote": ["", ' cite="https://ex.org/q"'],
    "q": ["", ' cite="https://ex.org/q"'],
    "abbr": ["", ' title="HyperText Markup Language"'],
    "acronym": ["", ' title="as soon as possible"'],
    "p": ["", ' class="x"', ' style="text-align: center"'],
}


def _element(name: str, attributes: str, children: list[str], upper: bool) -> str:
    tag = name.upper() if upper else name
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>"


@st.composite
def _tagged(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    name = draw(st.sampled_from([*_INLINE, "a", "a", "p", "blockquote"]))
    attributes = draw(st.sampled_from(_ATTRIBUTES.get(name, [""])))
    return _element(name, attributes, draw(st.lists(children, max_size=4)), draw(st.booleans()))


# A link whose text is its address: markdownify writes <https://...>.
_AUTOLINK = st.sampled_from(["https://ex.org/a_b", "https://ex.org/", "x"]).map(
    lambda url: f'<a href="{url}">{url}</a>'
)
_COMMON = st.recursive(
    _TEXT | _BREAKS | _AUTOLINK, lambda children: _tagged(children), max_leaves=12
)
# Shapes the converter must leave to markdownify, or that test BeautifulSoup's repairs.
_DOUBTFUL = st.sampled_from(
    [
        "<span>span</span>",
        '<img src="i.png" alt="A cat">',
        "</b>",
        "</p>",
        "<em>",
        "<b>",
        "<b/>",
        "x<y",
        "AT&T",
        "&foo;",
        "&amp",
        "&#150;",
        "&#xFFFE;",
        "<a href=bare>",
        "<b title=\"1\"title='2'>",
        "<!-- note -->",
        "<!DOCTYPE html>",
        "</br>",
        "<ul><li>one</li></ul>",
        "<",
    ]
)


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, bool]:
    """(document, whether it holds only common shapes)."""
    parts = draw(st.lists(_COMMON, min_size=1, max_size=4))
    common = draw(st.integers(0, 19)) > 0
    if not common:
        doubtful = draw(st.lists(_DOUBTFUL, min_size=1, max_size=2))
        for item in doubtful:
            parts.insert(draw(st.integers(0, len(parts))), item)
    separator = draw(st.sampled_from(["", "\n", "\n\n", " "]))
    body = separator.join(parts)
    if draw(st.booleans()):
        body = "".join(f"<p>{part}</p>\n" for part in body.split("\n\n"))
    return body, common


def test_fasthtml_matches_markdownify_on_generated_markup() -> None:
    counts = {"common": 0, "accepted": 0}

    @settings(
        max_examples=1500,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_documents())
    def check(document: tuple[str, bool]) -> None:
        html, common = document
        pair = _fast_and_slow(html)
        if pair is None:
            return
        fast, slow = pair
        if fast is not None:
            assert fast == slow
        if common:
            counts["common"] += 1
            counts["accepted"] += fast is not None

    check()
    # The whitelist shapes are what comments hold: nearly all of them take the fast way.
    assert counts["common"] > 1000
    assert counts["accepted"] / counts["common"] > 0.9


@settings(max_examples=300, deadline=None, database=None)
@given(st.integers(1, 0x10FFFF), st.sampled_from(["&#{};", "&#x{:x};", "&#X{:X};"]))
def test_fasthtml_numeric_references(value: int, spelling: str) -> None:
    html = "<p><b>" + spelling.format(value) + "</b> x</p>"
    fast = fasthtml.convert(html)
    if fast is not None:
        assert fast == _CONVERTER.convert(html)


@pytest.mark.parametrize("name", sorted(fasthtml.SAFE_ENTITIES))
def test_fasthtml_named_references(name: str) -> None:
    html = f"<p>a&{name};b <em>&{name};</em> <a href='/?x=&{name};'>l</a></p>"
    assert fasthtml.convert(html) == _CONVERTER.convert(html)


def test_fasthtml_leaves_other_markup_to_markdownify() -> None:
    for html in [
        "<p><span>x</span></p>",
        "<p><b onclick='x()'>x</b></p>",
        "<p>x<y</p>",
        "<p>AT&T</p>",
        "<p><b/>x</p>",
        "<p><!-- c -->x</p>",
        "<p>" + "<b>" * 50 + "x</p>",
    ]:
        assert fasthtml.convert(html) is None, html


def test_fasthtml_converts_comment_markup() -> None:
    html = (
        '<p>See <a href="https://ex.org/a_b" rel="nofollow">the <em>page</em></a>, '
        "<code>x_y*2</code> and <q>2*3</q>.<br />\nNext <del>line</del></p>\n"
        "<blockquote>Stay <strong>hungry</strong>.</blockquote>"
    )
    expected = (
        'See [the *page*](https://ex.org/a_b), `x_y*2` and "2\\*3".\\\n'
        "Next ~~line~~\n\n> Stay **hungry**."
    )
    assert fasthtml.convert(html) == expected == _CONVERTER.convert(html)


# --- what a reader must still see (issue 8) --------------------------------------------------


def test_a_link_without_text_keeps_its_address() -> None:
    assert html_to_markdown('<p>see <a href="https://x.example/a"></a> here</p>') == (
        "see <https://x.example/a> here"
    )
    assert html_to_markdown('see <a href="https://x.example/a">  </a>') == (
        "see <https://x.example/a>"
    )


def test_html_typed_escaped_stays_visible_text() -> None:
    for html in ("<p>Try &lt;img src=x onerror=alert(1)&gt; now</p>",
                 "Try &lt;img src=x onerror=alert(1)&gt; now"):
        markdown = html_to_markdown(html)
        assert markdown == "Try \\<img src=x onerror=alert(1)> now"
    # In code it needs no escape; autolinks stay links.
    assert html_to_markdown("<p>use <code>&lt;b&gt;</code></p>") == "use `<b>`"
    assert html_to_markdown('<p><a href="https://a.example">https://a.example</a></p>') == (
        "<https://a.example>"
    )


def test_multi_line_code_written_with_br_is_a_block() -> None:
    for html in (
        "<p>code: <code>a = 1<br>b = 2<br>c</code></p>",
        "code:\n<code>a = 1\nb = 2\nc</code>",
    ):
        assert html_to_markdown(html) == "code:\n\n```\na = 1\nb = 2\nc\n```"


def test_bracketed_code_is_text_where_there_are_no_shortcodes() -> None:
    html = "<p>[code]x = 1[/code]</p>"
    assert html_to_markdown(html) == "x = 1"  # WordPress: a shortcode
    assert html_to_markdown(html, shortcodes=False) == "[code]x = 1[/code]"  # Disqus: text


def test_double_escaped_titles_are_unescaped_once_more() -> None:
    from cmreader.importers.text import unescape_name

    # XML-decoded text of a title escaped twice, and of one escaped once.
    assert unescape_name("Don&amp;#8217;t stop") == "Don\u2019t stop"
    assert unescape_name("Don&#8217;t stop") == "Don\u2019t stop"
    assert unescape_name("Fish &amp;amp; chips") == "Fish & chips"
    # Text that only looks like an entity once decoded stays as typed.
    assert unescape_name("AT&amp;T &amp;c") == "AT&T &c"
