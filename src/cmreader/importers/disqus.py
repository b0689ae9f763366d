"""Disqus XML exports to records: each thread is an episode, each post a comment."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from cmreader.errors import ImportFailed
from cmreader.importers.dates import to_utc_iso
from cmreader.importers.html import html_to_markdown
from cmreader.importers.keys import UniqueKeys, digest, origin
from cmreader.importers.owners import most_named
from cmreader.importers.text import unescape_name
from cmreader.importers.xmlsafe import guarded, parse_xml_noting, with_notes
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord

_NS = "{http://disqus.com}"
_DSQ_ID = "{http://disqus.com/disqus-internals}id"


@dataclass
class _Thread:
    key: str
    forum: str
    element: ET.Element
    comments: list[ET.Element] = field(default_factory=list)


def _text(element: ET.Element | None, name: str) -> str:
    if element is None:
        return ""
    return (element.findtext(f"{_NS}{name}") or "").strip()


def _ref(element: ET.Element, name: str) -> str:
    """The dsq:id of a child reference such as <thread dsq:id="2"/>."""
    child = element.find(f"{_NS}{name}")
    return (child.get(_DSQ_ID) or "").strip() if child is not None else ""


def _flag(element: ET.Element | None, name: str) -> bool:
    return _text(element, name).lower() == "true"


def normalise_url(url: str) -> str:
    """The page URL without fragment or trailing slash, so one page reads the same everywhere."""
    url = url.strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rstrip("/")
    return urlunsplit(parts._replace(fragment="", path=parts.path.rstrip("/")))


def _person(element: ET.Element) -> tuple[str, str, str]:
    """(display name, username, email) of an element's <author>."""
    author = element.find(f"{_NS}author")
    name, username = _text(author, "name"), _text(author, "username")
    return unescape_name(name) or username, username, _text(author, "email")


def _plussed(key: str, n: int) -> str:
    return key + "+" * (n - 1)


def _parse(path: str, root: ET.Element) -> ImportBatch:
    if root.tag != f"{_NS}disqus":
        raise ImportFailed(path, "not a Disqus export")
    # Threads name their forum; a post's key uses its thread's, this is the fallback.
    default_forum = next(
        (el.text.strip() for el in root.iter(f"{_NS}forum") if el.text and el.text.strip()),
        "unknown",
    )

    threads: dict[str, _Thread] = {}
    ordered: list[_Thread] = []
    for element in root.findall(f"{_NS}thread"):
        forum = _text(element, "forum") or default_forum
        dsq_id = (element.get(_DSQ_ID) or "").strip()
        ident = dsq_id or "~" + digest(_text(element, "link"), _text(element, "id"))
        thread = _Thread(f"disqus:{forum}:{ident}", forum, element)
        if dsq_id and dsq_id in threads:
            continue  # a repeated thread id: the first one stands
        if dsq_id:
            threads[dsq_id] = thread
        ordered.append(thread)

    skipped: Counter[str] = Counter()
    for post in root.findall(f"{_NS}post"):
        owner = threads.get(_ref(post, "thread"))
        if owner is None:
            skipped["orphan comments"] += 1
        else:
            owner.comments.append(post)

    records = []
    for thread in ordered:
        if not thread.comments and not _text(thread.element, "message"):
            # Disqus makes a thread for every page its script ever loaded on: no comment and
            # no article is not an episode.
            skipped["empty threads"] += 1
            continue
        records.append(_episode(thread))
    # The forum's author: the account that opened most threads.
    account = most_named(_person(t.element)[:2] for t in ordered if _person(t.element)[1])
    owner_name, owner_username = account or ("", "")
    owner_name = owner_name or most_named(p.author for p in records if p.author) or ""
    site = most_named(found for p in records if p.url and (found := origin(p.url)))
    return ImportBatch(
        source=path,
        format="disqus",
        posts=tuple(records),
        blog_title=None,
        owner=owner_name or None,
        skipped=dict(skipped),
        blog=BlogRecord(
            key=f"disqus:{default_forum}",
            kind="disqus",
            title=default_forum if default_forum != "unknown" else None,
            url=site,
            owner_name=owner_name or None,
            owner_user_id=owner_username or None,
        ),
    )


def _episode(thread: _Thread) -> PostRecord:
    owner_name, owner_username, _ = _person(thread.element)
    keys: list[str] = []
    by_id: dict[str, str] = {}
    unique = UniqueKeys(_plussed)  # identical anonymous copies: keep each, stably
    for post in thread.comments:
        dsq_id = (post.get(_DSQ_ID) or "").strip()
        ident = dsq_id or "~" + digest(
            thread.key, _text(post, "createdAt"), _person(post)[0], _text(post, "message")
        )
        key = unique(f"disqus:{thread.forum}:p{ident}")
        keys.append(key)
        if dsq_id:
            by_id.setdefault(dsq_id, key)

    parents = {
        key: by_id.get(_ref(post, "parent"))
        for key, post in zip(keys, thread.comments, strict=True)
    }
    comments = []
    for key, post in zip(keys, thread.comments, strict=True):
        parent = parents[key]
        name, username, email = _person(post)
        if _flag(post, "isDeleted"):
            status = "trash"
        elif _flag(post, "isSpam"):
            status = "spam"
        else:
            status = "approved"
        # Anonymous Disqus posters type any name and email: only the forum's moderator flag,
        # an account, or a signed-in poster showing the thread author's name is the owner.
        author = post.find(f"{_NS}author")
        anonymous = _flag(author, "isAnonymous") or not username
        by_owner = (
            _flag(author, "isModerator")
            or bool(username and username == owner_username)
            or bool(name and name == owner_name and not anonymous)
        )
        comments.append(
            CommentRecord(
                key=key,
                # A reply to a comment missing from the file goes to the top level.
                parent_key=parent,
                author=name or None,
                published=to_utc_iso(_text(post, "createdAt")),
                # Disqus has no shortcodes: "[code]" is what the commenter typed.
                body=html_to_markdown(_text(post, "message"), shortcodes=False),
                status=status,
                by_owner=by_owner,
                author_email=email or None,
                author_user_id=None if anonymous else username,
            )
        )
    link = normalise_url(_text(thread.element, "link"))
    return PostRecord(
        key=thread.key,
        title=unescape_name(_text(thread.element, "title")) or None,
        author=owner_name or None,
        published=to_utc_iso(_text(thread.element, "createdAt")),
        body=html_to_markdown(_text(thread.element, "message"), shortcodes=False),
        url=link or None,
        comments=tuple(comments),
    )


def parse_disqus(path: str, data: bytes) -> ImportBatch:
    """Read a Disqus XML export held in `data`, read from `path`."""
    root, notes = parse_xml_noting(path, data)
    return with_notes(guarded(path, "Disqus export", lambda: _parse(path, root)), notes)
