"""The site's JSON as cmreader's records, and your Markdown as the HTML the site is sent.

What the site answers is untrusted text, exactly like an import: it goes through the same
HTML-to-Markdown conversion and the same cleaning.
"""

from __future__ import annotations

import re
from typing import Any

from cmreader.importers.html import html_to_markdown
from cmreader.importers.text import unescape_name
from cmreader.records import CommentRecord, PostRecord
from cmreader.sanitize import clean_line, clean_text

# The site's comment statuses (context=edit) and cmreader's.
FROM_SITE = {"approved": "approved", "approve": "approved", "1": "approved", "hold": "pending",
             "0": "pending", "unapproved": "pending", "spam": "spam", "trash": "trash",
             "post-trashed": "trash"}
TO_SITE = {"approved": "approved", "pending": "hold", "spam": "spam", "trash": "trash"}
_POST_STATUSES = {"publish", "draft", "private", "pending", "future"}
_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def gmt(value: object) -> str | None:
    """A `date_gmt` of the API ("2024-05-01T10:00:00") as cmreader's UTC ISO form."""
    if isinstance(value, str) and _DATE.fullmatch(value[:19]):
        return value[:19] + "Z"
    return None


def _field(item: dict[str, Any], name: str) -> str:
    """A rendered/raw field: raw (context=edit) when given, else the rendered HTML."""
    value = item.get(name)
    if isinstance(value, dict):
        raw = value.get("raw")
        return raw if isinstance(raw, str) else str(value.get("rendered") or "")
    return value if isinstance(value, str) else ""


def _id(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def post_record(
    item: dict[str, Any], blog_key: str, authors: dict[int, str]
) -> tuple[int, PostRecord] | None:
    """(site id, record) of a post or page, or None for an answer that is not one."""
    remote_id = _id(item.get("id"))
    if not remote_id:
        return None
    status = str(item.get("status") or "publish")
    kind = "page" if item.get("type") == "page" else "post"
    author = _id(item.get("author"))
    link = item.get("link")
    return remote_id, PostRecord(
        key=f"{blog_key}:{remote_id}",
        title=clean_line(unescape_name(_field(item, "title"))) or None,
        author=authors.get(author) if author else None,
        published=gmt(item.get("date_gmt")),
        body=clean_text(html_to_markdown(_field(item, "content"))),
        url=clean_line(link) if isinstance(link, str) and link else None,
        kind=kind,
        status=status if status in _POST_STATUSES else "draft",
    )


def comment_record(item: dict[str, Any], post_key: str) -> tuple[int, int, CommentRecord] | None:
    """(post's site id, site id, record) of a comment, or None for an answer that is not one."""
    remote_id = _id(item.get("id"))
    post = _id(item.get("post"))
    if not remote_id or not post:
        return None
    parent = _id(item.get("parent")) or 0
    user = _id(item.get("author")) or 0
    kind = str(item.get("type") or "comment")
    email = item.get("author_email")
    url = item.get("author_url")
    return post, remote_id, CommentRecord(
        key=f"{post_key}:c{remote_id}",
        parent_key=f"{post_key}:c{parent}" if parent else None,
        author=clean_line(unescape_name(str(item.get("author_name") or ""))) or None,
        published=gmt(item.get("date_gmt")),
        body=clean_text(html_to_markdown(_field(item, "content"))),
        status=FROM_SITE.get(str(item.get("status") or ""), "pending"),
        author_url=clean_line(url) if isinstance(url, str) and url else None,
        author_email=clean_line(email) if isinstance(email, str) and email else None,
        type=kind if kind in ("pingback", "trackback") else "comment",
        author_user_id=str(user) if user else None,
    )


def to_html(markdown: str) -> str:
    """Your reply as the site shows it: Markdown rendered to HTML. What you typed as HTML stays
    text (html off), as it read in the composer."""
    from markdown_it import MarkdownIt  # Textual's own Markdown parser: already installed

    return MarkdownIt("commonmark", {"html": False}).render(markdown).strip()


def same_text(site_html: str, sent_html: str) -> bool:
    """Whether a comment the site holds is the text cmreader sent (whitespace aside, and the
    site's own filtering of the HTML aside: compared as the words a reader sees)."""
    return _words(site_html) == _words(sent_html)


_TAG = re.compile(r"<[^>]*>")


def _words(html: str) -> str:
    import html as htmllib

    return " ".join(htmllib.unescape(_TAG.sub(" ", html)).split())
