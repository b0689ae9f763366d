"""WordPress WXR 1.0-1.2 exports to records: posts and pages with every comment, threaded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

from cmreader.errors import ImportFailed
from cmreader.importers.dates import to_utc_iso
from cmreader.importers.html import html_to_markdown
from cmreader.importers.keys import UniqueKeys, digest, origin
from cmreader.importers.owners import most_named
from cmreader.importers.text import unescape_name
from cmreader.importers.xmlsafe import guarded, parse_xml_noting, with_notes
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord

# Exporters wrote http and (WordPress.com, 2015) https namespaces; versions 1.0 to 1.2 seen.
_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
# post_type "draft" is how WordPress.com (2008) exported unpublished posts.
_EPISODE_TYPES = {"post": "post", "page": "page", "draft": "post"}
_STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "trash"}
# wp:status of a post; any other (trash, a plugin's own) is not public, so "private".
_POST_STATUSES = {
    "publish": "publish",
    "draft": "draft",
    "auto-draft": "draft",
    "private": "private",
    "pending": "pending",
    "future": "future",
}
_UNPUBLISHED = {"draft", "pending"}  # never went out: their local date is only the last save
# Webmentions are the pingbacks of today's plugins; other types (reviews...) are comments.
_COMMENT_TYPES = {"pingback": "pingback", "trackback": "trackback", "webmention": "pingback"}
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
    return unescape_name(text)


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
        tags = {el.tag for el in root.iter()}
        self.namespaces = {
            tag[1:].split("}", 1)[0]
            for tag in tags
            if isinstance(tag, str)
            and tag.startswith("{")
            and _WP_NAMESPACE.match(tag[1:].split("}", 1)[0])
        }
        # Every tag's local name when it is a wp field, else None: a big export has a few
        # dozen tags and hundreds of thousands of elements.
        self._field_names: dict[object, str | None] = {tag: self._field_name(tag) for tag in tags}

    def _field_name(self, tag: object) -> str | None:
        if isinstance(tag, str) and tag.startswith("{"):
            namespace, _, local = tag[1:].partition("}")
            if namespace in self.namespaces:
                return local
        return None

    def fields(self, element: ET.Element) -> dict[str, str]:
        """The element's wp:* children as {local name: text}; the first of a name wins."""
        found: dict[str, str] = {}
        names = self._field_names
        for child in element:
            local = names.get(child.tag)
            if local is not None and local not in found:
                found[local] = child.text or ""
        return found

    def children(self, element: ET.Element, local: str) -> list[ET.Element]:
        return [el for ns in self.namespaces for el in element.findall(f"{{{ns}}}{local}")]


def _numbered(key: str, n: int) -> str:
    return f"{key}#{n}"


def _is_owner(author: _Author | None, creator: str, name: str, email: str, user_id: str) -> bool:
    """The strongest identity both sides have decides: the account, then the e-mail, then
    the name (anyone can type a name; only WordPress writes the user id)."""
    if author is not None and author.user_id and user_id:
        return user_id == author.user_id
    if author is not None and author.email and email:
        return email.casefold() == author.email.casefold()
    names = {creator.casefold()} if creator else set()
    if author is not None:
        names |= {n.casefold() for n in (author.display, author.login) if n}
    return bool(name) and name.casefold() in names


def _comments(
    reader: _Reader, item: ET.Element, post_key: str, author: _Author | None, creator: str
) -> tuple[CommentRecord, ...]:
    raw = [reader.fields(el) for el in reader.children(item, "comment")]
    unique = UniqueKeys(_numbered)
    keys_by_id: dict[str, str] = {}
    keys: list[str] = []
    for fields in raw:
        comment_id = fields.get("comment_id", "").strip()
        suffix = comment_id or "~" + digest(
            fields.get("comment_author", ""),
            fields.get("comment_date", ""),
            fields.get("comment_content", ""),
        )
        key = unique(f"{post_key}:c{suffix}")
        keys.append(key)
        if comment_id:
            keys_by_id.setdefault(comment_id, key)
    parents: dict[str, str | None] = {}
    for key, fields in zip(keys, raw, strict=True):
        parent_id = fields.get("comment_parent", "").strip()
        # 0 (or nothing) is top level; a parent missing from the file leaves an orphan on top.
        parents[key] = keys_by_id.get(parent_id) if parent_id not in ("", "0") else None

    records = []
    for key, fields in zip(keys, raw, strict=True):
        name = _clean(fields.get("comment_author"))
        email = fields.get("comment_author_email", "").strip()
        user_id = fields.get("comment_user_id", "").strip()
        if user_id == "0":
            user_id = ""  # 0: a visitor without an account
        kind = _COMMENT_TYPES.get(fields.get("comment_type", "").strip().lower(), "comment")
        # A pingback is a site, not its owner, even when the owner's other post sent it.
        by_owner = kind == "comment" and _is_owner(author, creator, name, email, user_id)
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
                type=kind,
                author_user_id=user_id or None,
            )
        )
    return tuple(records)


def _site(channel: ET.Element, reader: _Reader) -> tuple[str, str]:
    """(site, what older cmreader used): the blog's address, told apart even without one.

    Older cmreader took the channel link or the base URLs, else nothing, so two link-less
    files gave the same keys; then the items' own addresses name the site, or a digest of what
    the channel says of itself.
    """
    base = reader.fields(channel)
    site = (
        _clean(channel.findtext("link"))
        or (base.get("base_blog_url") or "").strip()
        or (base.get("base_site_url") or "").strip()
    )
    if site:
        return site, site
    host = most_named(
        found
        for item in channel.findall("item")
        for text in (item.findtext("link"), item.findtext("guid"))
        if (found := _origin(text or ""))
    )
    if host:
        return host, ""
    authors = sorted(
        f"{f.get('author_login', '')}\x1e{f.get('author_email', '')}"
        for f in (reader.fields(el) for el in reader.children(channel, "author"))
    )
    about = [channel.findtext("title") or "", channel.findtext("description") or "", *authors]
    return "~" + digest(*about), ""


def _origin(url: str) -> str:
    """"https://host" of an absolute web address, or "" (a urn: or mailto: names no site)."""
    site = origin(url.strip())
    return site if site.startswith(("http://", "https://")) else ""


def _post_status(fields: dict[str, str], post_type: str, parents: dict[str, str]) -> str:
    if post_type == "draft":
        return "draft"
    status = fields.get("status", "").strip().lower() or "publish"
    if status == "inherit":  # an attachment is as public as the post it belongs to
        status = parents.get(fields.get("post_parent", "").strip(), "publish")
    return _POST_STATUSES.get(status, "private")


def _parse(path: str, root: ET.Element) -> ImportBatch:
    channel = root.find("channel")
    if channel is None:
        # A hand-edited export can hold its items in another wrapper (<items>): the data is
        # still clear, so the items' own parent stands for the channel.
        channel = root.find(".//item/..")
    reader = _Reader(root)
    if root.tag != "rss" or not reader.namespaces:
        raise ImportFailed(path, "not a WordPress WXR export")
    if channel is None:
        raise ImportFailed(path, "a WordPress export without a <channel> or any <item>")
    site, legacy_site = _site(channel, reader)

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

    items = [(item, reader.fields(item)) for item in channel.findall("item")]
    statuses = {
        fields.get("post_id", "").strip(): fields.get("status", "").strip().lower()
        for _, fields in items
    }
    posts: list[PostRecord] = []
    skipped: Counter[str] = Counter()
    unique = UniqueKeys(_numbered)
    episode_creators: list[str] = []
    for item, fields in items:
        # An item without post_type is what WordPress itself imports as a post.
        post_type = fields.get("post_type", "").strip() or "post"
        if post_type == "attachment" and reader.children(item, "comment"):
            kind = "attachment"  # an attachment page people commented on: an episode of its own
        elif post_type in _EPISODE_TYPES:
            kind = _EPISODE_TYPES[post_type]
        else:
            skipped[post_type] += 1
            continue
        title = _clean(item.findtext("title"))
        post_id = fields.get("post_id", "").strip()
        guid = (item.findtext("guid") or "").strip()
        ident = post_id or (f"guid:{guid}" if guid else "") or (f"title:{title}" if title else "")
        content = item.findtext(_CONTENT) or ""
        ident = ident or "~" + digest(content)
        key = unique(f"wxr:{site}:{ident}")
        legacy = f"wxr:{legacy_site}:{ident}" if legacy_site != site else None
        creator = _clean(item.findtext(_CREATOR))
        episode_creators.append(creator)
        author = authors.get(creator)
        status = _post_status(fields, post_type, statuses)
        if status in _UNPUBLISHED:
            # Never published: only a GMT date is a publication date (drafts have 0000-00-00).
            published = _date(fields.get("post_date_gmt"))
        else:
            published = _date(
                fields.get("post_date_gmt"), fields.get("post_date"), item.findtext("pubDate")
            )
        posts.append(
            PostRecord(
                key=key,
                title=title or None,
                author=(author.display if author else creator) or None,
                published=published,
                body=html_to_markdown(content),
                url=(item.findtext("link") or "").strip() or None,
                kind=kind,
                comments=_comments(reader, item, key, author, creator),
                status=status,
                legacy_key=legacy,
            )
        )

    # The blog's owner: whoever wrote most of its episodes.
    main = most_named(creator for creator in episode_creators if creator)
    owner = authors.get(main) if main else None
    blog_title = _clean(channel.findtext("title")) or None
    return ImportBatch(
        source=path,
        format="wxr",
        posts=tuple(posts),
        blog_title=blog_title,
        owner=(owner.display if owner else main) or None,
        skipped=dict(skipped),
        blog=BlogRecord(
            key=f"wxr:{site}",
            kind="wxr",
            title=blog_title,
            url=site if not site.startswith("~") else None,
            owner_name=(owner.display if owner else main) or None,
            owner_email=(owner.email if owner else "") or None,
            owner_user_id=(owner.user_id if owner else "") or None,
        ),
    )


def parse_wxr(path: str, data: bytes) -> ImportBatch:
    """Read a WordPress export (WXR) held in `data`, read from `path`."""
    root, notes = parse_xml_noting(path, data)
    return with_notes(guarded(path, "WordPress export", lambda: _parse(path, root)), notes)
