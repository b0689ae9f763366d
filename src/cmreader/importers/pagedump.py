"""A Blogger page saved as text: the article, then comments with "Reply"/"Delete" glued in."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from cmreader.errors import ImportFailed
from cmreader.importers.dates import to_utc_iso
from cmreader.importers.frontmatter import field_text, split_front_matter
from cmreader.importers.keys import UniqueKeys, digest, origin
from cmreader.importers.owners import most_named
from cmreader.records import BlogRecord, CommentRecord, ImportBatch, PostRecord

# Blogger's per-comment action links. A top-level comment carries reply + delete, a reply
# only delete. They stand right after the comment's first line, glued to the next line.
_PAIR = re.compile(r"^(?:Répondre\s*Supprimer|Reply\s*Delete)")
_SINGLE = re.compile(r"^(?:(?P<reply>Répondre|Reply)|(?P<delete>Supprimer|Delete))")
# Blogger leaves these in place of a removed comment.
_REMOVED = re.compile(
    r"^(This comment has been removed by (the author|a blog administrator)\.?"
    r"|Ce commentaire a été supprimé par (l'auteur|un administrateur du blog)\.?)$"
)


# "Salut "boots38"," / "bonjour becky, ..." / "Hi Anna!": a greeting that names its reader.
_GREETING = re.compile(
    r"""^(?:bonjour|salut|coucou|bonsoir|hello|hi|hey|dear)\s+["'«“]?\s*"""
    r"""(?P<name>[^\s"'»”,!.:;]{2,30})\s*["'»”]?\s*[,!.:]""",
    re.IGNORECASE,
)


def greeted_name(text: str) -> str | None:
    """The name a message opens by greeting, if any ("Salut "boots38"," -> "boots38")."""
    match = _GREETING.match(text)
    if not match:
        return None
    name = match.group("name")
    # A name written in lowercase in a greeting ("bonjour becky") is still a name.
    return name[:1].upper() + name[1:] if name.isalpha() and name.islower() else name


@dataclass
class _Line:
    text: str
    label: str | None = None  # "top" or "reply": the labels that followed this line


def parse_pagedump(path: str, data: bytes) -> ImportBatch:
    """Parse a saved Blogger page into one episode with its threads."""
    text = _decode(path, data)
    fields, body = split_front_matter(text)
    lines = _lines_with_labels(body)
    starts = [i for i, line in enumerate(lines) if line.label]
    article_lines = lines[: starts[0]] if starts else lines
    article = _to_markdown(article_lines)
    if not article and not starts:
        raise ImportFailed(path, "no article and no comments in this text")
    title = field_text(fields, "title") or _title_from_name(path)
    author = field_text(fields, "author")
    url = field_text(fields, "url")
    published = to_utc_iso(field_text(fields, "published") or field_text(fields, "date"))
    post_key, legacy_key = _post_keys(article, url, fields)
    comments: list[CommentRecord] = []
    unique = UniqueKeys(_counted)  # the same words twice in one place: kept, numbered
    last_top: str | None = None
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        comment_body = _to_markdown(lines[start:end])
        is_reply = lines[start].label == "reply" and last_top is not None
        parent = last_top if is_reply else None
        key = unique(f"{post_key}:{digest((parent or '') + chr(0) + comment_body)}")
        if is_reply:
            # The page shows who wrote nothing; on a blog, the replies are the owner's.
            comment_author, by_owner = author, True
        else:
            comment_author, by_owner = None, False
            last_top = key
        status = "trash" if _REMOVED.match(comment_body) else "approved"
        comments.append(
            CommentRecord(
                key=key,
                parent_key=parent,
                author=comment_author,
                published=None,
                body=comment_body,
                status=status,
                by_owner=by_owner,
            )
        )
    comments = _infer_names(comments, author)
    author = author or _owner_from_greetings(comments)
    post = PostRecord(
        key=post_key,
        title=title,
        author=author,
        published=published,
        body=article,
        url=url,
        comments=tuple(comments),
        legacy_key=legacy_key,
    )
    blog_name = field_text(fields, "source_blog") or field_text(fields, "blog")
    return ImportBatch(
        source=path,
        format="pagedump",
        posts=(post,),
        blog_title=blog_name,
        owner=author,
        blog=_blog(url, blog_name, author),
    )


def _post_keys(article: str, url: str | None, fields: dict[str, object]) -> tuple[str, str | None]:
    """(key, the key older cmreader gave it where different).

    The page's address names it. Without one, the text does, and so does the front matter
    that says which page it is: two saves of the same text with different titles are two
    episodes. A dump with no such field keeps the text-only key it always had.
    """
    if url:
        return f"dump:{url}", None
    legacy = f"dump:{digest(article)}"
    named = [field_text(fields, name) or "" for name in ("title", "author", "published", "date")]
    if not any(named):
        return legacy, None
    return f"dump:{digest(chr(0).join([article, *named]))}", legacy


def _blog(url: str | None, name: str | None, author: str | None) -> BlogRecord:
    """The blog a page belongs to: its site, else the blog its front matter names."""
    site = origin(url) if url else ""
    if site:
        key = f"dump:{site}"
    elif name:
        key = f"dump:blog:{name}"
    else:
        key = "dump:pages"  # pages that say nothing of their blog share one
    return BlogRecord(
        key=key,
        kind="pagedump",
        title=name or (urlsplit(site).netloc if site else None),
        url=site or None,
        owner_name=author,
    )


def _owner_from_greetings(comments: list[CommentRecord]) -> str | None:
    """Readers greet the blogger by name: the name most top-level comments open with."""
    names = (greeted_name(c.body) for c in comments if c.parent_key is None)
    return most_named(name for name in names if name)


def _infer_names(comments: list[CommentRecord], author: str | None) -> list[CommentRecord]:
    """The page shows no names: take them from what the text says, and only where clear.

    An owner's reply that opens by greeting someone names the author of the comment it
    answers; the owner's own name comes from how readers greet them.
    """
    owner = author or _owner_from_greetings(comments)
    by_key = {c.key: c for c in comments}
    named: dict[str, str] = {}
    for c in comments:
        if c.by_owner and c.parent_key and by_key[c.parent_key].author is None:
            name = greeted_name(c.body)
            if name and name != owner:
                named.setdefault(c.parent_key, name)
    result = []
    for c in comments:
        if c.key in named:
            c = replace(c, author=named[c.key])
        if c.by_owner and c.author is None and owner:
            c = replace(c, author=owner)
        result.append(c)
    return result


def _decode(path: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise ImportFailed(path, "a binary file, not a text export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(path, f"not UTF-8 text (bad byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lines_with_labels(body: str) -> list[_Line]:
    """Lines of text, each carrying the label group that followed it, labels removed."""
    lines: list[_Line] = []
    for raw in body.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            continue  # blank lines separate paragraphs; every saved line is one anyway
        label, rest = _split_label(line)
        if label is not None:
            if lines:
                # Reply + Delete split over two label lines still make one top-level group.
                lines[-1].label = "top" if "top" in (label, lines[-1].label) else label
            if not rest:
                continue
            lines.append(_Line(rest))
        else:
            lines.append(_Line(line))
    return lines


def has_labels(text: str) -> bool:
    """True when some line of text carries Blogger's comment labels (used to detect dumps)."""
    return any(_split_label(line.rstrip())[0] for line in text.split("\n") if line.strip())


def _split_label(line: str) -> tuple[str | None, str]:
    """("top"|"reply", rest) when line starts with a label group, (None, line) otherwise."""
    pair = _PAIR.match(line)
    if pair:
        return "top", line[pair.end() :].strip()
    single = _SINGLE.match(line)
    if not single:
        return None, line
    rest = line[single.end() :]
    # "Supprimer les doublons", "Deleted", "Supprimerait": words, not labels. A lone label
    # is glued to what follows it, and what follows a real one starts a sentence or a name.
    if rest and (rest[0].isspace() or rest[0].islower()):
        if rest.strip():
            return None, line
    return ("top" if single.group("reply") else "reply"), rest.strip()


def _to_markdown(lines: list[_Line]) -> str:
    """Each saved line is a paragraph (Blogger breaks lines with <br>): join with blank lines."""
    return "\n\n".join(line.text for line in lines).strip()


def _counted(key: str, n: int) -> str:
    return f"{key}:{n}"


def _title_from_name(path: str) -> str:
    stem = Path(path).stem.replace("-", " ").replace("_", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"
