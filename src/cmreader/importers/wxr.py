"""WordPress WXR 1.0-1.2 exports to records: posts and pages with every comment, threaded."""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

from cmreader.errors import ImportFailed
from cmreader.importers.dates import to_utc_iso
from cmreader.importers.html import html_to_markdown
from cmreader.importers.xmlsafe import guarded, parse_xml
from cmreader.records import CommentRecord, ImportBatch, PostRecord

# Exporters wrote http and (WordPress.com, 2015) https namespaces; versions 1.0 to 1.2 seen.
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
# post_type "draft" is how WordPress.com (2008) exported unpublished posts.
_EPISODE_TYPES = {"post": "post", "page": "page", "draft": "post"}
_STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}
# Old exports date never-published drafts at the Unix epoch shifted by the blog's timezone.
_EPOCH_PLACEHOLDER = ("1969-12-31T10:00:00Z", "1970-01-01T14:00:00Z")


@dataclass(frozen=True)
class _Author:
    user_id: str
    login: str
    email: str
    display: str


def _clean(text: str | None) -> str:
    """Names and titles: XML-decoded already, but WordPress stores them HTML-escaped too."""
    return html.unescape(text).strip() if text else ""


def _date(*candidates: str | None) -> str | None:
    for text in candidates:
        moment = to_utc_iso(text)
        if moment is not None:
            if _EPOCH_PLACEHOLDER[0] <= moment <= _EPOCH_PLACEHOLDER[1]:
                return None
            return moment
    return None


class _Reader:
    """Field access through whichever wp namespace(s) the document uses."""

    def __init__(self, root: ET.Element) -> None:
        self.namespaces = {
            tag[1:].split("}", 1)[0]
            for tag in {el.tag for el in root.iter() if isinstance(el.tag, str)}
            if tag.startswith("{") and _WP_NAMESPACE.match(tag[1:].split("}", 1)[0])
        }

    def fields(self, element: ET.Element) -> dict[str, str]:
        """The element's wp:* children as {local name: text}; the first of a name wins."""
        found: dict[str, str] = {}
        for child in element:
            tag = child.tag
            if isinstance(tag, str) and tag.startswith("{"):
                namespace, _, local = tag[1:].partition("}")
                if namespace in self.namespaces and local not in found:
                    found[local] = child.text or ""
        return found

    def children(self, element: ET.Element, local: str) -> list[ET.Element]:
        return [el for ns in self.namespaces for el in element.findall(f"{{{ns}}}{local}")]


def _unique(key: str, seen: set[str]) -> str:
    # Duplicate ids happen in hand-edited exports; a source-order suffix keeps keys stable.
    candidate, n = key, 1
    while candidate in seen:
        n += 1
        candidate = f"{key}#{n}"
    seen.add(candidate)
    return candidate


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def _comments(
    reader: _Reader, item: ET.Element, post_key: str, author: _Author | None, creator: str
) -> tuple[CommentRecord, ...]:
    raw = [reader.fields(el) for el in reader.children(item, "comment")]
    seen: set[str] = set()
    keys_by_id: dict[str, str] = {}
    keys: list[str] = []
    for fields in raw:
        comment_id = fields.get("comment_id", "").strip()
        suffix = comment_id or "~" + _digest(
            fields.get("comment_author", ""),
            fields.get("comment_date", ""),
            fields.get("comment_content", ""),
        )
        key = _unique(f"{post_key}:c{suffix}", seen)
        keys.append(key)
        if comment_id:
            keys_by_id.setdefault(comment_id, key)
    parents: dict[str, str | None] = {}
    for key, fields in zip(keys, raw, strict=True):
        parent_id = fields.get("comment_parent", "").strip()
        # 0 (or nothing) is top level; a parent missing from the file leaves an orphan on top.
        parents[key] = keys_by_id.get(parent_id) if parent_id not in ("", "0") else None

    owner_names = set()
    if author is not None:
        owner_names = {n.casefold() for n in (author.display, author.login, author.email) if n}
    elif creator:
        owner_names = {creator.casefold()}
    records = []
    for key, fields in zip(keys, raw, strict=True):
        name = _clean(fields.get("comment_author"))
        email = fields.get("comment_author_email", "").strip()
        user_id = fields.get("comment_user_id", "").strip()
        by_owner = bool(
            (
                author is not None
                and author.user_id
                and user_id not in ("", "0")
                and user_id == author.user_id
            )
            or (name and name.casefold() in owner_names)
            or (email and email.casefold() in owner_names)
        )
        approved = fields.get("comment_approved", "").strip().lower()
        records.append(
            CommentRecord(
                key=key,
                parent_key=parents[key],
                author=name or None,
                published=_date(fields.get("comment_date_gmt"), fields.get("comment_date")),
                body=html_to_markdown(fields.get("comment_content", "")),
                status=_STATUSES.get(approved, "pending"),
                by_owner=by_owner,
                author_url=fields.get("comment_author_url", "").strip() or None,
                author_email=email or None,
            )
        )
    return tuple(records)


def _parse(path: str, root: ET.Element) -> ImportBatch:
    channel = root.find("channel")
    reader = _Reader(root)
    if root.tag != "rss" or channel is None or not reader.namespaces:
        raise ImportFailed(path, "not a WordPress WXR export")
    site = _clean(channel.findtext("link"))
    if not site:
        base = reader.fields(channel)
        site = (base.get("base_blog_url") or base.get("base_site_url") or "").strip()

    authors: dict[str, _Author] = {}
    for el in reader.children(channel, "author"):
        fields = reader.fields(el)
        login = _clean(fields.get("author_login"))
        if login and login not in authors:
            authors[login] = _Author(
                user_id=fields.get("author_id", "").strip(),
                login=login,
                email=fields.get("author_email", "").strip(),
                display=_clean(fields.get("author_display_name")) or login,
            )

    posts: list[PostRecord] = []
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for item in channel.findall("item"):
        fields = reader.fields(item)
        # An item without post_type is what WordPress itself imports as a post.
        post_type = fields.get("post_type", "").strip() or "post"
        if post_type not in _EPISODE_TYPES:
            skipped[post_type] += 1
            continue
        title = _clean(item.findtext("title"))
        post_id = fields.get("post_id", "").strip()
        guid = (item.findtext("guid") or "").strip()
        ident = post_id or (f"guid:{guid}" if guid else "") or (f"title:{title}" if title else "")
        content = item.findtext(_CONTENT) or ""
        key = _unique(f"wxr:{site}:{ident or '~' + _digest(content)}", seen)
        creator = _clean(item.findtext(_CREATOR))
        author = authors.get(creator)
        posts.append(
            PostRecord(
                key=key,
                title=title or None,
                author=(author.display if author else creator) or None,
                published=_date(
                    fields.get("post_date_gmt"), fields.get("post_date"), item.findtext("pubDate")
                ),
                body=html_to_markdown(content),
                url=(item.findtext("link") or "").strip() or None,
                kind=_EPISODE_TYPES[post_type],
                comments=_comments(reader, item, key, author, creator),
            )
        )

    owners = Counter(p.author for p in posts if p.author)
    return ImportBatch(
        source=path,
        format="wxr",
        posts=tuple(posts),
        blog_title=_clean(channel.findtext("title")) or None,
        owner=owners.most_common(1)[0][0] if owners else None,
        skipped=dict(skipped),
    )


def parse_wxr(path: str, data: bytes) -> ImportBatch:
    """Read a WordPress export (WXR) held in `data`, read from `path`."""
    root = parse_xml(path, data)
    return guarded(path, "WordPress export", lambda: _parse(path, root))
