"""The YAML front matter that text extractors write: a small, safe subset of YAML."""

from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return (fields, rest) for text that starts with a '---' block; ({}, text) otherwise.

    Values are strings (quotes removed), None for null/~, or lists of those for
    "[a, b]" and "- a" items. Anything fancier is kept as the raw string.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        return {}, text
    fields: dict[str, object] = {}
    current_list: list[object] | None = None
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and current_list is not None:
            current_list.append(_scalar(item.group(1)))
            continue
        match = _KEY.match(line)
        if not match:
            continue
        key, raw = match.group(1), match.group(2).strip()
        if raw == "":
            current_list = []
            fields[key] = current_list
        elif raw.startswith("[") and raw.endswith("]"):
            inner = raw[1:-1].strip()
            fields[key] = [_scalar(part) for part in inner.split(",")] if inner else []
            current_list = None
        else:
            fields[key] = _scalar(raw)
            current_list = None
    return fields, "\n".join(lines[end + 1 :])


def _scalar(raw: str) -> str | None:
    raw = raw.strip()
    if raw in ("", "~", "null", "Null", "NULL"):
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        return inner.replace("''", "'") if raw[0] == "'" else inner.replace('\\"', '"')
    return raw


def field_text(fields: dict[str, object], name: str) -> str | None:
    """A front matter field as one string, or None."""
    value = fields.get(name)
    return value.strip() or None if isinstance(value, str) else None
