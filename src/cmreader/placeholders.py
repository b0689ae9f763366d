"""A saved reply's placeholders ({author}, {first_name}, {title}, {blog}, {link}) filled in."""

from __future__ import annotations

import re

from cmreader.sanitize import clean_line
from cmreader.store.models import ReplyContext

NAMES = ("author", "first_name", "title", "blog", "link")
# Only these names, exactly: any other brace is the user's text ("{sic}", code, JSON).
_PLACEHOLDER = re.compile(r"\{(" + "|".join(NAMES) + r")\}")


def values(context: ReplyContext) -> dict[str, str]:
    """Each placeholder's text, cleaned: these come from imports, never trusted."""
    author = clean_line(context.author or "")
    return {
        "author": author,
        "first_name": author.split(" ")[0] if author else "",
        "title": clean_line(context.title),
        "blog": clean_line(context.blog or ""),
        "link": clean_line(context.link or ""),
    }


def fill(body: str, context: ReplyContext) -> str:
    """The body with every known placeholder replaced (an unknown one is left as typed)."""
    found = values(context)
    return _PLACEHOLDER.sub(lambda m: found[m.group(1)], body)
