"""Blogger exports to records: the classic Atom "Export blog" backup and Takeout feed.atom."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

from cmreader.errors import ImportFailed
from cmreader.importers.dates import to_utc_iso
from cmreader.importers.html import html_to_markdown
from cmreader.importers.owners import most_named
from cmreader.importers.text import unescape_name
from cmreader.importers.xmlsafe import guarded, parse_xml_noting, with_notes
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord

_ATOM = "{http://www.w3.org/2005/Atom}"
_THR = "{http://purl.org/syndication/thread/1.0}"
_APP = "{http://purl.org/atom/app#}"
_TAKEOUT = "{http://schemas.google.com/blogger/2018}"
_KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
_BLOG_ID = re.compile(r"blog-(\d+)")
_POST_ID = re.compile(r"post-(\d+)\s*$")
_TRAILING_DIGITS = re.compile(r"/(\d+)/?\s*$")
# Takeout comment statuses; anything unlisted (PENDING, ...) waits for moderation.
_TAKEOUT_STATUS = {"LIVE": "approved", "DELETED": "trash", "SOFT_TRASHED": "trash", "SPAM": "spam"}
# Takeout post statuses; anything unlisted (trashed, deleted) is not public.
_TAKEOUT_POST_STATUS = {"LIVE": "publish", "DRAFT": "draft", "SCHEDULED": "future"}
# Names Blogger shows for commenters it knows nothing about: never an identity.
_NO_NAME = {"", "unknown", "anonymous", "anonyme", "anónimo", "anonimo", "anonym"}


@dataclass
class _Entry:
    """What both Blogger formats say about one post, page or comment."""

    ident: str  # the digits Blogger gives it, kept as text
    kind: str  # "post", "page" or "comment"
    element: ET.Element
    post_ref: str = ""  # comments: the post (classic) or the post or parent comment (Takeout)
    parent_ref: str = ""  # classic comments: the parent comment's id
    status: str = "approved"  # comments: approved, pending, spam, trash; posts: publish, draft...


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def _short_id(full: str) -> str:
    match = _POST_ID.search(full)
    return match.group(1) if match else full.strip()


def _author(element: ET.Element) -> tuple[str, str, str]:
    """(name, profile uri, email) of an entry's author."""
    author = element.find(f"{_ATOM}author")
    if author is None:
        return "", "", ""
    return (
        _text(author, f"{_ATOM}name"),
        _text(author, f"{_ATOM}uri"),
        _text(author, f"{_ATOM}email"),
    )


def _body(element: ET.Element) -> str:
    content = element.find(f"{_ATOM}content")
    if content is None or not content.text:
        return ""
    if content.get("type", "html") in ("html", "xhtml", "text/html"):
        return html_to_markdown(content.text)
    return content.text.strip()


def _title(element: ET.Element) -> str:
    title = element.find(f"{_ATOM}title")
    if title is None or not title.text:
        return ""
    return (unescape_name(title.text) if title.get("type") == "html" else title.text).strip()


def _link(element: ET.Element, rel: str) -> str:
    for link in element.findall(f"{_ATOM}link"):
        if link.get("rel") == rel and link.get("href"):
            return link.get("href", "").strip()
    return ""


def _classic_entries(root: ET.Element, skipped: Counter[str]) -> list[_Entry]:
    entries = []
    for element in root.findall(f"{_ATOM}entry"):
        kind = next(
            (
                (c.get("term") or "").rpartition("#")[2]
                for c in element.findall(f"{_ATOM}category")
                if c.get("scheme") == _KIND_SCHEME
            ),
            "",
        )
        ident = _short_id(_text(element, f"{_ATOM}id"))
        if kind == "comment":
            reply_to = element.find(f"{_THR}in-reply-to")
            post_ref = _short_id(reply_to.get("ref", "")) if reply_to is not None else ""
            related = _TRAILING_DIGITS.search(_link(element, "related"))
            entries.append(
                _Entry(ident, kind, element, post_ref, related.group(1) if related else "")
            )
        elif kind in ("post", "page"):
            draft = _text(element, f"{_APP}control/{_APP}draft").lower() == "yes"
            entries.append(_Entry(ident, kind, element, status="draft" if draft else "publish"))
        else:
            skipped[kind or "unknown entries"] += 1
    return entries


def _takeout_entries(root: ET.Element, skipped: Counter[str]) -> list[_Entry]:
    entries = []
    for element in root.findall(f"{_ATOM}entry"):
        kind = _text(element, f"{_TAKEOUT}type").lower()
        ident = _short_id(_text(element, f"{_TAKEOUT}id") or _text(element, f"{_ATOM}id"))
        status = _text(element, f"{_TAKEOUT}status").upper()
        if kind == "comment":
            parent = _short_id(_text(element, f"{_TAKEOUT}parent"))
            entries.append(
                _Entry(ident, kind, element, parent, status=_TAKEOUT_STATUS.get(status, "pending"))
            )
        elif kind in ("post", "page"):
            post_status = _TAKEOUT_POST_STATUS.get(status or "LIVE", "private")
            entries.append(_Entry(ident, kind, element, status=post_status))
        else:
            skipped[kind or "unknown entries"] += 1
    return entries


def _same_person(name: str, uri: str, owner_name: str, owner_uri: str) -> bool:
    """The profile URI decides when the owner has one: "Unknown" and "Anonymous" are names
    many commenters share. Without a URI, a real name has to match."""
    if owner_uri:
        return bool(uri) and uri == owner_uri
    return name.casefold() not in _NO_NAME and name == owner_name


def _resolve_threads(
    entries: list[_Entry], post_ids: set[str]
) -> dict[str, tuple[str, str | None]]:
    """Comment id -> (post id, parent comment id or None), following Takeout reply chains."""
    comments = {e.ident: e for e in entries if e.kind == "comment"}
    placed: dict[str, tuple[str, str | None]] = {}
    for entry in comments.values():
        if entry.post_ref in post_ids:
            parent = entry.parent_ref if entry.parent_ref in comments else None
            placed[entry.ident] = (entry.post_ref, parent)
            continue
        # Takeout: the parent may be a comment; climb until a post, guarding against loops.
        seen = {entry.ident}
        ref = entry.post_ref
        while ref in comments and ref not in seen:
            seen.add(ref)
            ref = comments[ref].post_ref
        if ref in post_ids:
            parent = entry.post_ref if entry.post_ref in comments else None
            placed[entry.ident] = (ref, parent)
    # A parent that is itself unplaced or on another post would dangle: top level instead.
    parents = {
        ident: parent if parent in placed and placed[parent][0] == post else None
        for ident, (post, parent) in placed.items()
    }
    return {ident: (post, parents[ident]) for ident, (post, _) in placed.items()}


def _parse(path: str, root: ET.Element) -> ImportBatch:
    if root.tag != f"{_ATOM}feed":
        raise ImportFailed(path, "not a Blogger export")
    takeout = root.find(f"{_ATOM}entry/{_TAKEOUT}type") is not None
    classic = any(
        c.get("scheme") == _KIND_SCHEME for c in root.iterfind(f"{_ATOM}entry/{_ATOM}category")
    )
    if not takeout and not classic:
        raise ImportFailed(path, "not a Blogger export")
    skipped: Counter[str] = Counter()
    entries = _takeout_entries(root, skipped) if takeout else _classic_entries(root, skipped)
    blog_match = _BLOG_ID.search(_text(root, f"{_ATOM}id"))
    blog = blog_match.group(1) if blog_match else "unknown"
    feed_name, feed_uri, feed_email = _author(root)

    posts: dict[str, _Entry] = {}
    for entry in entries:
        if entry.kind in ("post", "page"):
            posts.setdefault(entry.ident, entry)  # a repeated id: the first one stands
    threads = _resolve_threads(entries, set(posts))
    orphans = sum(1 for e in entries if e.kind == "comment" and e.ident not in threads)
    if orphans:
        skipped["orphan comments"] += orphans

    by_post: dict[str, list[CommentRecord]] = {ident: [] for ident in posts}
    seen_comments: set[str] = set()
    for entry in entries:
        if entry.kind != "comment" or entry.ident not in threads or entry.ident in seen_comments:
            continue
        seen_comments.add(entry.ident)
        post_id, parent = threads[entry.ident]
        post_name, post_uri, _ = _author(posts[post_id].element)
        name, uri, email = _author(entry.element)
        name = unescape_name(name)
        by_post[post_id].append(
            CommentRecord(
                key=f"blogger:{blog}:{post_id}:c{entry.ident}",
                parent_key=f"blogger:{blog}:{post_id}:c{parent}" if parent else None,
                author=name or None,
                published=to_utc_iso(_text(entry.element, f"{_ATOM}published")),
                body=_body(entry.element),
                status=entry.status,
                by_owner=_same_person(name, uri, post_name, post_uri)
                or (bool(feed_uri) and _same_person(name, uri, feed_name, feed_uri)),
                author_url=uri or None,
                # Blogger hides real addresses behind this placeholder.
                author_email=email if email and email != "noreply@blogger.com" else None,
            )
        )

    records = []
    for ident, entry in posts.items():
        name, _, _ = _author(entry.element)
        records.append(
            PostRecord(
                key=f"blogger:{blog}:{ident}",
                title=_title(entry.element) or None,
                author=name or None,
                published=to_utc_iso(_text(entry.element, f"{_ATOM}published")),
                body=_body(entry.element),
                url=_link(entry.element, "alternate") or None,
                kind=entry.kind,
                comments=tuple(by_post[ident]),
                status=entry.status,
            )
        )
    if feed_name:
        owner_name, owner_uri = feed_name, feed_uri
    else:
        # The feed names no author: whoever wrote most posts.
        author = most_named(_author(e.element)[:2] for e in posts.values() if _author(e.element)[0])
        owner_name, owner_uri = author or ("", "")
    title = _title(root) or None
    return ImportBatch(
        source=path,
        format="blogger",
        posts=tuple(records),
        blog_title=title,
        owner=owner_name or None,
        skipped=dict(skipped),
        blog=BlogRecord(
            key=f"blogger:{blog}",
            kind="blogger",
            title=title,
            url=_link(root, "alternate") or None,
            owner_name=owner_name or None,
            owner_email=feed_email if feed_email and feed_email != "noreply@blogger.com" else None,
            owner_uri=owner_uri or None,
        ),
    )


def parse_blogger(path: str, data: bytes) -> ImportBatch:
    """Read a Blogger Atom backup or Takeout feed.atom held in `data`, read from `path`."""
    root, notes = parse_xml_noting(path, data)
    return with_notes(guarded(path, "Blogger export", lambda: _parse(path, root)), notes)
